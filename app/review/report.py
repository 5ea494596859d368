"""Handling reports (情况专报 / 情况说明): one PDF per party and a summary PDF, in Chinese or
English, with the CJK font embedded, a signature page, and the same bytes for the same inputs
(reportlab invariant mode; the report date is the last event's date, not the clock's)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app.reports.fonts import reportlab_font
from app.review import model as M
from app.review.charts import ledger_figure, png_bytes
from app.review.ledger import Ledger, Tally, compute, row_of, tally
from app.review.state import CommentState, ReviewState
from app.review.texts import TEXT

CELL_CHARS = 600  # a table row must fit on one page: longer texts are cut with an ellipsis


@dataclass(frozen=True)
class Signatures:
    """What the signature page shows: the release hash and each party's signature, if any."""

    release: str  # SHA-256 of the release manifest
    parties: list[dict]  # {"code", "name"}
    signed: dict[str, dict]  # party -> its valid signature log entry


def _styles(lang: str = "zh") -> dict[str, ParagraphStyle]:
    font = reportlab_font()
    base = ParagraphStyle("base", fontName=font, fontSize=9, leading=13, wordWrap="CJK")
    # English headings wrap at spaces; cells keep CJK wrapping for the Chinese they quote.
    return {"base": base,
            "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=10),
            "head": ParagraphStyle("head", parent=base, fontSize=7.5, leading=10,
                                   wordWrap="CJK" if lang == "zh" else None),
            "title": ParagraphStyle("title", parent=base, fontSize=16, leading=22, alignment=1,
                                    spaceAfter=6 * mm),
            "h2": ParagraphStyle("h2", parent=base, fontSize=12, leading=17, spaceBefore=4 * mm,
                                 spaceAfter=2 * mm),
            "meta": ParagraphStyle("meta", parent=base, alignment=1, textColor=colors.grey)}


def _p(text: str, style: ParagraphStyle, limit: int | None = None) -> Paragraph:
    if limit and len(text) > limit:
        text = text[:limit] + "…"
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _table(rows: list[list], widths: list[float], header_rows: int = 1) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=header_rows, splitByRow=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("FONTNAME", (0, 0), (-1, -1), reportlab_font()), ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#e8eef5")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
    return table


def _document(path: Path, title: str, lang: str) -> SimpleDocTemplate:
    font = reportlab_font()
    footer = TEXT[lang]["page"]

    def decorate(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(font, 7.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(18 * mm, 10 * mm, title)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, footer.format(n=doc.page))
        canvas.restoreState()
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=16 * mm, bottomMargin=18 * mm, title=title,
                            author="CoPlan", invariant=1, initialFontName=font)
    doc._decorate = decorate
    return doc


def _build(doc: SimpleDocTemplate, story: list) -> None:
    doc.build(story, onFirstPage=doc._decorate, onLaterPages=doc._decorate)


def _tally_table(rows: list[tuple[str, Tally]], lang: str, st: dict) -> Table:
    t = TEXT[lang]
    head = [t["group"], t["comments"], *(M.label(M.DISPOSITION_LABELS, d, lang)
                                          for d in M.DISPOSITIONS), t["rate"]]
    body = [[_p(name, st["small"]), x.comments, *(x.dispositions.get(d, 0) for d in M.DISPOSITIONS),
             "-" if x.rate is None else f"{100 * x.rate:.1f}%"] for name, x in rows]
    widths = [40 * mm, 16 * mm, *([15 * mm] * len(M.DISPOSITIONS)), 14 * mm]
    return _table([[_p(h, st["head"]) for h in head], *body], widths)


def _anchor_text(c: CommentState, lang: str) -> str:
    parts = []
    for a in c.anchors():
        if a["type"] == "clause":
            parts.append(f"{TEXT[lang]['clause']} {a['section']}「{a['quote'][:40]}」")
        elif a["type"] == "feature":
            parts.append(f"{TEXT[lang]['feature']} {a['layer']} {a['uuid'][:8]}")
        else:
            parts.append(TEXT[lang]["area"])
    return "；".join(parts)


