"""Typesetting: a serif body with sans headings, Chinese line breaking (no 孤字 last line, no
dash or closing mark at a line start, no number split from its unit), widow and orphan control,
and on the sample's four outputs: headings kept with their text, part openers on right-hand
pages, running heads, numbered tables with sources, lists of figures and tables, front matter
numbered apart."""

from __future__ import annotations

import re
import sys

import pytest
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Spacer

from app.errors import CoplanError
from app.reports import cjk, fonts, pagination
from app.reports.cjk import NO_START, CJKParagraph, break_lines, lonely, lonely_line
from app.reports.styles import styles
from tests.reports.conftest import run

DASHES = "沿线依次布局安亭—花桥—白鹤等节点，并与长三角生态绿色一体化发展示范区——青浦、吴江、嘉善衔接。"
NUMBERS = "本期完成11项重点工程，覆盖陆域面积约5.6万平方千米，到2035年基本建成12条城际铁路。"
LONELY = "对于跨越多个城市的项目，由牵头方组织统一设计、分段实施、同步建成。"


def lines_of(text: str, width: float, size: float = 10.5) -> list[str]:
    return [line for _, line in break_lines(text, fonts.reportlab_font(), size, [width])]


# --- fonts ----------------------------------------------------------------------------------

def test_body_is_serif_and_headings_sans():
    s = styles()
    assert s.body.fontName == fonts.reportlab_font() and "uming" in fonts.serif_path().name
    assert all(h.fontName == fonts.heading_font() for h in s.headings)
    assert s.head_cell.fontName == fonts.heading_font() and "wqy" in fonts.font_path().name


def test_a_missing_serif_font_names_its_package(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "SERIF", (str(tmp_path / "none.ttc"),))
    with pytest.raises(CoplanError, match="fonts-arphic-uming"):
        fonts.serif_path()


def test_a_bundled_serif_font_is_found_in_the_resources(monkeypatch, tmp_path):
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "uming.ttc").write_bytes(b"x")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)  # as in a bundle
    assert fonts.serif_path() == tmp_path / "fonts" / "uming.ttc"


# --- line breaking --------------------------------------------------------------------------

@pytest.mark.parametrize("text", [DASHES, NUMBERS, LONELY])
def test_crafted_paragraphs_break_by_the_rules_at_every_width(text):
    for width in range(60, 400, 3):
        lines = lines_of(text, width)
        assert "".join(lines) == text
        for before, line in zip(lines, lines[1:], strict=False):
            assert line[0] not in NO_START, (width, before, line)  # 「—白鹤」 never
            assert not (before[-1].isdigit() and not line[0].isascii()), (width, before, line)
            assert not (before[-1].isdigit() and line[0].isdigit()), (width, before, line)
        assert len(lines) == 1 or not lonely(lines[-1]), (width, lines)


def test_a_lonely_last_character_gets_company():
    # Widths where the plain greedy break leaves 「成。」 alone: the line before gives one up.
    font = fonts.reportlab_font()
    widths = [w for w in range(60, 400) if lonely(_greedy_last(LONELY, font, w))]
    assert widths
    for width in widths:
        lines = lines_of(LONELY, width)
        assert not lonely(lines[-1]) and "".join(lines) == LONELY, (width, lines)


def _greedy_last(text: str, font: str, width: float) -> str:
    start, end = cjk._spans(text, font, 10.5, [width])[-1]
    return text[start:end]


def test_the_check_reports_a_lonely_line():
    p = CJKParagraph("x", styles().body)
    p.wrap(100, 100)
    p.blPara.lines = [(0, ["一二三四五六七八"]), (0, ["成。"])]
    assert lonely_line(p) == "成。"


def test_a_paragraph_never_leaves_one_line_at_a_page_foot_or_head(tmp_path):
    body = styles().body
    text = NUMBERS * 3  # a few lines
    for room in range(1, 5):  # lines of room left at the foot of the first page
        doc = SimpleDocTemplate(str(tmp_path / "w.pdf"), topMargin=20 * mm, bottomMargin=20 * mm)
        filler = doc.height - room * body.leading - 1
        parts: list = []
        original = CJKParagraph.split

        def split(self, w, h, parts=parts, original=original):
            out = original(self, w, h)
            parts.append([len(p.blPara.lines) for p in out if hasattr(p, "blPara")])
            return out

        CJKParagraph.split = split
        try:
            doc.build([Spacer(1, filler), CJKParagraph(text, body)])
        finally:
            CJKParagraph.split = original
        for counts in parts:
            assert all(n >= 2 for n in counts), (room, counts)


# --- the sample's outputs -------------------------------------------------------------------

