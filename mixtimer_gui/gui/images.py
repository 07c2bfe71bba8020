"""Qt side of handle images: thumbnails (cached under ``images/thumbs/``), a thumbnail strip,
and a full-size viewer.

Thumbnails are decoded with ``QImageReader.setScaledSize`` so a 20-megapixel photo is never
fully decoded just to draw 96 pixels; the scaled PNG is cached next to the images, keyed by the
stored name (which is a content hash, so a cache entry can never go stale).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QImageReader, QPainter, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mixtimer_gui.gui.screens import fit_to_screen
from mixtimer_gui.services import images as stored

THUMB_SIZE = 96
THUMBS_DIR = "thumbs"
PATH_ROLE = Qt.ItemDataRole.UserRole + 1


def read_scaled(path: Path, size: int) -> QImage | None:
    """Decode ``path`` scaled to fit ``size``×``size`` (EXIF rotation applied); ``None`` when
    the file is missing or not an image Qt can read."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    original = reader.size()
    if original.isValid() and (original.width() > size or original.height() > size):
        reader.setScaledSize(original.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image


def thumbnail_path(data_dir: Path, name: str, size: int = THUMB_SIZE) -> Path | None:
    path = stored.stored_path(data_dir, name)
    if path is None:
        return None
    return path.parent / THUMBS_DIR / f"{Path(name).stem}_{size}.png"


def stored_thumbnail(data_dir: Path, name: str, size: int = THUMB_SIZE) -> QPixmap:
    """The thumbnail of a stored image (from the cache when present), or a placeholder."""
    cached = thumbnail_path(data_dir, name, size)
    source = stored.stored_path(data_dir, name)
    if cached is None or source is None:
        return placeholder(size)
    if cached.exists():
        pixmap = QPixmap(str(cached))
        if not pixmap.isNull():
            return pixmap
    image = read_scaled(source, size)
    if image is None:
        return placeholder(size)
    cached.parent.mkdir(parents=True, exist_ok=True)
    image.save(str(cached), "PNG")  # a failed cache write only costs a decode next time
    return QPixmap.fromImage(image)


def file_thumbnail(path: Path, size: int = THUMB_SIZE) -> QPixmap:
    """The thumbnail of a file not stored yet (a dialog's preview): not cached."""
    image = read_scaled(path, size)
    return placeholder(size) if image is None else QPixmap.fromImage(image)


def placeholder(size: int = THUMB_SIZE) -> QPixmap:
    """A grey tile with a slash: the image is missing, unreadable, or only a URL."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor("#eceff1"))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor("#9aa5ab"))
    margin = size // 4
    painter.drawRect(margin, margin, size - 2 * margin, size - 2 * margin)
    painter.drawLine(margin, size - margin, size - margin, margin)
    painter.end()
    return pixmap


class ThumbnailList(QListWidget):
    """A wrapping strip of thumbnails. Each item keeps the image's full path.

    Signals:
        opened(str): an item was activated (double-click / Enter), with its file path.
    """

    opened = Signal(str)

    def __init__(self, size: int = THUMB_SIZE, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._size = size
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(QSize(size, size))
        self.setGridSize(QSize(size + 16, size + 28))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setMovement(QListView.Movement.Static)
        self.setWrapping(True)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.itemActivated.connect(self._open)
        self.itemClicked.connect(self._open)

    def add_pixmap(self, pixmap: QPixmap, label: str, path: str, tooltip: str = "") -> None:
        item = QListWidgetItem(pixmap, label)
        item.setData(PATH_ROLE, path)
        item.setToolTip(tooltip or path)
        self.addItem(item)

    def paths(self) -> list[str]:
        return [self.item(i).data(PATH_ROLE) for i in range(self.count())]

    def _open(self, item: QListWidgetItem) -> None:
        path = item.data(PATH_ROLE)
        if path:
            self.opened.emit(path)


class ImageViewer(QDialog):
    """The image at full size (scaled down to the screen), scrollable."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(path.name)
        label = QLabel()
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        image = read_scaled(path, 1600)
        if image is None:
            label.setText(self.tr("This image cannot be shown: the file is missing or is not "
                                  "a picture."))
        else:
            label.setPixmap(QPixmap.fromImage(image))
        scroll = QScrollArea()
        scroll.setWidget(label)
        scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        fit_to_screen(self, 900, 700)
