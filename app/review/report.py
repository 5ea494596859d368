"""Handling reports (情况专报 / 情况说明): one PDF per party and a summary PDF, in Chinese or
English, with the CJK font embedded, a signature page, and the same bytes for the same inputs
(reportlab invariant mode; the report date is the last event's date, not the clock's).

Every sentence is computed from the events (app.review.texts). Every paragraph breaks lines by
the Chinese rules of app.reports.cjk (no line starts with closing punctuation), as the
deliverables do. The signature page shows signatures only from a release whose ledger is the
one this report computes; otherwise it says the signatures are pending.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Image,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from app.errors import ConflictError, InvalidInput
from app.reports.cjk import CJKParagraph, bad_line_starts
from app.reports.fonts import reportlab_font
from app.reports.plain import build_a4
from app.review import model as M
from app.review import texts as T
from app.review.charts import ledger_figure, png_bytes
from app.review.ledger import Ledger, Tally, compute, party_names, row_of, tally
from app.review.state import CommentState, ReviewState, of_round
from app.review.texts import TEXT
from app.review.times import beijing, beijing_date

log = logging.getLogger(__name__)
CELL_CHARS = 600  # a table row must fit on one page: longer texts are cut with an ellipsis
EXCERPT_CHARS = 60  # the comment excerpt in the open-items list


@dataclass(frozen=True)
class Signatures:
    """What the signature page shows: a VERIFIED release's hash and each party's signature.

    Build it only from a release that verified (see report_cli); `ledger` is the SHA-256 of
    the release's ledger.json content (canonical JSON) and must equal the report's ledger."""

    release: str  # SHA-256 of the release manifest
    parties: list[dict]  # {"code", "name"}
    signed: dict[str, dict]  # party -> its valid signature log entry
    ledger: str | None = None  # digest of the release's ledger; None: not checked by the caller


def _styles(lang: str = "zh") -> dict[str, ParagraphStyle]:
    font = reportlab_font()
    base = ParagraphStyle("base", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    wrap = "CJK" if lang == "zh" else None
    return {"base": base,
            "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=10),
            "note": ParagraphStyle("note", parent=base, fontSize=7, leading=9.5,
                                   textColor=colors.HexColor("#555555")),
            "head": ParagraphStyle("head", parent=base, fontSize=7.5, leading=10),
            "title": ParagraphStyle("title", parent=base, fontSize=16, leading=22, alignment=1,
                                    spaceAfter=6 * mm),
            "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=17, spaceBefore=4 * mm,
                                 spaceAfter=2 * mm),
            "meta": ParagraphStyle("meta", parent=base, alignment=1, textColor=colors.grey),
            # English running text wraps at spaces (CJK breaking would split "100.0%").
            "prose": ParagraphStyle("prose", parent=base, wordWrap=wrap),
            "prose_small": ParagraphStyle("prose_small", parent=base, fontSize=7.5, leading=10,
                                          wordWrap=wrap)}


class _Story:
    """Paragraph factory that keeps every paragraph it made, to check line starts after layout."""

    def __init__(self, lang: str):
        self.lang, self.st = lang, _styles(lang)
        self.made: list = []

    def p(self, text: str, style: str = "prose", limit: int | None = None) -> CJKParagraph:
        if limit and len(text) > limit:
            text = text[:limit - 1] + "…"
        para = CJKParagraph(escape(text), self.st[style])
        self.made.append(para)
        return para

    def lines(self, lines: list[str], style: str = "small", limit: int = CELL_CHARS) -> list:
        """A table cell of several lines: one CJK paragraph per line (markup would bypass the
        Chinese line breaking)."""
        return [self.p(line, style, limit) for line in lines if line]

    def bad_lines(self) -> list[str]:
        return [line for para in self.made for line in bad_line_starts(para)]


def _table(rows: list[list], widths: list[float], header_rows: int = 1) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=header_rows, splitByRow=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("FONTNAME", (0, 0), (-1, -1), reportlab_font()), ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#e8eef5")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
    return table


def _build(path: Path, title: str, s: _Story, story: list) -> Path:
    build_a4(path, title, TEXT[s.lang]["page"], _headings_kept(story), s.lang)
    for line in s.bad_lines():
        log.warning("line starts with a character that may not begin a line: %r", line[:20])
    return path


def _headings_kept(story: list) -> list:
    """A heading is never left at a page's foot: it starts a new page unless 35 mm remain.
    (keepWithNext would bind it to the whole table after it and push a long table, which could
    have started on this page, wholly to the next.)"""
    out: list = []
    for flowable in story:
        if getattr(getattr(flowable, "style", None), "name", "") == "h2":
            out.append(CondPageBreak(35 * mm))
        out.append(flowable)
    return out


def _tally_table(rows: list[tuple[str, Tally]], s: _Story) -> Table:
    t = TEXT[s.lang]
    head = [t["group"], t["comments"], t["counted"],
            *(M.label(M.DISPOSITION_LABELS, d, s.lang) for d in M.DISPOSITIONS), t["rate"]]
    body = [[s.p(name, "small"), x.comments, x.counted,
             *(x.dispositions.get(d, 0) for d in M.DISPOSITIONS), _rate(x)] for name, x in rows]
    widths = [40 * mm, 15 * mm, 15 * mm, *([13.5 * mm] * len(M.DISPOSITIONS)), 14 * mm]
    return _table([[s.p(h, "head") for h in head], *body], widths)


def _rate(x: Tally) -> str:
    return "-" if x.rate is None else f"{100 * x.rate:.1f}%"


def _comment_cell(c: CommentState, s: _Story) -> list:
    t = TEXT[s.lang]
    when = f"{t['round'].format(n=c.round)} · {t['received']} {beijing(c.received, s.lang)}"
    if c.late:
        when += f" · {t['late']}"
    return [s.p(when, "note"), *s.lines(T.anchor_lines(c, s.lang), "note"),
            s.p(T.body_of(c, s.lang), "small", CELL_CHARS)]


def _comment_rows(comments: list[CommentState], names: dict[str, str], s: _Story) -> list[list]:
    t, lang = TEXT[s.lang], s.lang
    rows: list[list] = [[s.p(h, "head") for h in t["columns"]]]
    for n, c in enumerate(comments, 1):
        p = c.published
        state = M.label(M.DISPOSITION_LABELS, p.disposition, lang) if p else t["pending"]
        status = M.label(M.STATUS_LABELS, c.status, lang)
        evidence = T.evidence_lines(p, lang, names) if p else []
        answer = [s.p(T.answer_text(p, lang), "small", CELL_CHARS)] if p else []
        rows.append([n, _comment_cell(c, s), s.lines([state, status]), s.lines(evidence),
                     answer + s.lines(T.history_lines(c, lang), "note")])
    return rows


def _signature_page(sig: Signatures | None, parties: list[dict], s: _Story) -> list:
    t = TEXT[s.lang]
    story: list = [PageBreak(), s.p(t["signature_page"], "h2")]
    story.append(s.p(f"{t['release']}: {sig.release}" if sig else t["unsigned"], "small"))
    if sig and sig.ledger:
        story.append(s.p(f"{t['ledger_hash']}: {sig.ledger}", "small"))
    story.append(Spacer(1, 4 * mm))
    rows = [[s.p(h, "head") for h in t["signature_columns"]]]
    for party in (sig.parties if sig else parties):
        entry = sig.signed.get(party["code"]) if sig else None
        rows.append([s.p(party["name"], "small"),
                     s.p(entry["signer"] if entry else "", "small"),
                     s.p(entry["key_id"] if entry else "", "small"),
                     s.p(beijing(entry["at"], s.lang) if entry else t["to_sign"], "small"),
                     s.p(entry["signature"][:16] + "…" if entry else "", "small")])
    story.append(_table(rows, [40 * mm, 30 * mm, 30 * mm, 40 * mm, 34 * mm]))
    return story


def _check_signatures(sig: Signatures | None, ledger: Ledger) -> None:
    """A signature page for another ledger would certify numbers this report does not show."""
    if sig is not None and sig.ledger is not None and sig.ledger != ledger.hash():
        raise ConflictError("the release's ledger differs from the ledger of these events "
                            "(another state of the review): its signatures cannot be shown")


def _date(state: ReviewState) -> str:
    """The Beijing date of the last event: the report's date, the same on every rebuild."""
    last = max((e.at for c in state.comments.values() for e in c.history), default="")
    stages = [at for r in state.rounds.values() for _, at in r.stages]
    return beijing_date(max([last, *stages], default=""))


