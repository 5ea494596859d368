"""The issue list (销项): what is overdue, what to escalate, what goes on a meeting's agenda,
and which conflict-check results become issues.

Pure functions of the folded state (app/implement/state.py) and a Beijing date; the commands
they suggest (escalate, meeting, issue) are sent like any other, so the server's log stays
the one record of what was decided.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from app.implement.items import natural_key
from app.implement.model import Issue
from app.implement.periods import beijing_date, today_beijing

if TYPE_CHECKING:
    from app.implement.state import ImplementState
    from app.project.project import Project

TOP_LEVEL = 3
CHECK_GRACE = timedelta(days=30)  # a conflict-check issue is due 30 days after it is raised
# Issue ids of conflicts: uuid5(this, conflict id), so raising them twice makes no duplicate.
CONFLICT_NAMESPACE = uuid.UUID("c0f11c70-16de-4c0d-a1e5-000000000016")
OFFICE = "office"
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
TITLE_CAP = 200  # events.TITLE: longer titles are cut with an ellipsis


def _open(state: ImplementState) -> list[Issue]:
    return [i for i in state.issues.values() if i.state == "open"]


def _by_due(issues: Iterable[Issue]) -> list[Issue]:
    return sorted(issues, key=lambda i: (i.due, natural_key(i.id)))


def overdue(state: ImplementState, today: date) -> list[Issue]:
    """Open issues whose due date is before `today` (Beijing), earliest due first."""
    day = today.isoformat()
    return _by_due(i for i in _open(state) if i.due < day)


def _escalated_since_due(issue: Issue) -> bool:
    """Whether the issue went up a level after its due date passed (once per lapse: it is not
    escalated again until a memo gives it a new due date and that one passes too)."""
    due = date.fromisoformat(issue.due)
    return any(step.action == "escalated" and step.at and beijing_date(step.at) > due
               for step in issue.history)


def due_escalations(state: ImplementState, today: date) -> list[tuple[str, str]]:
    """(issue id, "overdue") for each overdue open issue below level 3 not yet escalated for
    this lapse, earliest due first."""
    return [(i.id, "overdue") for i in overdue(state, today)
            if i.level < TOP_LEVEL and not _escalated_since_due(i)]


def agenda_for(state: ImplementState, level: int, day: date) -> list[str]:
    """Ids of the open issues at `level` raised by `day` (Beijing), by due date then id."""
    def raised_by_day(issue: Issue) -> bool:
        first = issue.history[0].at if issue.history else ""
        return not first or beijing_date(first) <= day
    return [i.id for i in _by_due(i for i in _open(state) if i.level == level and raised_by_day(i))]


def conflict_issue_id(conflict_id: str) -> str:
    """The id of the issue following up a conflict: the same on every run and every copy."""
    return str(uuid.uuid5(CONFLICT_NAMESPACE, conflict_id))


@dataclass(frozen=True)
class _Named:
    """What a kept Status row tells of its conflict's features (no labels, no owners)."""

    features: tuple[str, ...]


def _rows(statuses: Any) -> list[tuple[str, str, str, object]]:
    """(conflict id, rule, status, conflict-like) from a lifecycle StatusReport, Tracked
    items, Status rows or a {conflict id: Status} dict."""
    items = getattr(statuses, "items", statuses)
    if callable(items):  # a dict: its values
        items = statuses.values()
    out = []
    for t in items:
        record = getattr(t, "record", t)
        conflict = getattr(t, "conflict", None) or _Named(_features_of_key(record.key))
        cid = getattr(t, "id", None) or record.conflict_id
        rule = getattr(conflict, "rule", None) or getattr(record, "rule", "") or ""
        out.append((cid, rule, t.status, conflict))
    return out


def _owner(conflict: object) -> str:
    """The one party besides the office whose features clash (it has to act), else the office
    (a clash between two parties' plans is for the office to broker)."""
    owners = {o for o in getattr(conflict, "owners", ()) if o and o != OFFICE}
    return owners.pop() if len(owners) == 1 else OFFICE


def _name(names: Mapping[str, Any], key: str) -> tuple[str, str] | None:
    """(zh, en) of `key` in `names`, whose values are a name or a (zh, en) pair."""
    value = names.get(key) if key else None
    if not value:
        return None
    if isinstance(value, str):
        return value, value
    zh, en = value
    return (zh or en), (en or zh)


