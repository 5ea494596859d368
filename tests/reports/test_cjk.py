"""Chinese line breaking: no line begins with closing punctuation or a dash, no Latin word is
cut, and the check finds lines that break the rule (see test_typesetting.py for 孤字 and
numbers)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.platypus import Paragraph, SimpleDocTemplate

from app.reports.cjk import NO_END, NO_START, CJKParagraph, bad_line_starts, break_lines
from app.reports.fonts import reportlab_font
from app.reports.styles import styles

ALPHABET = "上海都市圈生态协同规划，。、；：？！）」（“”abc 12—–5.6万项"


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet=ALPHABET, min_size=1, max_size=120),
       width=st.floats(min_value=25, max_value=300))
def test_no_line_starts_with_closing_punctuation(text, width):
    font = reportlab_font()
    lines = [line for _, line in break_lines(text, font, 10, [width])]
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost or added
    for before, line in zip(lines, lines[1:], strict=False):
        assert line[:1] not in NO_START, (before, line)  # never: such characters hang instead
        # Only where a line has no legal break at all may an opening mark end it.
        forced = len(before) <= 1 or all(not c.isspace() and (c in NO_END or c.isascii())
                                         for c in before)
        assert before[-1:] not in NO_END or forced, (before, line)


def test_latin_words_stay_whole_and_punctuation_hangs():
    font = reportlab_font()
    lines = [line for _, line in break_lines("协同 integration planning。", font, 10, [60])]
    assert all(" " not in line.strip() or line.count(" ") >= 0 for line in lines)
    assert "integration" in lines and not any(line.startswith("。") for line in lines)


def test_paragraph_lines_follow_the_rules_in_a_document(tmp_path):
    text = "规划以“目标—策略—行动”展开，各方共同参与；到2035年，基本建成！" * 12
    p = CJKParagraph(text, styles().body)
    SimpleDocTemplate(str(tmp_path / "t.pdf")).build([p])
    assert len(p.blPara.lines) > 2 and bad_line_starts(p) == []


def test_the_check_finds_a_bad_line_start():
    p = Paragraph("x", styles().body)
    p.wrap(100, 100)
    p.blPara.lines = [(0, ["开头"]), (0, ["，逗号开头"])]
    assert bad_line_starts(p) == ["，逗号开头"]
