"""Keeping the main window within the screen (1366×768 laptops up to 1920×1080 and more) and the
bar that says a project is open read-only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMainWindow,
    QScrollArea,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from app.views.i18n import tr

READ_ONLY_STYLE = "background: #FFF3BF; color: #5C3C00; padding: 6px 10px; border-bottom: 1px solid #FAB005;"
TITLE_BAR = 30  # px a window manager's title bar takes above the window


def scrolled(widget: QWidget) -> QScrollArea:
    """`widget` in a frameless scroll area: a tall panel scrolls instead of making the window
    taller than the screen (the sync panel alone asked for 880 px)."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    # Only the height scrolls: as wide as the panel needs, so no line is cut off at the right.
    area.setMinimumWidth(widget.minimumSizeHint().width() + area.verticalScrollBar().sizeHint().width())
    return area


def fit_screen(window: QWidget, width: int, height: int) -> None:
    """Size `window` to `width`×`height`, or smaller to fit its screen."""
    screen = window.screen().availableGeometry() if window.screen() else None
    if screen is not None and not screen.isEmpty():
        width, height = min(width, screen.width()), min(height, screen.height() - TITLE_BAR)
    window.resize(width, height)


def hide_stale_tab_bars(window: QMainWindow, docks) -> None:
    """Qt leaves a tab bar of the docks tabified before the first show lying over the layer
    panel (empty tabs, never updated again); the bars in use sit beside the docks."""
    shown = [d for d in docks if d.isVisible()]
    for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if bar.isVisible() and any(d.geometry().contains(bar.geometry().center()) for d in shown):
            bar.hide()


class ReadOnlyBanner(QLabel):
    """A yellow bar: the project is open read-only, and why."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("read-only-banner")
        self.setStyleSheet(READ_ONLY_STYLE)
        self.setWordWrap(True)
        self.hide()

    def show_reason(self, reason: str | None) -> None:
        """`reason` in the UI language (None: writable, no bar)."""
        if reason:
            self.setText(tr("Read-only: {}. You can look and export, not edit; reopen the project "
                            "once the file can be written.").format(reason))
        self.setVisible(bool(reason))


def above(banner: QWidget, centre: QWidget) -> QWidget:
    """`banner` over `centre`, the centre taking the room."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(banner)
    layout.addWidget(centre, 1)
    return box
