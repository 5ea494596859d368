"""The words of the handling reports, in Chinese and English, and the sentences computed from
the data: intros from the counts, anchors as written and where they stand now, evidence from
the server-resolved references, and each comment's earlier answers.

Nothing here claims more than the events show: "all answered" only when every comment has a
published answer, a reference the server did not resolve is printed as unverified, and a
migrated anchor is never printed as what the party quoted.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from app.review import model as M
from app.review.state import Answer, CommentState
from app.review.times import beijing

TEXT: dict[str, dict[str, Any]] = {  # texts, and a few tuples of them
    "zh": {
        "page": "第 {n} 页",
        "party_title": "《{plan}》意见处理情况专报——{party}",
        "summary_title": "《{plan}》书面意见征询处理情况说明",
        "party_title_round": "《{plan}》第{n}轮意见处理情况专报——{party}",
        "summary_title_round": "《{plan}》第{n}轮书面意见征询处理情况说明",
        "date": "编制日期",
        "party_all": "贵单位共提出意见 {n} 条，经逐条研究均已答复：采纳及部分采纳 {a} 条，采纳率 {rate}"
                     "（按采纳、部分采纳、未采纳计）。各条意见的处理情况、理由和修改依据如下。",
        "party_open": "贵单位共提出意见 {n} 条，已发布答复 {answered} 条，尚有 {open} 条未办结"
                      "（待研究、已研究待发布或不满意重新办理，见下表）。已答复意见中采纳及部分采纳"
                      " {a} 条，采纳率 {rate}（按采纳、部分采纳、未采纳计）。",
        "party_silent": "贵单位在本次征询中未提出书面意见。各轮征询的回复情况如下。",
        "summary_all": "本次征询共收到 {parties} 家单位意见 {n} 条，均已逐条研究答复；采纳及部分采纳"
                       " {a} 条，采纳率 {rate}（按采纳、部分采纳、未采纳计）。",
        "summary_open": "本次征询共收到 {parties} 家单位意见 {n} 条，已发布答复 {answered} 条，尚有"
                        " {open} 条未办结，逐条列于“未办结意见”一节。已答复意见中采纳及部分采纳"
                        " {a} 条，采纳率 {rate}（按采纳、部分采纳、未采纳计）。",
        "summary_none": "本次征询尚未收到书面意见。",
        "duplicate_rule": "重复意见的统计口径：同一重复意见组中共用一份答复的意见，在处理意见和采纳率"
                          "统计中计为 1 条；意见数仍按收到的条数计。分项统计中，重复意见组在其成员所在的每一"
                          "分项各计 1 条，故各分项之和可能大于合计。",
        "duplicate_count": "本次共有重复意见 {g} 组（{m} 条），处理意见和采纳率按 {counted} 条计。",
        "items": "逐条处理情况",
        "open_title": "未办结意见",
        "open_columns": ["序号", "单位", "意见摘要", "状态", "收到时间"],
        "columns": ["序号", "意见（轮次、位置、内容）", "处理意见", "理由与修改依据", "答复"],
        "group": "类别", "comments": "意见数", "counted": "计入统计", "rate": "采纳率",
        "total": "合计",
        "round": "第{n}轮", "area": "划定区域",
        "quote": "原文引用：{section}「{quote}」",
        "now_at": "现位置：{section} 第{n}字（条文已调整）",
        "clause_gone": "原条文已删除",
        "feature": "地图要素：{layer}{name}",
        "unnamed": "（未命名图斑{version}）",
        "data_version": "，数据第{v}版",
        "feature_moved": "现状：图斑已修改{version}，原图形留存",
        "feature_gone": "现状：图斑已删除",
        "changeset": "数据修改 第{v}版（{party}）",
        "revision": "文本修改 {section}：修改前「{before}」→ 修改后「{after}」",
        "same": "文本依据 {section}：所引定稿（{rev}）中本条未改动",
        "absent": "（无此条）",
        "unverified": "未核验的修改依据（{claim}）",
        "memo": "会议纪要：",
        "earlier": "先前答复（{at}）：{disposition}。{answer}",
        "not_satisfied": "单位反馈（{at}）：不满意——{note}",
        "pending": "待答复", "received": "收到", "written": "填写", "late": "逾期",
        "by_party_type": "按单位类型统计", "by_party": "按单位统计", "by_round": "按轮次统计",
        "by_deliverable": "按成果统计（1 总报告，S 系统行动，Z 板块行动）",
        "responses_title": "征询回复情况",
        "response_columns": ["轮次", "单位", "类型", "回复"],
        "responses": {"submitted": "已提意见", "no_comment": "无意见", "none": "未回复"},
        "due": "截止 {due}",
        "signature_page": "会签页",
        "release": "发布版本摘要（SHA-256）",
        "ledger_hash": "意见台账摘要（SHA-256）",
        "unsigned": "本报告未对应经核验的发布版本，会签栏待签署。",
        "to_sign": "待签署",
        "signature_columns": ["单位", "签署人", "密钥编号", "签署时间", "签名（摘录）"],
    },
    "en": {
        "page": "page {n}",
        "party_title": "{plan}: handling of the comments of {party}",
        "summary_title": "{plan}: handling of the written comments",
        "party_title_round": "{plan}: handling of the comments of {party}, round {n}",
        "summary_title_round": "{plan}: handling of the written comments of round {n}",
        "date": "Date",
        "party_all": "Your organisation made {n} comments. Each was studied and answered; {a} "
                     "were adopted in full or in part, an adoption rate of {rate} (over adopted, "
                     "partially adopted and not adopted). The handling, reasons and evidence "
                     "follow.",
        "party_open": "Comments made by your organisation: {n}; with a published answer: "
                      "{answered}; still open (not yet answered, decided but not published, or "
                      "reopened; see the table): {open}. Adopted in full or in part: {a}, an "
                      "adoption rate of {rate}.",
        "party_silent": "Your organisation made no written comments. Its responses to each "
                        "round follow.",
        "summary_all": "{n} comments from {parties} parties were received and each was "
                       "answered; {a} were adopted in full or in part, an adoption rate of "
                       "{rate} (over adopted, partially adopted and not adopted).",
        "summary_open": "Comments received: {n} from {parties} parties; with a published "
                        "answer: {answered}; still open: {open}, listed under \"Open items\". "
                        "Adopted in full or in part: {a}, an adoption rate of {rate}.",
        "summary_none": "No written comments have been received.",
        "duplicate_rule": "How duplicates count: comments of one duplicate group that share one "
                          "answer count once in the dispositions and the adoption rate; the "
                          "number of comments counts every comment received. In a breakdown a "
                          "group counts once in each row that holds a member, so rows may add up "
                          "to more than the total.",
        "duplicate_count": "There are {g} duplicate groups ({m} comments); dispositions and the "
                           "rate count {counted} items.",
        "items": "Comment by comment",
        "open_title": "Open items",
        "open_columns": ["No.", "Party", "Comment (excerpt)", "Status", "Received"],
        "columns": ["No.", "Comment (round, place, text)", "Disposition", "Reason and evidence",
                    "Answer"],
        "group": "Group", "comments": "Count", "counted": "Counted", "rate": "Rate",
        "total": "Total",
        "round": "round {n}", "area": "drawn area",
        "quote": "Quoted as written: {section} \"{quote}\"",
        "now_at": "Now at: {section}, character {n} (text changed)",
        "clause_gone": "The quoted clause has been deleted",
        "feature": "Map feature: {layer} {name}",
        "unnamed": "(unnamed feature{version})",
        "data_version": ", data version {v}",
        "feature_moved": "Now: the feature was changed{version}; the original shape is kept",
        "feature_gone": "Now: the feature has been deleted",
        "changeset": "Data change, version {v} ({party})",
        "revision": "Text change {section}: before \"{before}\" → after \"{after}\"",
        "same": "Text {section}: unchanged in the cited draft ({rev})",
        "absent": "(no such section)",
        "unverified": "Unverified change reference ({claim})",
        "memo": "meeting memo: ",
        "earlier": "Earlier answer ({at}): {disposition}. {answer}",
        "not_satisfied": "Party's reply ({at}): not satisfied: {note}",
        "pending": "pending", "received": "received", "written": "written", "late": "late",
        "by_party_type": "By party type", "by_party": "By party", "by_round": "By round",
        "by_deliverable": "By deliverable (1 vision report, S system actions, Z spatial sections)",
        "responses_title": "Responses to the invitations",
        "response_columns": ["Round", "Party", "Type", "Response"],
        "responses": {"submitted": "comments", "no_comment": "no comment", "none": "none"},
        "due": "due {due}",
        "signature_page": "Signature page (会签)",
        "release": "Release hash (SHA-256)",
        "ledger_hash": "Ledger hash (SHA-256)",
        "unsigned": "This report is not tied to a verified release; signatures pending.",
        "to_sign": "to sign",
        "signature_columns": ["Party", "Signatory", "Key id", "Signed at", "Signature (excerpt)"],
    },
}
QUOTE_CHARS = 60  # a quote longer than this is cut with an ellipsis
CHANGE_CHARS = 40  # each side of a text change
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def short(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


@cache
def _layer_names() -> dict[str, tuple[str, str]]:
    from app.model.catalogue import load_catalogue
    return {layer.code.upper(): (layer.name_zh, layer.name_en) for layer in load_catalogue().layers}


def layer_name(code: str, lang: str = "zh") -> str:
    """The catalogue's name of a layer; a layer the catalogue lacks is named as unregistered."""
    pair = _layer_names().get(str(code).upper())
    if pair is None:
        return "未登记图层" if lang == "zh" else "unregistered layer"
    return pair[0 if lang == "zh" else 1]


