#!/usr/bin/env python3
"""Build the Debian package from the PyInstaller bundle (``build_bundle.py`` first).

    python3 packaging/build_deb.py [--bundle dist/mixtimer-gui] [--out dist]

The package installs:

- ``/opt/mixtimer-gui/``: the bundle (both executables and their libraries);
- ``/usr/bin/mixtimer`` and ``/usr/bin/mixtimer-gui``: links to them, so both are on PATH;
- ``/usr/share/applications/<APP_ID>.desktop``, ``/usr/share/metainfo/<APP_ID>.metainfo.xml``
  and the hicolor icons (the PNG sizes and the SVG master) from ``resources/``;
- ``/usr/share/doc/mixtimer-gui/copyright``.

``Depends`` is computed from the bundle: every library its programs link to that the
bundle does not hold is looked up among the installed packages (``ldconfig`` for the file,
``dpkg-query -S`` for its package), and ``libc6`` gets the highest ``GLIBC_x.y`` symbol
version any of them needs (``readelf -V``). A library that is not installed on the build
machine cannot be named: the build stops and says which (install it and build again).
The icon and desktop caches are refreshed by Debian's own triggers, so the package has no
maintainer scripts, and ``apt-get remove`` leaves nothing behind.

Tools: dpkg-deb, dpkg-query, readelf (binutils), ldconfig; all in a Debian base system
with ``binutils``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import bundle_rules  # noqa: E402

APP_ID = "io.github.mixtimer.MixTimerGUI"
PACKAGE = "mixtimer-gui"
PREFIX = Path("opt") / PACKAGE
COMMANDS = ("mixtimer-gui", "mixtimer")
RESOURCES = ROOT / "resources"
MAINTAINER = "MixTimer GUI maintainers <maintainers@mixtimer.invalid>"
# Chinese text needs a CJK font; any will do, so it is a recommendation.
RECOMMENDS = ("fonts-noto-cjk | fonts-wqy-microhei",)
SUMMARY = "maintenance planner for maintenance supervisors"
DESCRIPTION = """\
 Keep the maintenance plans for a plant's equipment, get reminded from the
 system tray before each piece of equipment comes due, and record what was
 done. Other tools read and write the same data through the MixTimer v2
 action API served on a local HTTP port.
 .
 设备维保计划、到期提醒与维保记录。"""


# -- facts read from the bundle (pure parsing, tested) ----------------------------------------


def deb_version(version: str) -> str:
    """A PEP 440 version as Debian orders it: a pre-release sorts before the release
    (``0.2.0rc1`` → ``0.2.0~rc1``), a local part after ``+``."""
    match = re.fullmatch(r"(\d+(?:\.\d+)*)(?:[-_.]?(a|b|rc|alpha|beta|dev)\.?(\d*))?"
                         r"(?:\.post(\d+))?(?:\+(.+))?", version.strip())
    if match is None:
        raise ValueError(f"version {version!r} is not one Debian can order")
    release, pre, pre_number, post, local = match.groups()
    text = release
    if pre:
        text += f"~{pre}{pre_number}"
    if post:
        text += f".post{post}"
    if local:
        text += "+" + re.sub(r"[^A-Za-z0-9.+~]", ".", local)
    return text


def needed_libraries(readelf_dynamic: str) -> list[str]:
    """The ``NEEDED`` entries of ``readelf -d`` output."""
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", readelf_dynamic)


def glibc_versions(readelf_versions: str) -> list[tuple[int, ...]]:
    """The ``GLIBC_x.y`` versions ``readelf -V`` lists as needed."""
    return [tuple(int(n) for n in v.split("."))
            for v in re.findall(r"Name: GLIBC_(\d+(?:\.\d+)*)", readelf_versions)]


def ldconfig_paths(ldconfig_output: str, arch_tag: str = "x86-64") -> dict[str, str]:
    """soname → path from ``ldconfig -p``, for this machine's architecture."""
    paths: dict[str, str] = {}
    for line in ldconfig_output.splitlines():
        match = re.match(r"\s*(\S+) \(([^)]*)\) => (\S+)", line)
        if match and (arch_tag in match.group(2) or "," not in match.group(2)):
            paths.setdefault(match.group(1), match.group(3))
    return paths


