"""The vocabulary of comment rounds: stages, visibility, channels, dispositions, reason codes,
deliverables, each with its Chinese and English label."""

from __future__ import annotations

import re

# Lifecycle of a round, in order. `closed` hands over to the next round; `final` ends the review.
STAGES = ("draft", "frozen", "issued", "collecting", "triage", "responding", "published",
          "revising", "closed", "final")
STAGE_LABELS = {
    "draft": ("草稿", "draft"), "frozen": ("定稿冻结", "frozen"), "issued": ("已发函", "issued"),
    "collecting": ("征询中", "collecting"), "triage": ("分办", "triage"),
    "responding": ("研究答复", "responding"), "published": ("答复已发布", "answers published"),
    "revising": ("修改中", "revising"), "closed": ("本轮结束", "closed"),
    "final": ("终稿", "final"),
}
# Allowed moves of `round.advance` (freeze is its own event: it carries the draft's hash).
NEXT_STAGES = {
    "frozen": ("issued",), "issued": ("collecting",), "collecting": ("triage",),
    "triage": ("responding",), "responding": ("published",), "published": ("revising", "final"),
    "revising": ("closed", "final"),
}
# A sealed round hides other parties' comments until collecting has closed.
SEALED_STAGES = ("draft", "frozen", "issued", "collecting")
COMMENT_STAGES = ("issued", "collecting")
LATE_ENTRY_STAGES = ("issued", "collecting", "triage")  # letters/meeting notes typed in by the office
DECIDE_STAGES = ("triage", "responding", "published", "revising")
PUBLISH_STAGES = ("responding", "published", "revising")

VISIBILITY = ("sealed", "parties", "public")
CHANNELS = ("app", "bundle", "letter", "meeting")
CHANNEL_LABELS = {"app": ("客户端", "app"), "bundle": ("离线包", "offline bundle"),
                  "letter": ("书面函件", "letter"), "meeting": ("会议意见", "meeting")}

DISPOSITIONS = ("adopted", "partially_adopted", "not_adopted", "noted", "referred", "duplicate")
DISPOSITION_LABELS = {
    "adopted": ("采纳", "adopted"), "partially_adopted": ("部分采纳", "partially adopted"),
    "not_adopted": ("未采纳", "not adopted"), "noted": ("知悉", "noted"),
    "referred": ("转交办理", "referred"), "duplicate": ("重复意见", "duplicate"),
}
ADOPTING = ("adopted", "partially_adopted")  # need change references
# The adoption rate counts substantive answers only: noted/referred/duplicate take no position.
SUBSTANTIVE = ("adopted", "partially_adopted", "not_adopted")
REASONS = {
    "higher_level_plan": ("与上位规划要求冲突", "conflicts with a higher-level plan"),
    "beyond_remit": ("超出本规划事权范围", "beyond the plan's remit"),
    "project_library": ("纳入项目库后续研究", "deferred to the project library"),
    "lower_level_plan": ("由下位规划深化落实", "left to a lower-level plan"),
    "already_covered": ("规划已有相关表述", "already covered by the plan"),
    "insufficient_basis": ("依据不足", "insufficient basis"),
    "technical_standard": ("不符合技术标准", "contrary to a technical standard"),
}
PARTY_TYPES = ("city", "department", "ministry", "province", "expert", "public", "office")
PARTY_TYPE_LABELS = {
    "city": ("城市", "city"), "department": ("市级部门", "department"),
    "ministry": ("部委", "ministry"), "province": ("省级部门", "provincial department"),
    "expert": ("专家", "expert"), "public": ("公众", "public"), "office": ("协同办公室", "office"),
}
# 1+8+5: the strategic vision report, 8 system actions, 5 spatial-section actions.
DELIVERABLES = ("1", *(f"S{i}" for i in range(1, 9)), *(f"Z{i}" for i in range(1, 6)))
RESPONSES = ("submitted", "no_comment", "none")
ANCHOR_STATES = ("confirmed", "moved", "orphaned")
STATUSES = ("open", "decided", "answered", "satisfied", "reopened", "withdrawn")
STATUS_LABELS = {
    "open": ("待研究", "open"), "decided": ("已研究待发布", "decided, not published"),
    "answered": ("已答复待确认", "answered"), "satisfied": ("已确认满意", "satisfied"),
    "reopened": ("不满意重新办理", "reopened"), "withdrawn": ("已撤回", "withdrawn"),
}
OPEN_STATUSES = ("open", "decided", "reopened")

SECTION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def deliverable_of(section_id: str) -> str | None:
    """The deliverable a section belongs to: `S3.2` → S3, `Z1` → Z1, `vision.x` → 1."""
    head = section_id.split(".", 1)[0]
    if head in DELIVERABLES:
        return head
    if head in ("vision", "1"):
        return "1"
    return None


def label(table: dict[str, tuple[str, str]], key: str | None, lang: str = "zh") -> str:
    """The Chinese (default) or English label of a code; the code itself when unknown."""
    if key is None:
        return ""
    pair = table.get(key)
    return key if pair is None else pair[0 if lang == "zh" else 1]
