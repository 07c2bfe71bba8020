"""操作日志 to CSV: the rows a history filter selects, page by page (flat memory), written
to a temporary file beside the target and renamed over it only when complete."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mixtimer_gui import files
from mixtimer_gui.exports.cells import neutralise
from mixtimer_gui.services import Services

COLUMNS: tuple[tuple[str, str], ...] = (
    ("uid", "编号"), ("time", "时间"), ("operator_id", "操作员编号"),
    ("operator_name", "操作员"), ("source", "来源"), ("action", "操作"),
    ("entity", "对象类型"), ("entity_uid", "对象编号"), ("changes", "修改内容"),
)
PAGE = 1000


def changes_text(changes: Mapping[str, Any]) -> str:
    """``field: before → after`` per changed field, ``; ``-separated; a record's creation
    (nothing before) as ``field: value`` of the fields it was given."""
    if changes and all(pair[0] is None for pair in changes.values()):
        return "; ".join(f"{name}: {_shown(pair[1])}" for name, pair in changes.items()
                         if pair[1] not in (None, "", []))
    return "; ".join(f"{name}: {_shown(pair[0])} → {_shown(pair[1])}"
                     for name, pair in changes.items())


def _shown(value: Any) -> str:
    return "" if value is None else (value if isinstance(value, str)
                                     else json.dumps(value, ensure_ascii=False))


def export_history(services: Services, out: Path | str,
                   params: Mapping[str, Any] | None = None) -> int:
    """Write the history rows ``params`` (where_* / order_by) select; returns how many."""
    target = Path(out)
    written = 0
    with files.replacing(target, files.new_file_beside(target), "w", encoding="utf-8-sig",
                         newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
        writer.writerow([title for _name, title in COLUMNS])
        index = 1
        while True:
            page = services.history.list({**(params or {}), "page_size": PAGE,
                                          "page_index": index})
            for row in page["data"]:
                writer.writerow([neutralise(changes_text(row[name])) if name == "changes"
                                 else neutralise(row[name]) if isinstance(row[name], str)
                                 else row[name] for name, _title in COLUMNS])
            written += len(page["data"])
            if index >= page["total_pages"]:
                break
            index += 1
    return written
