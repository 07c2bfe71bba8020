#!/usr/bin/env python3
"""The packaging check (.ci/run runs it after the test suite), on a Debian machine as root.

    python3 packaging/check_package.py [--work DIR] [--keep]

1. the desktop entry and the AppStream metainfo validate;
2. a private build environment (outside the repository) gets the app's dependencies and
   PyInstaller (pyproject's ``release`` extra); the bundle is built from the committed spec
   and must stay within 120 MB;
3. the .deb is built from it, installed with apt (which brings its Depends), and then:
   ``mixtimer --version``; ``mixtimer serve --port 0`` answers one POST as a well-behaved
   local client sends it; the window runs offscreen for 3 s with nothing wrong in its log
   or on stderr; the installed desktop entry and metainfo validate;
4. ``apt-get remove`` takes every file of the package away again;
5. makensis compiles the Windows installer script (with a stand-in bundle);
6. the sdist holds the tests, the docs, the resources and LICENSE; the wheel built from
   it holds only what the app loads at run time;
7. the repository's tree is as the check found it (nothing untracked, nothing changed).

Each step prints its duration; the first failure stops the check with exit status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import bundle_rules  # noqa: E402

APP_ID = "io.github.mixtimer.MixTimerGUI"
PACKAGE = "mixtimer-gui"
BUNDLE_LIMIT_MB = 120
WINDOW_SECONDS = 3
# Signs of trouble in the window's log and stderr (Qt's own warnings included).
TROUBLE = re.compile(r"\b(WARNING|ERROR|CRITICAL|Traceback|Could not|Cannot|cannot|"
                     r"[Ff]ailed)\b")


class CheckFailed(Exception):
    pass


def say(text: str) -> None:
    print(f"[check] {text}", flush=True)


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, text=True, capture_output=True, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        raise CheckFailed(f"{' '.join(command)} exited {result.returncode}:\n"
                          f"{result.stdout}{result.stderr}")
    return result


def as_root(command: list[str]) -> list[str]:
    return command if os.geteuid() == 0 else ["sudo", *command]


@contextmanager
def step(name: str, timings: list[tuple[str, float]]) -> Iterator[None]:
    say(f"{name} …")
    started = time.monotonic()
    yield
    timings.append((name, time.monotonic() - started))
    say(f"{name}: ok ({timings[-1][1]:.0f} s)")


def version() -> str:
    return bundle_rules.read_version(str(ROOT / "mixtimer_gui" / "__init__.py"))


# -- 1. metadata ------------------------------------------------------------------------------


def validate_metadata(desktop: Path, metainfo: Path) -> None:
    result = run(["desktop-file-validate", str(desktop)])
    if result.stdout.strip():
        raise CheckFailed(f"desktop-file-validate {desktop}:\n{result.stdout}")
    run(["appstreamcli", "validate", "--no-net", str(metainfo)])


# -- 2. the bundle ----------------------------------------------------------------------------


def build_requirements() -> list[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [*project["dependencies"], *project["optional-dependencies"]["release"]]


def build_environment(work: Path) -> Path:
    venv = work / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    python = venv / "bin" / "python"
    # Only the dependencies: PyInstaller reads the app from the tree, and installing the
    # project would build it inside the tree.
    run([str(python), "-m", "pip", "install", "--quiet", *build_requirements()])
    return python


def build_bundle(python: Path, work: Path) -> Path:
    run([str(python), str(HERE / "build_bundle.py"), "--dist", str(work / "dist"),
         "--work", str(work / "build")], cwd=ROOT)
    bundle = work / "dist" / PACKAGE
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    size = sum(p.stat().st_size for p in files)
    say(f"bundle: {size / 1e6:.1f} MB ({size / 1_048_576:.1f} MiB) in {len(files)} files")
    if size > BUNDLE_LIMIT_MB * 1e6:
        raise CheckFailed(f"the bundle is {size / 1e6:.1f} MB, over {BUNDLE_LIMIT_MB} MB")
    for name in ("mixtimer-gui", "mixtimer"):
        if not os.access(bundle / name, os.X_OK):
            raise CheckFailed(f"{bundle / name} is missing or not executable")
    return bundle


# -- 3. the .deb, installed -------------------------------------------------------------------


def build_deb(bundle: Path, work: Path) -> Path:
    # gzip: the check needs an installable package, not the smallest one.
    result = run([sys.executable, str(HERE / "build_deb.py"), "--bundle", str(bundle),
                  "--out", str(work), "--compression", "gzip"])
    print(result.stdout, end="")
    debs = sorted(work.glob(f"{PACKAGE}_*.deb"))
    if len(debs) != 1:
        raise CheckFailed(f"expected one .deb in {work}, found {debs}")
    return debs[0]


def apt(*arguments: str) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(as_root(["apt-get", "-y", "-q", *arguments]), env=env)


def private_home(work: Path) -> dict[str, str]:
    """The app's data, settings and logs in the check's own folder."""
    home = work / "home"
    env = {**os.environ, "HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        env[name] = str(home / name.lower())
    env.pop("MIXTIMER_DB", None)
    return env


def check_version() -> None:
    for command in ("mixtimer", "mixtimer-gui"):
        where = shutil.which(command)
        if where != f"/usr/bin/{command}":
            raise CheckFailed(f"{command} on PATH is {where}, not /usr/bin/{command}")
        out = run([command, "--version"]).stdout.strip()
        if out != f"mixtimer-gui {version()}":
            raise CheckFailed(f"{command} --version said {out!r}")


def check_serve(env: dict[str, str], work: Path) -> None:
    process = subprocess.Popen(["mixtimer", "serve", "--port", "0", "--db",
                                str(work / "serve.db")], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = process.stdout.readline().strip() if process.stdout else ""
        match = re.fullmatch(r"listening on (http://127\.0\.0\.1:(\d+)/mixtimer/api)", line)
        if not match:
            raise CheckFailed(f"serve printed {line!r} instead of its address")
        url, port = match.group(1), match.group(2)
        request = urllib.request.Request(
            url, method="POST", data=json.dumps({"action": "get_v2_project_list"}).encode(),
            headers={"Content-Type": "application/json", "Host": f"127.0.0.1:{port}",
                     "Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            answer = json.loads(response.read())
        if answer.get("code") != 200 or not isinstance(answer.get("result"), dict):
            raise CheckFailed(f"serve answered {answer}")
        say(f"serve on port {port} answered get_v2_project_list with code 200")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            status = process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise CheckFailed("serve did not stop within 20 s of SIGTERM") from None
    if status != 0:
        raise CheckFailed(f"serve exited {status} on SIGTERM: {process.stderr.read()}")


def check_window(env: dict[str, str], work: Path) -> None:
    log_file = Path(env["XDG_STATE_HOME"]) / PACKAGE / "log" / f"{PACKAGE}.log"
    log_file.unlink(missing_ok=True)
    errors = work / "window.stderr"
    with errors.open("w") as stderr:
        process = subprocess.Popen(["mixtimer-gui", "--db", str(work / "window.db"),
                                    "--lang", "zh_CN"], env=env, stdout=stderr, stderr=stderr)
        time.sleep(WINDOW_SECONDS)
        still_running = process.poll() is None
        process.terminate()
        process.wait(timeout=20)
    said = errors.read_text(errors="replace")
    logged = log_file.read_text(errors="replace") if log_file.exists() else ""
    if not still_running:
        raise CheckFailed(f"the window ended within {WINDOW_SECONDS} s "
                          f"(status {process.returncode}):\n{said}{logged}")
    if not logged:
        raise CheckFailed(f"the window wrote no log at {log_file}:\n{said}")
    trouble = [line for line in (said + logged).splitlines() if TROUBLE.search(line)]
    if trouble:
        raise CheckFailed("the window reported trouble:\n" + "\n".join(trouble))
    say(f"window ran {WINDOW_SECONDS} s offscreen; its log: {len(logged.splitlines())} "
        "lines, no warning or error")


def check_installed_metadata() -> None:
    validate_metadata(Path(f"/usr/share/applications/{APP_ID}.desktop"),
                      Path(f"/usr/share/metainfo/{APP_ID}.metainfo.xml"))
    for size in ("16x16", "48x48", "256x256", "scalable"):
        icons = list(Path(f"/usr/share/icons/hicolor/{size}/apps").glob(f"{APP_ID}.*"))
        if not icons:
            raise CheckFailed(f"no {size} icon installed")


def installed_files() -> list[Path]:
    listed = run(["dpkg-query", "-L", PACKAGE]).stdout.splitlines()
    return [Path(p) for p in listed if p.strip() and not Path(p).is_dir()]


# -- 4. removal -------------------------------------------------------------------------------


def check_removed(files: list[Path]) -> None:
    left = [str(p) for p in files if os.path.lexists(p)]
    if Path("/opt/mixtimer-gui").exists():
        left.append("/opt/mixtimer-gui")
    if left:
        raise CheckFailed("apt-get remove left files behind: " + ", ".join(left[:10]))
    status = subprocess.run(["dpkg-query", "-W", "-f", "${db:Status-Status}", PACKAGE],
                            capture_output=True, text=True).stdout.strip()
    if status not in ("", "not-installed", "config-files"):
        raise CheckFailed(f"after apt-get remove the package is still {status!r}")


# -- 6. sdist and wheel -----------------------------------------------------------------------


def check_distributions(python: Path, work: Path) -> None:
    out = work / "python-dist"
    # Installed only now: whatever is in the environment may end up in the bundle.
    run([str(python), "-m", "pip", "install", "--quiet", "build"])
    run([str(python), "-m", "build", "--outdir", str(out), str(ROOT)])
    sdist = next(out.glob("*.tar.gz"))
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    wanted = ["LICENSE", "README.md", "tests/conftest.py", "tests/test_desktop.py",
              "docs/gui.md", "resources/icons/app.svg",
              f"resources/linux/{APP_ID}.desktop", "resources/translations/zh_CN.json",
              "scripts/build_resources.py", "packaging/mixtimer-gui.spec"]
    missing = [n for n in wanted if n not in names]
    stray = [n for n in names if n.startswith((".venv/", "build/", "dist/"))
             or "__pycache__" in n]
    if missing or stray:
        raise CheckFailed(f"sdist {sdist.name}: missing {missing}, stray {stray[:5]}")
    wheel = next(out.glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        inside = archive.namelist()
    sources = [n for n in inside if n.endswith((".ts", ".json")) and "resources" in n]
    if sources or not any(n.endswith("licenses/LICENSE") for n in inside):
        raise CheckFailed(f"wheel {wheel.name}: translation sources {sources}, "
                          "or no LICENSE in its metadata")
    say(f"{sdist.name}: {len(names)} files; {wheel.name}: {len(inside)} files")


# -- 7. the tree ------------------------------------------------------------------------------


def tree_state() -> str:
    """What ``git status`` shows (tracked changes and untracked files, not ignored ones)."""
    if not (ROOT / ".git").exists():
        return ""
    return run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT).stdout


# -- the whole check --------------------------------------------------------------------------


def check(work: Path, timings: list[tuple[str, float]]) -> None:
    """Each step that passed is appended to ``timings`` with its duration."""
    before = tree_state()
    with step("desktop entry and metainfo validate", timings):
        validate_metadata(ROOT / "resources" / "linux" / f"{APP_ID}.desktop",
                          ROOT / "resources" / "linux" / f"{APP_ID}.metainfo.xml")
    with step("build environment", timings):
        python = build_environment(work)
    with step("bundle", timings):
        bundle = build_bundle(python, work)
    with step(".deb", timings):
        deb = build_deb(bundle, work)
    files: list[Path] = []
    with step("apt-get install", timings):
        apt("install", str(deb))
        files = installed_files()
    try:
        env = private_home(work)
        with step("installed: --version, serve, window, metadata", timings):
            check_version()
            check_serve(env, work)
            check_window(env, work)
            check_installed_metadata()
    finally:
        with step("apt-get remove", timings):
            apt("remove", PACKAGE)
            check_removed(files)
    with step("makensis compiles the installer script", timings):
        run([sys.executable, str(HERE / "build_installer.py"), "--check"])
    with step("sdist and wheel", timings):
        check_distributions(python, work)
    with step("the tree is as it was", timings):
        after = tree_state()
        if after != before:
            raise CheckFailed(f"the check changed the tree:\nbefore:\n{before}\nafter:\n{after}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux") or shutil.which("apt-get") is None:
        say("needs a Debian-family Linux with apt-get")
        return 1
    work = args.work or Path(tempfile.mkdtemp(prefix="mixtimer-package-check-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    cleanup: Callable[[], None] = lambda: None  # noqa: E731
    if not args.keep and args.work is None:
        cleanup = lambda: shutil.rmtree(work, ignore_errors=True)  # noqa: E731
    timings: list[tuple[str, float]] = []
    try:
        check(work, timings)
    except CheckFailed as failure:
        say(f"FAILED: {failure}")
        print(f"packaging: {len(timings)} passed, 1 failed", flush=True)
        return 1
    finally:
        cleanup()
    total = time.monotonic() - started
    say("durations: " + ", ".join(f"{name} {seconds:.0f} s" for name, seconds in timings))
    say(f"packaging check passed in {total:.0f} s")
    # The closing line in the form CI reads from any test runner.
    print(f"packaging: {len(timings)} passed, 0 failed", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
