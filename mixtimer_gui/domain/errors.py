"""Errors a user or client can cause. Each names the wire field it is about.

The API maps every one of them to code 10013 with ``info`` = the message; the GUI shows the
message next to the widget bound to ``field``; the CLI prints it as one line.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self


class DomainError(Exception):
    """A request that the rules refuse. ``field`` is the wire name, or "" when none applies.

    Built with ``of`` from a template of ``domain.messages``, it also keeps ``template`` and
    ``values``, so a screen can say it in its own words; ``message`` is the wire's sentence.
    """

    def __init__(self, message: str, field: str = "", *, template: str = "",
                 values: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.template = template
        self.values = dict(values or {})

    @classmethod
    def of(cls, template: str, field: str = "", **values: Any) -> Self:
        """The error saying ``template`` about ``field`` with ``values`` filled in."""
        return cls(template.format(field=field, **values), field, template=template,
                   values=values)


class FieldError(DomainError):
    """A field is missing, of the wrong type, or has a value the rules forbid."""


class NotFoundError(DomainError):
    """A referenced uid does not exist."""


class StateError(DomainError):
    """The current state forbids the operation (e.g. the project is still running)."""