def _evidence(c: CommentState, lang: str) -> str:
    p, t = c.published, TEXT[lang]
    if p is None:
        return ""
    lines = [M.label(M.REASONS, p.reason, lang)] if p.reason else []
    for ref in p.changes:
        if ref["kind"] == "changeset":
            lines.append(f"{t['changeset']} {ref['id'][:13]}")
        else:
            lines.append(f"{t['revision']} {ref['section']}@{ref['revision']}")
    if p.memo:
        lines.append(f"{t['memo']}{p.memo}")
    return "\n".join(lines)


def _comment_rows(comments: list[CommentState], lang: str, st: dict) -> list[list]:
    t = TEXT[lang]
    rows = [[_p(h, st["head"]) for h in t["columns"]]]
    for n, c in enumerate(comments, 1):
        body = c.comment["body"].get(lang) or c.comment["body"].get("zh") or \
            c.comment["body"].get("en", "")
        p = c.published
        answer = (p.answer.get(lang) or p.answer.get("zh") or p.answer.get("en", "")) if p else ""
        state = M.label(M.DISPOSITION_LABELS, p.disposition, lang) if p else t["pending"]
        confirmation = M.label(M.STATUS_LABELS, c.status, lang) if c.confirmation else ""
        rows.append([n, _p(f"[{t['round'].format(n=c.round)}] {_anchor_text(c, lang)}\n{body}",
                           st["small"], CELL_CHARS),
                     _p(f"{state}\n{confirmation}".strip(), st["small"]),
                     _p(_evidence(c, lang), st["small"], CELL_CHARS),
                     _p(answer, st["small"], CELL_CHARS)])
    return rows


def _signature_page(sig: Signatures | None, parties: list[dict], lang: str, st: dict) -> list:
    t = TEXT[lang]
    story: list = [PageBreak(), _p(t["signature_page"], st["h2"])]
    story.append(_p(f"{t['release']}: {sig.release}" if sig else t["unsigned"], st["small"]))
    story.append(Spacer(1, 4 * mm))
    rows = [[_p(h, st["head"]) for h in t["signature_columns"]]]
    for party in (sig.parties if sig else parties):
        entry = sig.signed.get(party["code"]) if sig else None
        rows.append([_p(f"{party['name']} ({party['code']})", st["small"]),
                     _p(entry["signer"] if entry else "", st["small"]),
                     _p(entry["key_id"] if entry else "", st["small"]),
                     _p(entry["at"][:19].replace("T", " ") if entry else t["pending"], st["small"]),
                     _p(entry["signature"][:24] + "…" if entry else "", st["small"])])
    story.append(_table(rows, [46 * mm, 28 * mm, 30 * mm, 30 * mm, 40 * mm]))
    return story


def _date(state: ReviewState) -> str:
    return max((e.at for c in state.comments.values() for e in c.history), default="")[:10]


def party_report(state: ReviewState, party: str, path: str | Path, *, plan: str,
                 lang: str = "zh", signatures: Signatures | None = None) -> Path:
    """The handling report for one party: each of its comments, the answer and the evidence."""
    st, t, path = _styles(lang), TEXT[lang], Path(path)
    comments = [c for c in state.submitted() if c.party == party and not c.withdrawn]
    if not comments:
        raise ValueError(f"party {party} has no comments")
    name = comments[0].event.data.get("party_name", party)
    title = t["party_title"].format(plan=plan, party=name)
    summary = tally([row_of(c) for c in comments])
    story = [_p(title, st["title"]), _p(f"{t['date']} {_date(state)}", st["meta"]),
             _p(t["party_intro"].format(n=summary.comments, a=summary.adopted,
                                        rate=_rate(summary)), st["base"]),
             Spacer(1, 3 * mm), _tally_table([(name, summary)], lang, st),
             _p(t["items"], st["h2"]),
             _table(_comment_rows(comments, lang, st), [9 * mm, 62 * mm, 22 * mm, 36 * mm, 45 * mm])]
    story += _signature_page(signatures, [{"code": party, "name": name}], lang, st)
    _build(_document(path, title, lang), story)
    return path


