"""Box layouts from a list of parts, so a view's layout reads as its structure.

A part is a widget, a layout, an int (a stretch of that factor) or a (widget or layout, stretch)
pair: `row(label, (field, 1), button)` is a row whose field takes the spare width.
"""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLayout, QSplitter, QVBoxLayout, QWidget


def _fill(box: QBoxLayout, parts) -> QBoxLayout:
    for part in parts:
        item, stretch = part if isinstance(part, tuple) else (part, 0)
        if isinstance(item, int):
            box.addStretch(item)
        elif isinstance(item, QLayout):
            box.addLayout(item, stretch)
        else:
            box.addWidget(item, stretch)
    return box


def row(*parts, parent: QWidget | None = None) -> QHBoxLayout:
    """A horizontal box of `parts` (set on `parent` when given)."""
    return _fill(QHBoxLayout(parent) if parent is not None else QHBoxLayout(), parts)


def column(*parts, parent: QWidget | None = None) -> QVBoxLayout:
    """A vertical box of `parts` (set on `parent` when given)."""
    return _fill(QVBoxLayout(parent) if parent is not None else QVBoxLayout(), parts)


def pane(*parts) -> QWidget:
    """A widget holding a margin-less column of `parts`: one side of a splitter."""
    widget = QWidget()
    column(*parts, parent=widget).setContentsMargins(0, 0, 0, 0)
    return widget


def splitter(*panes: QWidget, stretch: tuple[int, ...] = (), sizes: tuple[int, ...] = ()) -> QSplitter:
    """A horizontal splitter of `panes` with their stretch factors and first sizes."""
    split = QSplitter()
    for widget in panes:
        split.addWidget(widget)
    for index, factor in enumerate(stretch):
        split.setStretchFactor(index, factor)
    if sizes:
        split.setSizes(list(sizes))
    return split
