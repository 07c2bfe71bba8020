"""The CSV columns the import accepts and the export writes, for screens that list them.

Read from the import's and the export's own tables (``csv_import._HEADERS`` and
``_REQUIRED``, ``csv_export.COLUMNS``), never retyped: a name added there shows up in the
user guide and the import dialogs by itself. ``write_template`` gives an import's header row
as a file to fill in, in the export's encoding (UTF-8 with a BOM, for Excel).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from mixtimer_gui.exports import csv_export, csv_import

OBJECTS, READINGS = csv_import.OBJECTS, csv_import.READINGS


@dataclass(frozen=True)
class ImportColumn:
    field: str  # the wire field the column fills
    names: tuple[str, ...]  # every header the import takes for it, in the table's order
    required: bool


def import_columns(kind: str) -> list[ImportColumn]:
    """The fields an import of ``kind`` fills, each with every header name it accepts."""
    names: dict[str, list[str]] = {}
    for header, field in csv_import._HEADERS[kind].items():
        names.setdefault(field, []).append(header)
    required = set(csv_import._REQUIRED[kind])
    return [ImportColumn(field, tuple(headers), field in required)
            for field, headers in names.items()]


def accepted_headers(kind: str) -> set[str]:
    """Every header name an import of ``kind`` recognises (wire names in any case too)."""
    return set(csv_import._HEADERS[kind])


def export_columns() -> list[tuple[str, str]]:
    """``(title, wire name)`` of each column of the handle export, in file order: the title
    heads the file by default, the wire name with ``--wire-header``."""
    return list(zip(csv_export.header(), csv_export.header(wire=True), strict=True))


def template_header(kind: str) -> list[str]:
    """The header row of an import template: each field's Chinese title, in table order."""
    return [csv_import._TITLES[column.field] for column in import_columns(kind)]


def write_template(path: Path | str, kind: str) -> Path:
    """Write the header row of an import of ``kind`` to ``path``; raises ``OSError``."""
    path = Path(path)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator=csv_export.LINE_END).writerow(template_header(kind))
    return path
