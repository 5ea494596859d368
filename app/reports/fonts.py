"""The CJK font for PDFs and charts: WenQuanYi Micro Hei, embedded (TrueType outlines).

reportlab cannot embed Noto CJK (CFF outlines) and its built-in STSong-Light is not embedded,
so Chinese would vanish on a machine without poppler-data; a TrueType collection is embedded
and keeps the text extractable.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from app.errors import CoplanError
from app.paths import resource_root

FONT_NAME = "CoPlanCJK"  # the name reportlab paragraphs and tables use
CANDIDATES = (
    "fonts/wqy-microhei.ttc",  # bundled with a packaged app
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # Debian fonts-wqy-microhei
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)


def font_path() -> Path:
    """The CJK font file; CoplanError naming the package to install when there is none."""
    for candidate in CANDIDATES:
        path = Path(candidate) if candidate.startswith("/") else resource_root() / candidate
        if path.is_file():
            return path
    raise CoplanError("no CJK font found; install it with: apt-get install fonts-wqy-microhei")


@cache
def reportlab_font() -> str:
    """Register the CJK font with reportlab once; returns its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_path()), subfontIndex=0))
    return FONT_NAME


@cache
def matplotlib_family() -> str:
    """Register the CJK font with matplotlib once; returns the family name to use."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(font_path()))
    return font_manager.FontProperties(fname=str(font_path())).get_name()
