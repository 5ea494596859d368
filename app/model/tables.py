"""Tracked tables that are not map layers: captured, versioned and synced like layers.

The plan's text is one row per section (table coplan_sections, made by schemas/sql/0002 and
0004); described here as a layer without geometry, so change capture, change sets, the merge
and permissions treat a section exactly like a feature: named by UUID, owned by a party.
"""

from __future__ import annotations

from app.errors import NotFound
from app.model.catalogue import NO_GEOMETRY, Catalogue, Field, Layer, Style


def _text(name: str, zh: str, en: str, required: bool = False) -> Field:
    return Field(name, zh, en, "text", None, required)


SECTIONS = Layer(
    code="SECTIONS", name_zh="规划文本章节", name_en="Plan text sections", category="content",
    geometry=NO_GEOMETRY, table="coplan_sections", unique=("SECTION_ID",),
    style=Style(stroke="#000000", stroke_width=0.0),
    fields=(
        _text("SECTION_ID", "章节编号", "Section id", True),
        _text("PARENT_ID", "上级章节", "Parent section"),
        Field("ORD", "顺序", "Order", "integer", None, True),
        _text("KIND", "类型", "Kind", True),
        _text("PARTICIPANTS", "参与方", "Participants"),
        _text("STATUS", "状态", "Status", True),
        _text("TITLE_ZH", "标题（中文）", "Title (Chinese)"),
        _text("TITLE_EN", "标题（英文）", "Title (English)"),
        _text("BODY_ZH", "正文（中文）", "Body (Chinese)"),
        _text("BODY_EN", "正文（英文）", "Body (English)"),
        _text("LINKS", "关联", "Links (JSON)"),
    ),
)
TABLES = (SECTIONS,)


def tracked_layer(catalogue: Catalogue, code: str) -> Layer:
    """A catalogue layer or a tracked table by code (case-insensitive)."""
    for table in TABLES:
        if table.code == str(code).upper():
            return table
    try:
        return catalogue.layer(code)
    except NotFound:
        raise NotFound(f"unknown layer {code!r}") from None
