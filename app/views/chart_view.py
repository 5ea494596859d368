"""A chart made by the core (a matplotlib Figure rendered to PNG on the DB worker) shown as an
image that follows the widget's width."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from app.views.i18n import tr


class ChartView(QLabel):
    """Shows PNG bytes; `pixmap_size` is the image's own size (0×0 before the first chart)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumHeight(160)
        self.image = QPixmap()
        self.viewer: QDialog | None = None
        self.setToolTip(tr("Click to see the chart at full size"))

    def set_png(self, data: bytes) -> None:
        """Decode in memory (no file) and show, scaled to the current width."""
        self.image = QPixmap()
        self.image.loadFromData(data, "PNG")
        self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self.image.isNull():
            self.clear()
            return
        self.setPixmap(self.image.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                         Qt.TransformationMode.SmoothTransformation))

    def mousePressEvent(self, event) -> None:
        if not self.image.isNull():
            self.show_full_size()
        super().mousePressEvent(event)

    def show_full_size(self) -> QDialog:
        """The chart at its own size in a scrollable window (small multiples need the room)."""
        self.viewer = QDialog(self.window())
        self.viewer.setWindowTitle(tr("Chart"))
        label = QLabel()
        label.setPixmap(self.image)
        scroll = QScrollArea()
        scroll.setWidget(label)
        QVBoxLayout(self.viewer).addWidget(scroll)
        self.viewer.resize(min(self.image.width() + 40, 1500), min(self.image.height() + 40, 950))
        self.viewer.show()
        return self.viewer

    @property
    def pixmap_size(self) -> tuple[int, int]:
        return self.image.width(), self.image.height()
