"""Images attached to handles: copied into ``<data folder>/images/`` under safe names.

A handle's ``images`` field is a ``;``-separated list of stored names (or URLs written by API
clients). Stored names are the content hash plus the original extension, so attaching the same
picture twice keeps one file and no user-given name ever reaches the file system.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from mixtimer_gui.domain import messages as say
from mixtimer_gui.domain.errors import FieldError

IMAGES_FIELD = "images"
IMAGES_DIR = "images"
SEPARATOR = ";"
MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGES = 50

# The first bytes of each accepted format: a renamed text file is refused, not stored.
_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".bmp": (b"BM",),
    ".webp": (b"RIFF",),
}
ALLOWED_EXTENSIONS = tuple(_SIGNATURES)
_HASH_CHARS = 32


def images_dir(data_dir: Path) -> Path:
    return Path(data_dir) / IMAGES_DIR


def split_names(images: str | None) -> list[str]:
    """The names in a handle's ``images`` field, blanks dropped, order kept."""
    return [part.strip() for part in (images or "").split(SEPARATOR) if part.strip()]


def join_names(names: Iterable[str]) -> str:
    return SEPARATOR.join(dict.fromkeys(n for n in names if n))


def is_url(name: str) -> bool:
    return name.lower().startswith(("http://", "https://"))


def stored_path(data_dir: Path, name: str) -> Path | None:
    """Where a stored name lives, or ``None`` for URLs and names that try to leave the folder."""
    if is_url(name) or not name or name != Path(name).name or name.startswith("."):
        return None
    return images_dir(data_dir) / name


def check_image(source: Path) -> str:
    """Validate one file to attach; returns its lower-case extension.

    Raises ``FieldError`` on ``images`` with a sentence saying what is wrong with which file.
    """
    ext = source.suffix.lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise FieldError.of(say.IMAGE_TYPE, IMAGES_FIELD, name=source.name,
                            allowed=" ".join(ALLOWED_EXTENSIONS))
    try:
        size = source.stat().st_size
        if not source.is_file():
            raise OSError
    except OSError:
        raise FieldError.of(say.IMAGE_MISSING, IMAGES_FIELD, path=source) from None
    if size == 0:
        raise FieldError.of(say.IMAGE_EMPTY, IMAGES_FIELD, name=source.name)
    if size > MAX_IMAGE_BYTES:
        raise FieldError.of(say.IMAGE_TOO_LARGE, IMAGES_FIELD, name=source.name,
                            size=size // (1024 * 1024), maximum=MAX_IMAGE_BYTES // (1024 * 1024))
    with source.open("rb") as fh:
        head = fh.read(16)
    if not any(head.startswith(sig) for sig in _SIGNATURES[ext]) or (
            ext == ".webp" and head[8:12] != b"WEBP"):
        raise FieldError.of(say.IMAGE_INVALID, IMAGES_FIELD, name=source.name, kind=ext[1:])
    return ext


def _store_checked(data_dir: Path, source: Path, ext: str) -> str:
    """Copy one image that ``check_image`` accepted as ``ext``; returns its stored name."""
    digest = hashlib.sha256()
    with source.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    name = digest.hexdigest()[:_HASH_CHARS] + ext
    target = images_dir(data_dir) / name
    if not target.exists():
        _copy_atomically(source, target)
    return name


def store_images(data_dir: Path, sources: Iterable[Path | str]) -> list[str]:
    """Validate every file first, then copy them all; nothing is copied if one is refused."""
    paths = [Path(s) for s in sources]
    if len(paths) > MAX_IMAGES:
        raise FieldError.of(say.TOO_MANY_IMAGES, IMAGES_FIELD, maximum=MAX_IMAGES,
                            count=len(paths))
    exts = [check_image(path) for path in paths]
    return list(dict.fromkeys(_store_checked(data_dir, path, ext)
                              for path, ext in zip(paths, exts, strict=True)))


def _copy_atomically(source: Path, target: Path) -> None:
    """Copy through a temporary file so a crash never leaves half an image under its name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            for block in iter(lambda: src.read(1 << 16), b""):
                out.write(block)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