@cache
def _deliverable_titles() -> dict[str, tuple[str, str]]:
    from app.content.template import load_template
    wanted = {"vision": "1", **{d: d for d in M.DELIVERABLES}}
    return {wanted[s.id]: (s.title_zh, s.title_en) for s in load_template().sections
            if s.id in wanted}


def deliverable_name(code: str | None, lang: str = "zh") -> str:
    """`S1 交通一体化行动`: the deliverable's code and its title in the 1+8+5 template."""
    if not code or code == "-":
        return "未分办" if lang == "zh" else "not assigned"
    pair = _deliverable_titles().get(code)
    return code if pair is None else f"{code} {pair[0 if lang == 'zh' else 1]}"


def body_of(c: CommentState, lang: str) -> str:
    body = c.comment.get("body", {})
    return body.get(lang) or body.get("zh") or body.get("en", "")


def answer_text(a: Answer, lang: str) -> str:
    return a.answer.get(lang) or a.answer.get("zh") or a.answer.get("en", "")


# --- intros ---------------------------------------------------------------------------------

def _rate(rate: float | None) -> str:
    return "-" if rate is None else f"{100 * rate:.1f}%"


def all_answered(tally) -> bool:
    """Every comment has a published answer and none was reopened by its party."""
    return tally.comments > 0 and tally.answered == tally.comments and tally.open == 0