def _rate(x: Tally) -> str:
    return "-" if x.rate is None else f"{100 * x.rate:.1f}%"


def summary_report(state: ReviewState, path: str | Path, *, plan: str, lang: str = "zh",
                   signatures: Signatures | None = None) -> Path:
    """The summary report: statistics by party type, party, round and deliverable, a chart,
    invitations without an answer, and the signature page."""
    st, t, path = _styles(lang), TEXT[lang], Path(path)
    ledger = compute(state)
    title = t["summary_title"].format(plan=plan)
    chart = Image(io.BytesIO(png_bytes(ledger_figure(ledger, lang))), width=174 * mm,
                  height=73 * mm)
    story = [_p(title, st["title"]), _p(f"{t['date']} {_date(state)}", st["meta"]),
             _p(t["summary_intro"].format(n=ledger.total.comments, a=ledger.total.adopted,
                                          rate=_rate(ledger.total),
                                          parties=len(ledger.by_party)), st["base"]),
             Spacer(1, 3 * mm), chart]
    story += _breakdowns(ledger, lang, st)
    story += _non_responses(ledger, lang, st)
    parties = [{"code": code, "name": _party_name(state, code)} for code in sorted(ledger.by_party)]
    story += _signature_page(signatures, parties, lang, st)
    _build(_document(path, title, lang), story)
    return path


def _party_name(state: ReviewState, code: str) -> str:
    for c in state.submitted():
        if c.party == code:
            return c.event.data.get("party_name", code)
    return code


def _breakdowns(ledger: Ledger, lang: str, st: dict) -> list:
    t = TEXT[lang]
    story: list = []
    names = {
        "by_party_type": [(M.label(M.PARTY_TYPE_LABELS, k, lang), v)
                          for k, v in sorted(ledger.by_party_type.items())],
        "by_party": [(f"{ledger_party_name(ledger, k)}", v) for k, v in sorted(ledger.by_party.items())],
        "by_round": [(t["round"].format(n=k), v) for k, v in sorted(ledger.by_round.items())],
        "by_deliverable": [(k, v) for k, v in sorted(ledger.by_deliverable.items())]}
    for key, rows in names.items():
        story += [_p(t[key], st["h2"]), _tally_table([*rows, (t["total"], ledger.total)], lang, st)]
    return story


def ledger_party_name(ledger: Ledger, code: str) -> str:
    return next((r.party_name for r in ledger.rows if r.party == code), code)


def _non_responses(ledger: Ledger, lang: str, st: dict) -> list:
    t = TEXT[lang]
    rows = [[_p(h, st["head"]) for h in t["response_columns"]]]
    for r in ledger.responses:
        rows.append([r["round"], _p(f"{r['name']} ({r['party']})", st["small"]),
                     _p(M.label(M.PARTY_TYPE_LABELS, r["type"], lang), st["small"]),
                     _p(t["responses"][r["response"]], st["small"])])
    return [_p(t["responses_title"], st["h2"]), _table(rows, [16 * mm, 80 * mm, 36 * mm, 42 * mm])]


def write_reports(state: ReviewState, folder: str | Path, *, plan: str, lang: str = "zh",
                  signatures: Signatures | None = None) -> list[Path]:
    """The summary report and one report per commenting party, into `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = [summary_report(state, folder / f"summary-{lang}.pdf", plan=plan, lang=lang,
                              signatures=signatures)]
    for party in sorted({c.party for c in state.submitted() if not c.withdrawn}):
        written.append(party_report(state, party, folder / f"party-{party}-{lang}.pdf", plan=plan,
                                    lang=lang, signatures=signatures))
    return written
