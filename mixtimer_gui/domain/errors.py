"""Errors a user or client can cause. Each names the wire field it is about.

The API maps every one of them to code 10013 with ``info`` = the message; the GUI shows the
message next to the widget bound to ``field``; the CLI prints it as one line.
"""

from __future__ import annotations


class DomainError(Exception):
    """A request that the rules refuse. ``field`` is the wire name, or "" when none applies."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class FieldError(DomainError):
    """A field is missing, of the wrong type, or has a value the rules forbid."""


class NotFoundError(DomainError):
    """A referenced uid does not exist."""


class StateError(DomainError):
    """The current state forbids the operation (e.g. the project is still running)."""


# The original document's own texts, kept verbatim because clients may match on them.
PROJECT_RUNNING = "项目下还有维保正在运行,请先停止项目下所有维保"
TASK_NOT_FOUND = "task not found"