def dpkg_owners(dpkg_output: str) -> list[tuple[str, str]]:
    """``(package, path)`` pairs from ``dpkg-query -S`` (the architecture qualifier and
    diversion lines dropped)."""
    owners = []
    for line in dpkg_output.splitlines():
        package, sep, path = line.partition(": ")
        if not sep or package.startswith("diversion by") or "," in package:
            continue
        owners.append((package.split(":")[0].strip(), path.strip()))
    return owners


def depends_field(packages: Iterable[str], glibc: tuple[int, ...]) -> str:
    """``Depends``: the packages, ``libc6`` with the glibc the bundle needs."""
    names = sorted(set(packages) | {"libc6"})
    return ", ".join(f"libc6 (>= {'.'.join(map(str, glibc))})" if name == "libc6" else name
                     for name in names)


def control(*, version: str, architecture: str, depends: str, installed_kib: int) -> str:
    return "\n".join([
        f"Package: {PACKAGE}",
        f"Version: {version}",
        f"Architecture: {architecture}",
        f"Maintainer: {MAINTAINER}",
        f"Installed-Size: {installed_kib}",
        f"Depends: {depends}",
        f"Recommends: {', '.join(RECOMMENDS)}",
        "Section: misc",
        "Priority: optional",
        f"Description: {SUMMARY}",
        DESCRIPTION,
        "",
    ])


def copyright_file() -> str:
    """``debian/copyright`` in the machine-readable format; Debian calls MIT "Expat"."""
    lines = (ROOT / "LICENSE").read_text(encoding="utf-8").strip().splitlines()
    notice = [line for line in lines if line.startswith("Copyright")]
    terms = lines[lines.index(notice[0]) + 1:] if notice else lines
    while terms and not terms[0].strip():
        terms = terms[1:]
    body = "\n".join(f" {line}" if line.strip() else " ." for line in terms)
    holder = notice[0].removeprefix("Copyright (c) ").strip() if notice else PACKAGE
    return ("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
            f"Upstream-Name: {PACKAGE}\n\n"
            f"Files: *\nCopyright: {holder}\nLicense: Expat\n\n"
            f"License: Expat\n{body}\n")


# -- reading the bundle -----------------------------------------------------------------------


def run(command: list[str], *, check: bool = True) -> str:
    return subprocess.run(command, check=check, capture_output=True, text=True).stdout


def elf_files(bundle: Path) -> Iterator[Path]:
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as file:
                if file.read(4) == b"\x7fELF":
                    yield path


def bundled_names(bundle: Path) -> set[str]:
    return {p.name for p in bundle.rglob("*") if p.is_file() or p.is_symlink()}


def system_requirements(bundle: Path) -> tuple[set[str], tuple[int, ...], list[str]]:
    """The sonames the bundle needs from the system, the highest glibc, and the files
    that need that glibc."""
    inside = bundled_names(bundle)
    outside: set[str] = set()
    highest: tuple[int, ...] = (2, 2, 5)
    needing: list[str] = []
    for path in elf_files(bundle):
        outside.update(n for n in needed_libraries(run(["readelf", "-d", "-W", str(path)]))
                       if n not in inside)
        versions = glibc_versions(run(["readelf", "-V", "-W", str(path)]))
        top = max(versions, default=(0,))
        if top > highest:
            highest, needing = top, [path.name]
        elif top == highest:
            needing.append(path.name)
    return outside, highest, needing


def packages_providing(sonames: set[str]) -> set[str]:
    """The installed package of each soname; stops with a clear message for a library the
    build machine lacks."""
    arch_tag = {"amd64": "x86-64", "arm64": "AArch64"}.get(architecture(), "")
    located = ldconfig_paths(run(["ldconfig", "-p"]), arch_tag)
    missing = sorted(s for s in sonames if s not in located)
    if missing:
        raise SystemExit("the bundle links to libraries this machine does not have, so their "
                         "packages cannot be named in Depends: " + ", ".join(missing)
                         + " (install them, e.g. with apt-get, and build again)")
    # Exact paths (a glob makes dpkg-query read every file list once per pattern); with
    # /usr merged, dpkg may know a library under /lib or under /usr/lib.
    candidates = sorted({variant for soname in sonames
                         for variant in path_variants(located[soname])})
    owners = dpkg_owners(run(["dpkg-query", "-S", *candidates], check=False))
    packages = set()
    for soname in sorted(sonames):
        real = os.path.realpath(located[soname])
        found = [package for package, path in owners
                 if Path(path).name == soname and os.path.realpath(path) == real]
        if not found:
            raise SystemExit(f"{located[soname]} (needed by the bundle) belongs to no "
                             "installed package; install the library from a package")
        packages.add(found[0])
    return packages


