"""The Debian package's facts, read from the bundle by packaging/build_deb.py: its version,
the libraries it needs from the system and their packages, and the glibc it needs."""

from __future__ import annotations

import pytest
from release_scripts import load

deb = load("packaging/build_deb.py")

READELF_DYNAMIC = """
Dynamic section at offset 0x3b98 contains 54 entries:
  Tag        Type                         Name/Value
 0x0000000000000001 (NEEDED)             Shared library: [libQt6XcbQpa.so.6]
 0x0000000000000001 (NEEDED)             Shared library: [libxcb-icccm.so.4]
 0x0000000000000001 (NEEDED)             Shared library: [libc.so.6]
 0x000000000000000e (SONAME)             Library soname: [libqxcb.so]
 0x000000000000001d (RUNPATH)            Library runpath: [$ORIGIN/../../lib]
"""

READELF_VERSIONS = """
Version needs section '.gnu.version_r' contains 2 entries:
 Addr: 0x0000000000001b40  Offset: 0x001b40  Link: 7 (.dynstr)
  000000: Version: 1  File: libm.so.6  Cnt: 1
  0x0010:   Name: GLIBC_2.2.5  Flags: none  Version: 9
  0x0020: Version: 1  File: libc.so.6  Cnt: 3
  0x0030:   Name: GLIBC_2.34  Flags: none  Version: 8
  0x0040:   Name: GLIBC_2.4  Flags: none  Version: 7
  0x0050:   Name: GLIBC_PRIVATE  Flags: none  Version: 6
"""

LDCONFIG = """1234 libs found in cache `/etc/ld.so.cache'
\tlibz.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libz.so.1
\tlibz.so.1 (libc6) => /lib/i386-linux-gnu/libz.so.1
\tlibxcb-icccm.so.4 (libc6,x86-64) => /lib/x86_64-linux-gnu/libxcb-icccm.so.4
"""

DPKG = """zlib1g:amd64: /lib/x86_64-linux-gnu/libz.so.1
libxcb-icccm4:amd64: /usr/lib/x86_64-linux-gnu/libxcb-icccm.so.4
diversion by dash from: /bin/sh
libc6:amd64, libc6:i386: /usr/share/doc
"""


def test_needed_libraries_and_glibc_versions_are_read_from_readelf() -> None:
    assert deb.needed_libraries(READELF_DYNAMIC) == [
        "libQt6XcbQpa.so.6", "libxcb-icccm.so.4", "libc.so.6"]
    versions = deb.glibc_versions(READELF_VERSIONS)
    assert max(versions) == (2, 34)  # 2.34 > 2.4: compared as numbers, not as text
    assert (2, 2, 5) in versions


def test_libraries_are_located_for_this_architecture() -> None:
    assert deb.ldconfig_paths(LDCONFIG) == {
        "libz.so.1": "/lib/x86_64-linux-gnu/libz.so.1",
        "libxcb-icccm.so.4": "/lib/x86_64-linux-gnu/libxcb-icccm.so.4"}


def test_owners_drop_the_architecture_and_diversions() -> None:
    assert deb.dpkg_owners(DPKG) == [
        ("zlib1g", "/lib/x86_64-linux-gnu/libz.so.1"),
        ("libxcb-icccm4", "/usr/lib/x86_64-linux-gnu/libxcb-icccm.so.4")]


def test_a_merged_usr_is_asked_both_ways() -> None:
    assert deb.path_variants("/lib/x86_64-linux-gnu/libz.so.1") == {
        "/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1"}
    assert deb.path_variants("/usr/lib/x86_64-linux-gnu/libX11.so.6") == {
        "/usr/lib/x86_64-linux-gnu/libX11.so.6", "/lib/x86_64-linux-gnu/libX11.so.6"}


def test_depends_names_the_glibc_the_bundle_needs() -> None:
    assert deb.depends_field(["zlib1g", "libc6", "libxcb-icccm4"], (2, 35)) == \
        "libc6 (>= 2.35), libxcb-icccm4, zlib1g"
    assert deb.depends_field([], (2, 34)) == "libc6 (>= 2.34)"


@pytest.mark.parametrize(("python", "debian"), [
    ("0.1.0", "0.1.0"), ("0.2.0rc1", "0.2.0~rc1"), ("1.0b2", "1.0~b2"),
    ("1.0.post3", "1.0.post3"), ("1.0+plant_7", "1.0+plant.7"),
])
def test_versions_sort_as_debian_sorts_them(python: str, debian: str) -> None:
    assert deb.deb_version(python) == debian


def test_a_version_debian_cannot_order_is_refused() -> None:
    with pytest.raises(ValueError, match="Debian"):
        deb.deb_version("latest")


def test_the_control_file() -> None:
    text = deb.control(version="0.1.0", architecture="amd64",
                       depends="libc6 (>= 2.35), zlib1g", installed_kib=118000)
    fields = dict(line.split(": ", 1) for line in text.splitlines()
                  if line and not line.startswith(" "))
    assert fields["Package"] == "mixtimer-gui" and fields["Version"] == "0.1.0"
    assert fields["Depends"] == "libc6 (>= 2.35), zlib1g"
    assert fields["Installed-Size"] == "118000"
    # The long description: every line indented, an empty one written " ."
    long_lines = text.split("Description: ", 1)[1].splitlines()[1:]
    assert long_lines and all(line.startswith(" ") and line.strip() for line in long_lines)


def test_the_copyright_file_carries_the_license() -> None:
    text = deb.copyright_file()
    assert text.startswith("Format: https://www.debian.org/doc/packaging-manuals/"
                           "copyright-format/1.0/")
    assert "License: Expat\n Permission is hereby granted" in text
    assert all(line.startswith(" ") for line in text.split("License: Expat\n", 2)[2]
               .splitlines())