def _feature_names(conflict: object, names: Mapping[str, object]) -> list[tuple[str, str]]:
    """(zh, en) name of each feature: from `names` (uuid → name), else the check's labels,
    else the layer ("XMK_LINE 的要素"): never a uuid."""
    features = getattr(conflict, "features", ())
    labels = getattr(conflict, "labels", ()) or ("",) * len(features)
    layers = getattr(conflict, "layers", ()) or ("",) * len(features)
    out = []
    for uid, label, layer in zip(features, labels, layers, strict=False):
        named = _name(names, uid) or ((label, label) if label else None)
        out.append(named or ((f"{layer}的要素", f"a feature of {layer}") if layer
                             else ("未命名要素", "an unnamed feature")))
    return out


def _features_of_key(key: str) -> tuple[str, ...]:
    """The feature uuids a conflict key names: "rule/a/b" for an overlay; a continuity key
    also holds the part, end and border between them ("rule/a/0/end/320500/b")."""
    return tuple(p for p in key.split("/")[1:] if _UUID.fullmatch(p))


def _cap(text: str) -> str:
    return text if len(text) <= TITLE_CAP else text[:TITLE_CAP - 1] + "…"


def issues_from_conflicts(statuses: object, names: Mapping[str, object], *,
                          today: date | None = None) -> list[dict]:
    """'issue' event data for every open conflict (new or still open; accepted exceptions and
    resolved ones are left out): titled with the rule's name and the features' names (`names`
    maps feature uuids and rule ids to a name or a (zh, en) pair; see feature_names), owned
    as `_owner` says, level 1, due 30 days after `today` (Beijing), id uuid5 of the conflict
    id so sending them twice is harmless."""
    today = today or today_beijing()
    due = (today + CHECK_GRACE).isoformat()
    out = []
    for cid, rule, status, conflict in _rows(statuses):
        if status != "open":
            continue
        rule_zh, rule_en = _name(names, rule) or (rule or "规则", rule or "rule")
        features = _feature_names(conflict, names)
        zh = "、".join(n for n, _ in features) or "相关要素"
        en = " and ".join(n for _, n in features) or "the features involved"
        out.append({"issue": conflict_issue_id(cid),
                    "title_zh": _cap(f"冲突检查（{rule_zh}）：{zh}"),
                    "title_en": _cap(f"Conflict check ({rule_en}): {en}"),
                    "owner": _owner(conflict), "due": due, "level": 1, "item": None,
                    "source": {"kind": "check", "ref": cid}})
    return out


def new_conflict_issues(state: ImplementState, statuses: object, names: Mapping[str, object], *,
                        today: date | None = None) -> list[dict]:
    """issues_from_conflicts() without those already in the state (already raised)."""
    return [d for d in issues_from_conflicts(statuses, names, today=today)
            if d["issue"] not in state.issues]


def feature_names(project: Project, statuses: object) -> dict[str, str]:
    """Readable names ("沪苏湖铁路 (P-JT-001)") of the features the conflicts in `statuses`
    name, looked up in the project's layers by uuid (the fields the check labels them by)."""
    from app.analysis.engine import LABEL_FIELDS
    from app.project.sql import ident

    wanted = sorted({u for _, _, _, c in _rows(statuses) for u in getattr(c, "features", ())})
    found: dict[str, str] = {}
    for layer in project.layers():
        name, code = LABEL_FIELDS.get(layer.code, ("MC", "BSM"))
        fields = [f for f in (name, code) if f in layer.field_names]
        if not fields or not wanted:
            continue
        for start in range(0, len(wanted), 500):  # SQLite's bound-parameter limit
            chunk = wanted[start:start + 500]
            sql = (f"SELECT uuid, {', '.join(map(ident, fields))} FROM {ident(layer.code)} "
                   f"WHERE uuid IN ({', '.join('?' * len(chunk))})")
            for uid, *values in project.db.execute(sql, chunk):
                found[uid] = _label(dict(zip(fields, values, strict=True)), name, code)
    return {u: n for u, n in found.items() if n}


def _label(values: dict, name: str, code: str) -> str:
    n, c = values.get(name), values.get(code)
    return f"{n} ({c})" if n and c else str(n or c or "")