def party_report(state: ReviewState, party: str, path: str | Path, *, plan: str,
                 lang: str = "zh", signatures: Signatures | None = None,
                 number: int | None = None) -> Path:
    """The handling report for one party: each of its comments, the answer and the evidence;
    for an invited party that sent none, its response to each round. With `number`, only
    round `number`'s comments and invitation."""
    s, t, path = _Story(lang), TEXT[lang], Path(path)
    state = of_round(state, number) if number else state
    ledger = compute(state)
    _check_signatures(signatures, ledger)
    comments = [c for c in state.submitted() if c.party == party and not c.withdrawn]
    names = party_names(state)
    invited = [r for r in ledger.responses if r["party"] == party]
    if not comments and not invited:
        raise InvalidInput(f"party {party} was not invited and made no comments: no report")
    name = names.get(party, party)
    title = (t["party_title_round"] if number else t["party_title"]).format(
        plan=plan, party=name, n=number)
    story = [s.p(title, "title"), s.p(f"{t['date']} {_date(state)}", "meta")]
    if comments:
        summary = tally([row_of(c, state) for c in comments])
        story += [s.p(T.party_intro(summary, lang)), Spacer(1, 3 * mm),
                  _tally_table([(name, summary)], s), s.p(t["items"], "h2"),
                  _table(_comment_rows(comments, names, s),
                         [9 * mm, 62 * mm, 22 * mm, 36 * mm, 45 * mm])]
        if invited:
            story += [s.p(t["responses_title"], "h2"), _responses_table(invited, s)]
    else:
        story += [s.p(t["party_silent"]), Spacer(1, 3 * mm), _responses_table(invited, s)]
    story += _signature_page(signatures, [{"code": party, "name": name}], s)
    return _build(path, title, s, story)