def path_variants(path: str) -> set[str]:
    """``path`` as dpkg may have recorded it on a system with ``/usr`` merged."""
    variants = {path}
    if path.startswith("/lib"):
        variants.add("/usr" + path)
    elif path.startswith("/usr/lib"):
        variants.add(path.removeprefix("/usr"))
    return variants


def architecture() -> str:
    return run(["dpkg", "--print-architecture"]).strip()


# -- the package tree -------------------------------------------------------------------------


def stage(bundle: Path, tree: Path) -> None:
    shutil.copytree(bundle, tree / PREFIX, symlinks=True)
    bin_dir = tree / "usr" / "bin"
    bin_dir.mkdir(parents=True)
    for command in COMMANDS:
        if not (tree / PREFIX / command).is_file():
            raise SystemExit(f"{bundle / command} is missing: build the bundle first")
        (bin_dir / command).symlink_to(Path("/") / PREFIX / command)
    share = tree / "usr" / "share"
    for source, target in ((RESOURCES / "linux" / f"{APP_ID}.desktop", "applications"),
                           (RESOURCES / "linux" / f"{APP_ID}.metainfo.xml", "metainfo")):
        (share / target).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, share / target / source.name)
    shutil.copytree(RESOURCES / "icons" / "hicolor", share / "icons" / "hicolor")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copyfile(RESOURCES / "icons" / "app.svg", scalable / f"{APP_ID}.svg")
    doc = share / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(copyright_file(), encoding="utf-8")


def normalise_modes(tree: Path) -> None:
    """0755 for folders and programs, 0644 for the rest (whatever the umask was)."""
    for path in [tree, *tree.rglob("*")]:
        if path.is_symlink():
            continue
        executable = path.is_dir() or bool(path.stat().st_mode & stat.S_IXUSR)
        path.chmod(0o755 if executable else 0o644)


def installed_size_kib(tree: Path) -> int:
    return sum((p.lstat().st_size + 1023) // 1024 for p in tree.rglob("*")
               if not p.is_dir()) + 1


def build(bundle: Path, out: Path, *, compression: str = "xz") -> Path:
    version = deb_version(bundle_rules.read_version(str(ROOT / "mixtimer_gui" / "__init__.py")))
    arch = architecture()
    sonames, glibc, needing = system_requirements(bundle)
    depends = depends_field(packages_providing(sonames), glibc)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{PACKAGE}_{version}_{arch}.deb"
    with tempfile.TemporaryDirectory(prefix="mixtimer-deb-") as tmp:
        tree = Path(tmp) / "root"
        stage(bundle, tree)
        (tree / "DEBIAN").mkdir()
        (tree / "DEBIAN" / "control").write_text(
            control(version=version, architecture=arch, depends=depends,
                    installed_kib=installed_size_kib(tree)), encoding="utf-8")
        normalise_modes(tree)
        level = "-z1" if compression == "gzip" else "-z6"
        subprocess.run(["dpkg-deb", "--root-owner-group", f"-Z{compression}", level,
                        "--build", str(tree), str(target)], check=True,
                       stdout=subprocess.DEVNULL)
    print(f"glibc: {'.'.join(map(str, glibc))} or newer "
          f"(highest GLIBC_ symbol version, needed by {', '.join(sorted(set(needing)))})")
    print(f"Depends: {depends}")
    print(f"wrote {target} ({target.stat().st_size / 1_048_576:.1f} MiB)")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "mixtimer-gui",
                        help="the PyInstaller folder (default: dist/mixtimer-gui)")
    parser.add_argument("--out", type=Path, default=ROOT / "dist",
                        help="where the .deb goes (default: dist/)")
    parser.add_argument("--compression", choices=("xz", "gzip"), default="xz",
                        help="xz: the smallest package (~85 s on 2 cores); gzip: ~2 s and "
                             "half again as large, for checks")
    args = parser.parse_args(argv)
    build(args.bundle.resolve(), args.out.resolve(), compression=args.compression)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
