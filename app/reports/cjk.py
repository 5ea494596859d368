"""Chinese line breaking for reportlab paragraphs, and the check that it held.

reportlab's `wordWrap='CJK'` breaks between any two characters but only knows some of the
characters that may not begin a line (not full-width ，；：？！ nor closing quotes) and hangs at
most one of them. `CJKParagraph` breaks plain single-style text itself: never before a
character of NO_START (closing punctuation and dashes), never after one of NO_END, not inside
a Latin word or a number, not between a number and its unit (「11项」, 「5.6万平方千米」),
and never leaves one character alone on a paragraph's last line (孤字: the line before gives
one up). The doc template checks every drawn line with `bad_line_starts` and `lonely_line`.
"""

from __future__ import annotations

from functools import cache

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

# 行首禁则 / 行尾禁则 (GB/T 15834 practice, plus their ASCII counterparts).
NO_START = "。，、；：？！）」』】〕〉》”’…·％‰℃°,.;:?!)]}%—–～"  # dashes too: 「—白鹤」
NO_END = "（「『【〔〈《“‘([{"
FUZZ = 1e-6
LATIN_WORD_LIMIT = 24  # a longer run of Latin letters may be broken inside


@cache
def _width(char: str, font: str, size: float) -> float:
    return stringWidth(char, font, size)


def _latin(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "-_'")


def _number_split(before: str, after: str, adjacent: bool = False) -> bool:
    """True when a break between `before` and `after` would split a number, or a number from
    its unit or what it numbers; `adjacent`: no space between them."""
    if before.isdigit():
        return after.isdigit() or after in ".," or not after.isascii()  # 「11 / 项」
    return adjacent and before in ".," and after.isdigit()  # 「5. / 6」


def _bad_break(text: str, at: int) -> bool:
    """True when a line may not end before text[at]."""
    last, first = at - 1, at
    while last > 0 and text[last] == " ":  # spaces at a break vanish: look at what is left
        last -= 1
    while first < len(text) - 1 and text[first] == " ":
        first += 1
    if text[first] in NO_START or text[last] in NO_END:
        return True
    adjacent = last == at - 1 and first == at
    return (_latin(text[at - 1]) and _latin(text[at])) or \
        _number_split(text[last], text[first], adjacent)


def _break_point(text: str, start: int, end: int) -> int:
    """Where to break a line that fits text[start:end]; may hang punctuation past `end`."""
    at = end
    while at > start + 1 and _bad_break(text, at):
        if _latin(text[at - 1]) and end - at >= LATIN_WORD_LIMIT:
            break  # an over-long Latin run (a URL, a code): break inside it
        at -= 1
    if at > start + 1 or not _bad_break(text, at):
        return at
    # No legal point on the line: hang the punctuation that may not begin the next one
    # (with any spaces before it) in the margin.
    while True:
        after = end
        while after < len(text) and text[after] == " ":
            after += 1
        if after >= len(text) or text[after] not in NO_START:
            return end
        end = after + 1


def lonely(line: str) -> bool:
    """True for a 孤字 line: one Chinese character, with at most punctuation after it."""
    core = line.strip().rstrip(NO_START + " ")
    return len(core) == 1 and not core.isascii()


def _spans(text: str, font: str, size: float, max_widths: list[float],
           cap: tuple[int, int] | None = None) -> list[tuple[int, int]]:
    """(start, end) of each line, greedy; `cap` = (line, end) ends that line no later."""
    spans: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while start < n:
        avail = max_widths[min(len(spans), len(max_widths) - 1)]
        end, used = start, 0.0
        while end < n and used + _width(text[end], font, size) <= avail + FUZZ:
            used += _width(text[end], font, size)
            end += 1
        end = max(end, start + 1)  # a character wider than the line still takes a line
        if cap is not None and cap[0] == len(spans) and start + 1 < cap[1] < end:
            end = cap[1]
        if end < n:
            end = _break_point(text, start, end)
        spans.append((start, end))
        start = end
        while start < n and text[start] == " ":
            start += 1
    return spans


def break_lines(text: str, font: str, size: float,
                max_widths: list[float]) -> list[tuple[float, str]]:
    """(unused width, text) of each line of `text` set in `font` at `size`."""
    spans = _spans(text, font, size, max_widths)
    if len(spans) >= 2 and lonely(text[spans[-1][0]:spans[-1][1]]):
        # 孤字: end the line before one character earlier (at a legal break), so that two
        # characters or more go down; kept only if the paragraph keeps its number of lines.
        for give in (1, 2, 3):
            retry = _spans(text, font, size, max_widths, (len(spans) - 2, spans[-2][1] - give))
            if len(retry) == len(spans) and not lonely(text[retry[-1][0]:retry[-1][1]]):
                spans = retry
                break
    lines: list[tuple[float, str]] = []
    for start, end in spans:
        line = text[start:end].rstrip()
        avail = max_widths[min(len(lines), len(max_widths) - 1)]
        lines.append((avail - stringWidth(line, font, size), line))
    return lines


class CJKParagraph(Paragraph):
    """A Paragraph whose plain single-style text breaks by Chinese line-breaking rules."""

    def breakLinesCJK(self, maxWidths):  # noqa: N802, N803 (reportlab's names)
        frags = self.frags
        widths = maxWidths if isinstance(maxWidths, (list, tuple)) else [maxWidths]
        if len(frags) != 1 or hasattr(frags[0], "cbDefn") or self.style.endDots:
            return super().breakLinesCJK(maxWidths)  # markup: reportlab's breaking, then checked
        f = frags[0]
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return f.clone(kind=0, lines=self.blPara.lines)
        text = f.text if hasattr(f, "text") else "".join(getattr(f, "words", []))
        key = (text, f.fontName, f.fontSize, tuple(widths))
        cached = getattr(self, "_cjk_lines", None)
        if cached is None or cached[0] != key:
            # Layout runs once per pass; the breaks only change with the width.
            self._cjk_lines = (key, break_lines(text, f.fontName, f.fontSize, list(widths)))
        lines = [(extra, [line]) for extra, line in self._cjk_lines[1]]
        return f.clone(kind=0, lines=lines, ascent=f.fontSize, descent=-0.2 * f.fontSize)


def line_texts(paragraph: Paragraph) -> list[str]:
    """The text of each line a paragraph was broken into (after it was wrapped)."""
    bl = getattr(paragraph, "blPara", None)
    if bl is None:
        return []
    out = []
    for line in bl.lines:
        if isinstance(line, (tuple, list)):  # (unused width, [words]): plain text lines
            words = [w if isinstance(w, str) else getattr(w, "text", "") for w in line[1]]
            out.append(words[0] if len(words) == 1 else " ".join(words))
        else:  # a FragLine of styled fragments
            out.append("".join(getattr(w, "text", "") for w in line.words))
    return out


def bad_line_starts(paragraph: Paragraph) -> list[str]:
    """Lines of a wrapped paragraph after a break that begin with a character that may not
    begin a line, or with the unit of a number the line before ends with (a paragraph's
    first line begins where its text does: not a break)."""
    lines = line_texts(paragraph)
    return [line for before, line in zip(lines, lines[1:], strict=False)
            if line[:1] in NO_START or (before and line and _number_split(before[-1], line[0]))]


def lonely_line(paragraph: Paragraph) -> str | None:
    """The last line of a wrapped paragraph of several lines when it is a 孤字 line."""
    lines = line_texts(paragraph)
    return lines[-1] if len(lines) >= 2 and lonely(lines[-1]) else None
