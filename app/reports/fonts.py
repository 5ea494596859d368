"""The CJK faces of PDFs and charts, embedded as TrueType: a serif (宋体-style) body, AR PL
UMing CN, and a sans (黑体-style) face for headings and English text, WenQuanYi Micro Hei
(UMing's Latin letters are monospaced; the sans face's are proportional and it has the Chinese
glyphs an English text may quote, which a Latin-only face would drop).

reportlab cannot embed Noto CJK (CFF outlines) and its built-in STSong-Light is not embedded,
so Chinese would vanish on a machine without poppler-data; TrueType collections are embedded
and keep the text extractable. Charts (matplotlib) keep the sans face: map labels read better
in it at small sizes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from app.errors import CoplanError
from app.paths import resource

FONT_NAME = "CoPlanCJK"  # the body face's name in reportlab paragraphs and tables
HEADING_FONT_NAME = "CoPlanCJKHei"  # the heading face's name

SANS = (  # 黑体-style: headings, table headers, charts
    "fonts/wqy-microhei.ttc",  # bundled with a packaged app
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # Debian fonts-wqy-microhei
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
SERIF = (  # 宋体-style: running text
    "fonts/uming.ttc",  # bundled with a packaged app
    "/usr/share/fonts/truetype/arphic/uming.ttc",  # Debian fonts-arphic-uming
)
CANDIDATES = SANS  # kept for callers that look for the sans face


def _find(candidates: tuple[str, ...], package: str) -> Path:
    for candidate in candidates:
        path = Path(candidate) if candidate.startswith("/") else resource(candidate)
        if path.is_file():
            return path
    raise CoplanError(f"no CJK font found; install it with: apt-get install {package}")


def font_path() -> Path:
    """The sans (黑体-style) CJK font file; CoplanError naming the package when there is none."""
    return _find(SANS, "fonts-wqy-microhei")


def serif_path() -> Path:
    """The serif (宋体-style) CJK font file; CoplanError naming the package when there is none."""
    return _find(SERIF, "fonts-arphic-uming")


@cache
def reportlab_font() -> str:
    """Register the body face (serif) with reportlab once; returns its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    # Subfont 0 of uming.ttc is AR PL UMing CN (simplified-Chinese glyph forms).
    pdfmetrics.registerFont(TTFont(FONT_NAME, str(serif_path()), subfontIndex=0))
    return FONT_NAME


@cache
def heading_font() -> str:
    """Register the heading face (sans, 黑体-style) with reportlab once; returns its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(HEADING_FONT_NAME, str(font_path()), subfontIndex=0))
    return HEADING_FONT_NAME


@cache
def matplotlib_family() -> str:
    """Register the sans CJK font with matplotlib once; returns the family name to use."""
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(font_path()))
    return font_manager.FontProperties(fname=str(font_path())).get_name()