def party_intro(tally, lang: str) -> str:
    """The opening sentence of a party's report, from its counts."""
    key = "party_all" if all_answered(tally) else "party_open"
    return TEXT[lang][key].format(n=tally.comments, answered=tally.answered, open=tally.open,
                                  a=tally.adopted, rate=_rate(tally.rate))


def summary_intro(tally, parties: int, lang: str) -> str:
    """The opening sentence of the summary report, from the counts."""
    if tally.comments == 0:
        return TEXT[lang]["summary_none"]
    key = "summary_all" if all_answered(tally) else "summary_open"
    return TEXT[lang][key].format(n=tally.comments, parties=parties, answered=tally.answered,
                                  open=tally.open, a=tally.adopted, rate=_rate(tally.rate))


def duplicate_note(groups: int, members: int, counted: int, lang: str) -> str:
    """The counting rule for duplicate groups, with this review's numbers."""
    t = TEXT[lang]
    if not groups:
        return t["duplicate_rule"]
    gap = "" if lang == "zh" else " "
    return t["duplicate_rule"] + gap + t["duplicate_count"].format(g=groups, m=members,
                                                                   counted=counted)


# --- anchors: as written, and where they stand now ------------------------------------------

def anchor_lines(c: CommentState, lang: str) -> list[str]:
    """Each anchor as the party wrote it, then (when migrated) where it stands now."""
    t, lines = TEXT[lang], []
    for index, anchor in enumerate(c.comment.get("anchors", [])):
        state = c.anchor_states.get(index) or {}
        if anchor["type"] == "clause":
            lines.append(t["quote"].format(section=anchor["section"],
                                           quote=short(anchor["quote"], QUOTE_CHARS)))
            lines += _clause_now(state, t)
        elif anchor["type"] == "feature":
            lines.append(feature_text(anchor, lang))
            lines += _feature_now(state, t)
        else:
            lines.append(t["area"])
    return lines


