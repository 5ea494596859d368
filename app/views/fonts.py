"""A font that renders Chinese on any machine: the bundled/system WenQuanYi Micro Hei."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from app.paths import resource

log = logging.getLogger(__name__)

# The bundle's own copy first (packaging/coplan.spec puts it in fonts/), then the system's.
CJK_FONT_FILES = (resource("fonts", "wqy-microhei.ttc"),
                  Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
                  Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"))
FALLBACK_FAMILY = "Sans Serif"
_family: str | None = None


def cjk_family() -> str:
    """The family to use for Chinese text; registers the font file once per process."""
    global _family
    if _family is None:
        _family = _register() or FALLBACK_FAMILY
    return _family


def _register() -> str | None:
    for path in CJK_FONT_FILES:
        if not path.is_file():
            continue
        font_id = QFontDatabase.addApplicationFont(str(path))
        families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
        if families:
            return families[0]
    # Without it Chinese shows as boxes on minimal systems; say so instead of failing.
    log.warning("no CJK font found (install fonts-wqy-microhei); Chinese text may not render")
    return None


def install_cjk_font(point_size: float = 9.5) -> str:
    """Make the CJK font the application's default font; returns its family."""
    family = cjk_family()
    app = QApplication.instance()
    if app is not None and app.font().family() != family:
        font = QFont(family)
        font.setPointSizeF(point_size)
        app.setFont(font)
    return family


def label_font(pixel_size: int, bold: bool = False) -> QFont:
    """The CJK font at a pixel size, for map labels."""
    font = QFont(cjk_family())
    font.setPixelSize(pixel_size)
    font.setBold(bold)
    return font
