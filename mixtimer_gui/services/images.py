"""Images attached to handles: copied into ``<data folder>/images/`` under safe names, and
kept in the database so every workstation of a team sees them (``SharedImages``).

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
from mixtimer_gui.services.context import ServiceContext

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


class SharedImages:
    """Attached images kept in the database, with a cache in this workstation's folder.

    Why the database: in team mode several workstations share one PostgreSQL database and
    nothing else. A network folder would be one more thing to set up, back up and secure
    on every workstation (and breaks when one maps it differently); the database is already
    reachable, backed up by ``pg_dump`` and carried by ``copy-db`` and 导出离线副本. Pictures
    are small (20 MB at most, usually ~1 MB phone photos) and written once, keyed by their
    content hash, so storing each exactly once costs little.

    Why a cache: a list showing thumbnails must not fetch megabytes per row from the server
    each time. ``<data folder>/images/`` stays what it always was, so every path written
    before (exports, thumbnails, ``stored_path``) keeps working: a picture missing there is
    fetched from the database once; one found there but not in the database (attached before
    this version, or on a single workstation) is put into the database the first time it is
    asked for. Both engines do the same, so a single-workstation database copied into team
    mode brings its pictures along.
    """

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def attach(self, sources: Iterable[Path | str]) -> list[str]:
        """Validate, cache and store the pictures at ``sources``; their stored names.
        Nothing is stored when one is refused (``FieldError`` on ``images``)."""
        names = store_images(self.ctx.data_dir, sources)
        for name in names:
            self._upload(name)
        return names

    def local_path(self, name: str) -> Path | None:
        """Where the picture ``name`` is on this workstation, fetched from the database when
        the cache lacks it; ``None`` for a URL, a bad name, or a picture nobody stored."""
        path = stored_path(self.ctx.data_dir, name)
        if path is None:
            return None
        if path.is_file():
            self._upload(name)  # lazily moves a picture attached before into the database
            return path
        image = self.ctx.store.Image
        with self.ctx.read():
            row = image.get_or_none(image.name == name)
        if row is None:
            return None
        _write_atomically(bytes(row.data), path)
        return path

    def _upload(self, name: str) -> None:
        path = stored_path(self.ctx.data_dir, name)
        if path is None or not path.is_file() or self.ctx.store.read_only_reason:
            return
        image = self.ctx.store.Image
        with self.ctx.read():
            if image.select(image.name).where(image.name == name).exists():
                return
        data = path.read_bytes()
        with self.ctx.write():
            image.insert(name=name, data=data, size=len(data),
                         created=self.ctx.clock.now()).on_conflict_ignore().execute()


def _write_atomically(data: bytes, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
