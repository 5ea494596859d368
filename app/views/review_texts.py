"""Labels of review and check-up codes in the interface language. The core's model tables carry
both languages as data (like catalogue names), so they are picked with `i18n.lang()` rather than
translated with `tr`."""

from __future__ import annotations

from app.review import model as M
from app.views.i18n import lang, tr


def status_text(code: str | None) -> str:
    return M.label(M.STATUS_LABELS, code, lang())


def disposition_text(code: str | None) -> str:
    return M.label(M.DISPOSITION_LABELS, code, lang())


def reason_text(code: str | None) -> str:
    return M.label(M.REASONS, code, lang())


def stage_text(code: str | None) -> str:
    return M.label(M.STAGE_LABELS, code, lang())


def visibility_text(code: str | None) -> str:
    """Who sees a round's comments while it collects them."""
    return {"sealed": tr("sealed"), "parties": tr("all parties"), "public": tr("public")}.get(code or "", code or "")


def party_type_text(code: str | None) -> str:
    return M.label(M.PARTY_TYPE_LABELS, code, lang())


def deliverable_text(code: str | None) -> str:
    """1, S1..S8, Z1..Z5; "-" (or None) is a comment no team was assigned."""
    return tr("unassigned") if code in (None, "-") else code


def bilingual(text: dict | None) -> str:
    """The text in the interface language when given, else in the other one."""
    text = text or {}
    first, second = ("zh", "en") if lang() == "zh" else ("en", "zh")
    return text.get(first) or text.get(second) or ""


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{100 * rate:.1f} %"
