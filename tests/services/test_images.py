"""Attaching images to handles: safe stored names, validation, all-or-nothing copies."""

from __future__ import annotations

from pathlib import Path

import pytest

from mixtimer_gui.domain.errors import FieldError
from mixtimer_gui.services import images

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * 32


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_store_copies_under_hash_name_with_extension(tmp_path: Path) -> None:
    src = write(tmp_path / "in" / "泵 照片 (1).PNG", PNG)
    names = images.store_images(tmp_path / "data", [src])
    assert len(names) == 1
    name = names[0]
    assert name.endswith(".png") and len(name) == 32 + 4
    assert all(c in "0123456789abcdef.png" for c in name)
    assert (tmp_path / "data" / "images" / name).read_bytes() == PNG
    assert src.exists()  # a copy, the user's file stays


def test_same_content_is_stored_once(tmp_path: Path) -> None:
    a = write(tmp_path / "a.jpg", JPEG)
    b = write(tmp_path / "b.jpeg", JPEG)
    first = images.store_images(tmp_path, [a, a])
    assert len(first) == 1
    second = images.store_images(tmp_path, [b])
    assert second[0] != first[0]  # the extension is part of the name
    assert len(list((tmp_path / "images").iterdir())) == 2


@pytest.mark.parametrize("filename, data, words", [
    ("notes.txt", b"hello", "不支持的文件类型"),
    ("fake.png", b"not a png at all", "不是有效的 png"),
    ("empty.jpg", b"", "空的"),
])
def test_refused_files_name_the_file_and_copy_nothing(tmp_path: Path, filename: str,
                                                      data: bytes, words: str) -> None:
    good = write(tmp_path / "good.png", PNG)
    bad = write(tmp_path / filename, data)
    with pytest.raises(FieldError) as err:
        images.store_images(tmp_path / "data", [good, bad])
    assert err.value.field == "images"
    assert words in err.value.message and filename in err.value.message
    assert not (tmp_path / "data" / "images").exists()


def test_missing_and_too_big_files_are_refused(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(FieldError, match="找不到文件"):
        images.store_images(tmp_path, [tmp_path / "gone.png"])
    (tmp_path / "folder.png").mkdir()
    with pytest.raises(FieldError, match="找不到文件"):
        images.store_images(tmp_path, [tmp_path / "folder.png"])
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 10)
    with pytest.raises(FieldError, match="太大"):
        images.store_images(tmp_path, [write(tmp_path / "big.png", PNG)])


def test_each_file_is_checked_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[str] = []
    real_check = images.check_image

    def counting_check(source: Path) -> str:
        checked.append(source.name)
        return real_check(source)

    monkeypatch.setattr(images, "check_image", counting_check)
    a = write(tmp_path / "a.png", PNG)
    b = write(tmp_path / "b.jpg", JPEG)
    assert len(images.store_images(tmp_path / "data", [a, b])) == 2
    assert checked == ["a.png", "b.jpg"]


def test_too_many_images_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "MAX_IMAGES", 1)
    a = write(tmp_path / "a.png", PNG)
    with pytest.raises(FieldError, match="最多"):
        images.store_images(tmp_path, [a, a])


def test_names_join_and_split() -> None:
    assert images.join_names(["a.png", "", "b.jpg", "a.png"]) == "a.png;b.jpg"
    assert images.split_names(" a.png ; ;b.jpg") == ["a.png", "b.jpg"]
    assert images.split_names(None) == []


def test_stored_path_never_leaves_the_images_folder(tmp_path: Path) -> None:
    assert images.stored_path(tmp_path, "ab.png") == tmp_path / "images" / "ab.png"
    for bad in ("../db.sqlite", "/etc/passwd", "a/b.png", "", ".hidden", "https://x/y.png"):
        assert images.stored_path(tmp_path, bad) is None
