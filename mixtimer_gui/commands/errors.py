"""Exit statuses and the error a command raises to stop with one line on stderr."""

from __future__ import annotations

import sys

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_ARGUMENTS = 2  # also argparse's own status for a usage error
EXIT_INTERRUPTED = 130  # Ctrl+C, as a shell reports it

PROG = "mixtimer-gui"


class CommandError(Exception):
    """A failure the command expected: ``str()`` is the sentence for stderr, ``status`` the
    exit status (1, or 2 for arguments that no run could accept)."""

    def __init__(self, message: str, status: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.status = status


def say(message: str) -> None:
    """One line on stderr, prefixed like argparse's own messages."""
    line = " ".join(message.splitlines())
    print(f"{PROG}: {line}", file=sys.stderr, flush=True)