def _clause_now(state: dict, t: dict) -> list[str]:
    if state.get("status") == "orphaned":
        return [t["clause_gone"]]
    now = state.get("anchor") or {}
    if state.get("status") == "moved" and now.get("section"):
        return [t["now_at"].format(section=now["section"], n=int(now.get("position", 0)) + 1)]
    return []


def feature_text(anchor: dict, lang: str) -> str:
    """`地图要素：战略协同区「环太湖」`: the layer's name and the feature's label, never ids."""
    t = TEXT[lang]
    version = anchor.get("data_version")
    label = str(anchor.get("label") or "").strip()
    name = f"「{short(label, 30)}」" if lang == "zh" and label else f"\"{label}\"" if label else \
        t["unnamed"].format(version=t["data_version"].format(v=version) if version else "")
    return t["feature"].format(layer=layer_name(anchor.get("layer", ""), lang), name=name)


def _feature_now(state: dict, t: dict) -> list[str]:
    if state.get("status") == "orphaned":
        return [t["feature_gone"]]
    if state.get("status") == "moved":
        changed = state.get("changed_in")
        return [t["feature_moved"].format(
            version=t["data_version"].format(v=changed) if changed else "")]
    return []


# --- evidence and history -------------------------------------------------------------------

def evidence_lines(a: Answer, lang: str, names: dict[str, str]) -> list[str]:
    """Reason, each change reference as the server resolved it, and the memo."""
    t = TEXT[lang]
    lines = [M.label(M.REASONS, a.reason, lang)] if a.reason else []
    lines += [reference_text(ref, lang, names) for ref in a.changes]
    if a.memo:
        lines.append(f"{t['memo']}{a.memo}")
    return lines


def reference_text(ref: dict, lang: str, names: dict[str, str]) -> str:
    """A resolved change set or text revision; anything the server did not resolve is shown
    as unverified (archives from before the server resolved references)."""
    t = TEXT[lang]
    if ref.get("kind") == "changeset" and isinstance(ref.get("version"), int) and ref.get("party"):
        return t["changeset"].format(v=ref["version"], party=names.get(ref["party"], ref["party"]))
    if ref.get("kind") == "text" and _SHA256.match(str(ref.get("revision", ""))) \
            and isinstance(ref.get("after"), str):
        if ref.get("before") == ref["after"]:  # cited, but the text did not change: say so
            return t["same"].format(section=ref.get("section", ""), rev=ref["revision"][:8])
        before, after = change_excerpt(ref.get("before"), ref["after"])
        return t["revision"].format(section=ref.get("section", ""),
                                    before=t["absent"] if before is None else before, after=after)
    claim = ref.get("id") or f"{ref.get('section', '')}@{ref.get('revision', '')}"
    return t["unverified"].format(claim=short(str(claim), 36))


def change_excerpt(before: str | None, after: str,
                   width: int = CHANGE_CHARS) -> tuple[str | None, str]:
    """The changed middle of two texts with a little context, each cut to `width`."""
    if before is None:
        return None, short(after, width)
    head = 0
    while head < min(len(before), len(after)) and before[head] == after[head]:
        head += 1
    tail = 0
    while tail < min(len(before), len(after)) - head and before[-1 - tail] == after[-1 - tail]:
        tail += 1
    start = max(0, head - 8)

    def cut(text: str) -> str:
        end = min(len(text), len(text) - tail + 8)
        piece = text[start:end]
        if len(piece) > width:
            piece = piece[:width - 1] + "…"
        elif end < len(text):
            piece += "…"
        return ("…" if start else "") + piece
    return cut(before), cut(after)


def history_lines(c: CommentState, lang: str) -> list[str]:
    """Answers since replaced and the party's "not satisfied" notes, oldest first."""
    t, lines = TEXT[lang], []
    current = c.published.id if c.published else None
    for e in c.history:
        if e.kind == "publish" and c.id in e.data.get("answers", {}):
            snap = Answer.of(e, e.data["answers"][c.id])
            if snap.id != current:
                lines.append(t["earlier"].format(
                    at=beijing(e.at, lang), answer=short(answer_text(snap, lang), 80),
                    disposition=M.label(M.DISPOSITION_LABELS, snap.disposition, lang)))
        elif e.kind == "confirm" and not e.data.get("satisfied"):
            lines.append(t["not_satisfied"].format(at=beijing(e.at, lang),
                                                   note=short(e.data.get("note") or "-", 80)))
    return lines
