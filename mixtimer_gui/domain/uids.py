"""uids: generated ones are a prefix and 13 digits; client ones follow a safe alphabet."""

from __future__ import annotations

import re

PROJECT_PREFIX = "MTP"
TASK_PREFIX = "MTT"
HANDLE_PREFIX = "MTH"
STATISTIC_PREFIX = "STATISTICS"
OBJECT_PREFIX = "MTO"

_CLIENT_UID = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
_GENERATED = re.compile(r"(MTP|MTT|MTH|MTO|STATISTICS)\d{13}")


def format_uid(prefix: str, number: int) -> str:
    """The ``number``-th uid of a kind: ``MTP`` + 13 digits. Numbers come from a sequence
    stored in the database, so a uid is never handed out twice, even after a delete."""
    if not 0 < number < 10**13:
        raise ValueError("uid sequence exhausted")
    return f"{prefix}{number:013d}"


def is_generated_uid(uid: str) -> bool:
    return _GENERATED.fullmatch(uid) is not None


def is_valid_client_uid(uid: str) -> bool:
    return _CLIENT_UID.fullmatch(uid) is not None
