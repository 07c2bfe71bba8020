"""``--version``: the one version of the package, printed without loading Qt or a database."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from mixtimer_gui import __version__
from mixtimer_gui.cli import main


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"mixtimer-gui {__version__}\n"


def test_version_loads_neither_qt_nor_the_store() -> None:
    script = textwrap.dedent("""
        import sys
        from mixtimer_gui.cli import main
        try:
            main(["--version"])
        except SystemExit as stop:
            loaded = sorted(m for m in ("PySide6", "peewee", "mixtimer_gui.store")
                            if m in sys.modules)
            print(stop.code, loaded)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.splitlines() == [f"mixtimer-gui {__version__}", "0 []"]