def summary_report(state: ReviewState, path: str | Path, *, plan: str, lang: str = "zh",
                   signatures: Signatures | None = None, number: int | None = None) -> Path:
    """The summary report: statistics by party type, party, round and deliverable, a chart,
    the open items, the invitations' responses, and the signature page (of round `number`
    only, when given)."""
    s, t, path = _Story(lang), TEXT[lang], Path(path)
    state = of_round(state, number) if number else state
    ledger = compute(state)
    _check_signatures(signatures, ledger)
    title = (t["summary_title_round"] if number else t["summary_title"]).format(plan=plan,
                                                                                n=number)
    chart = Image(io.BytesIO(png_bytes(ledger_figure(ledger, lang))), width=174 * mm,
                  height=73 * mm)
    groups, members = ledger.duplicate_groups
    story = [s.p(title, "title"), s.p(f"{t['date']} {_date(state)}", "meta"),
             s.p(T.summary_intro(ledger.total, sum(1 for x in ledger.by_party.values()
                                                   if x.comments), lang)),
             s.p(T.duplicate_note(groups, members, ledger.total.counted, lang), "prose_small"),
             Spacer(1, 3 * mm), chart]
    story += _open_items(state, ledger, s)
    story += _breakdowns(ledger, s)
    story += [s.p(t["responses_title"], "h2"), _responses_table(list(ledger.responses), s)]
    names = party_names(state)
    parties = [{"code": code, "name": names.get(code, code)}
               for code, x in ledger.breakdown("by_party") if x.comments]
    story += _signature_page(signatures, parties, s)
    return _build(path, title, s, story)


def _open_items(state: ReviewState, ledger: Ledger, s: _Story) -> list:
    """The comments without a published answer, or reopened: party, excerpt, status."""
    if not ledger.open_items:
        return []
    t = TEXT[s.lang]
    rows: list[list] = [[s.p(h, "head") for h in t["open_columns"]]]
    for n, cid in enumerate(ledger.open_items, 1):
        c = state.comments[cid]
        rows.append([n, s.p(c.event.data.get("party_name", c.party), "small"),  # type: ignore[union-attr]  # a submitted comment has its event
                     s.p(T.short(T.body_of(c, s.lang), EXCERPT_CHARS), "small"),
                     s.p(M.label(M.STATUS_LABELS, c.status, s.lang), "small"),
                     s.p(beijing(c.received, s.lang), "small")])
    return [s.p(t["open_title"], "h2"), _table(rows, [9 * mm, 36 * mm, 68 * mm, 24 * mm, 37 * mm])]


def _breakdowns(ledger: Ledger, s: _Story) -> list:
    t, lang = TEXT[s.lang], s.lang
    story: list = []
    names = {"by_party_type": lambda k: M.label(M.PARTY_TYPE_LABELS, k, lang),
             "by_party": lambda k: ledger_party_name(ledger, k),
             "by_round": lambda k: t["round"].format(n=k),
             "by_deliverable": lambda k: T.deliverable_name(k, lang)}
    for key, name in names.items():
        rows = [(name(k), v) for k, v in ledger.breakdown(key)]
        story += [s.p(t[key], "h2"), _tally_table([*rows, (t["total"], ledger.total)], s)]
    return story


def ledger_party_name(ledger: Ledger, code: str) -> str:
    return next((r.party_name for r in ledger.rows if r.party == code), code)


def _responses_table(responses: list[dict], s: _Story) -> Table:
    t = TEXT[s.lang]
    rows = [[s.p(h, "head") for h in t["response_columns"]]]
    for r in responses:
        answer = t["responses"][r["response"]]
        if r["response"] == "none" and r.get("due"):
            answer += f"（{t['due'].format(due=r['due'])}）" if s.lang == "zh" else \
                f" ({t['due'].format(due=r['due'])})"
        rows.append([t["round"].format(n=r["round"]), s.p(r["name"], "small"),
                     s.p(M.label(M.PARTY_TYPE_LABELS, r["type"], s.lang), "small"),
                     s.p(answer, "small")])
    return _table(rows, [16 * mm, 80 * mm, 36 * mm, 42 * mm])


def write_reports(state: ReviewState, folder: str | Path, *, plan: str, lang: str = "zh",
                  signatures: Signatures | None = None, number: int | None = None) -> list[Path]:
    """The summary report and one report per commenting party, into `folder` (of round
    `number` only, when given: files named …-r{number}-…)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tag = f"r{number}-" if number else ""
    written = [summary_report(state, folder / f"summary-{tag}{lang}.pdf", plan=plan, lang=lang,
                              signatures=signatures, number=number)]
    scope = of_round(state, number) if number else state
    for party in sorted({c.party for c in scope.submitted() if not c.withdrawn}):
        written.append(party_report(state, party, folder / f"party-{party}-{tag}{lang}.pdf",
                                    plan=plan, lang=lang, signatures=signatures, number=number))
    return written