KINDS = ("policy", "release", "reader", "onemap")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """The four outputs of the sample, each with the doc template that laid it out."""
    from app.reports.build import build, write_pdf
    from tests.reports.conftest import open_sample
    from tests.reports.test_sample import DPI

    folder = tmp_path_factory.mktemp("typeset")
    project = open_sample(folder / "metro.sqlite")
    docs: list = []
    original = pagination.Pagination._init_pagination

    def record(self):
        original(self)
        docs.append(self)

    mp = pytest.MonkeyPatch()
    mp.setattr(pagination.Pagination, "_init_pagination", record)
    try:
        out = {}
        for kind in KINDS:
            built = build(project, kind, 1, dpi=DPI)
            out[kind] = (built, docs[-1], write_pdf(built, folder / f"{kind}.pdf"))
    finally:
        mp.undo()
        project.close()
    return out


def pages_text(path, pages: int) -> list[str]:
    return [run("pdftotext", "-layout", "-f", n, "-l", n, path, "-") for n in range(1, pages + 1)]


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_no_stranded_heading_lonely_line_or_bad_line_start(outputs, kind):
    built, doc, _ = outputs[kind]
    assert doc.stranded == []  # no heading on the last lines of a page
    assert built.bad_lines == ()  # no forbidden line start, no split number, no 孤字


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["policy", "release", "reader"])
def test_part_openers_front_matter_and_running_heads(outputs, kind):
    built, doc, path = outputs[kind]
    texts = pages_text(path, built.pages)
    assert doc.openers and all(page % 2 == 1 for page, _ in doc.openers)  # right-hand pages
    assert doc.body_first % 2 == 1 and doc.folio(doc.body_first) == "1"
    assert doc.folio(2) == "ii"  # the front matter in roman
    openers = {page for page, _ in doc.openers} | {doc.body_first}
    for n, text in enumerate(texts, 1):
        if not text.strip():  # blank pages: only the versos before a right-hand start
            assert n + 1 in openers, n
    assert re.search(r"—\s*1\s*—", texts[doc.body_first - 1])  # the body's folio 1
    # A recto's running head names the part it is in (not on the opener itself).
    for (page, title), (end, _) in zip(doc.openers, [*doc.openers[1:], (built.pages + 1, "")],
                                       strict=True):
        rectos = [n for n in range(page + 1, end) if n % 2 == 1 and texts[n - 1].strip()]
        for n in rectos:
            head = texts[n - 1].strip().splitlines()[0]
            assert title.split(" ")[0] in head, (n, head)


@pytest.mark.slow
def test_tables_are_numbered_with_sources_and_listed(outputs):
    built, doc, path = outputs["policy"]
    texts = pages_text(path, built.pages)
    body = "\n".join(texts[doc.body_first - 1:])
    numbers = [int(n) for n in re.findall(r"表 (\d+)[ 　]", body)]
    assert numbers and sorted(set(numbers)) == list(range(1, max(numbers) + 1))
    assert body.count("资料来源：") >= max(numbers)
    front = "\n".join(texts[:doc.body_first - 1])
    assert "插图目录 List of figures" in front and "表格目录 List of tables" in front
    assert all(re.search(f"表 {n}[ 　]", front) for n in range(1, max(numbers) + 1))
    assert re.search(r"图 1 .*\d", front)  # each entry with its page number


def test_the_check_looks_into_table_cells():
    from reportlab.platypus import Table

    p = CJKParagraph("x", styles().cell)
    p.wrap(100, 100)
    p.blPara.lines = [(0, ["完成11"]), (0, ["项目标，同步"]), (0, ["成。"])]
    assert pagination._cell_problems(Table([[p, "—"]])) == ["项目标，同步", "成。"]


@pytest.mark.parametrize("body_pages", [1, 2, 3])
def test_a_back_cover_falls_on_the_last_verso(body_pages):
    from reportlab.platypus import PageBreak, Paragraph

    from app.model.jobs import drive
    from app.reports.document import EditionDoc, PageInfo, PdfMeta, iter_layout
    from app.reports.pagination import VersoBreak
    from app.reports.styles import styles

    doc = EditionDoc(PageInfo("header", "footer"), PdfMeta("T", "A", "S", "K", "2022-01-20"))
    body = [Paragraph("text", styles().body_en)]
    for _ in range(body_pages - 1):
        body += [PageBreak(), Paragraph("text", styles().body_en)]
    drive(iter_layout(doc, [*body, VersoBreak("cover"), Paragraph("back", styles().body_en)]))
    assert doc.pages == (body_pages + 1 if body_pages % 2 else body_pages + 2)
