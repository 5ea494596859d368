"""Implementation events: the facts the tracking log is made of, their wire form, an archive.

One append-only log per server project. An event's `id` is the client-made idempotency key,
`version` the place the server's log gave it; `state.fold` orders by (version, id). The data of
each kind is checked here, strictly and with caps, by `parse_data`: unknown keys, wrong types,
NaN and infinities, impossible dates and over-long texts or lists are refused with a message
naming the JSON path ("$.lines[2].percent: …"), so nothing malformed ever reaches the log.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import NoReturn

from app.errors import InvalidInput, NotFound
from app.implement.model import (
    DATE,
    DECISIONS,
    ISSUE_SOURCES,
    ITEM_KINDS,
    LEVELS,
    PERIOD,
    PLAN,
    STATUSES,
    WEIGHTINGS,
)

FORMAT = "coplan.implement-event/v1"
KINDS = ("items", "weights", "report", "review", "issue", "escalate", "meeting", "memo",
         "indicators", "checkup")

# Caps: what a sane client ever sends, far below what would hurt the server.
TITLE = 200  # titles, names, authors
TEXT = 4000  # narratives, notes
MEMO_TEXT = 20000  # a memo's full text (a meeting memo is longer than a note)
CODE = 100  # ids, party codes, numbers
MAX_ITEMS = 5000  # items per `items` event; entries per `indicators`; rows per `checkup`
MAX_LINES = 2000  # lines per report
MAX_SMALL = 100  # issues, attachments, change sets, milestones per line/item; parties
MAX_AGENDA = 1000  # agenda issues per meeting, decisions per memo
MAX_SOURCE = 20  # keys in an item's or issue's `source`


@dataclass(frozen=True)
class Event:
    """One accepted fact: who (party, user, server-decided) did what (kind, data) and when."""

    id: str  # uuid; the idempotency key (client-made)
    version: int  # given by the server's log, 1, 2, 3 … per project
    kind: str  # one of KINDS
    party: str  # the acting member's party (server-decided)
    user: str  # the acting user (server-decided)
    at: str  # server time, UTC ISO 8601 "2026-12-05T13:45:00.000Z"
    data: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def key(self) -> tuple[int, str]:
        return (self.version, self.id)


def to_json(e: Event) -> dict:
    """The wire form of an event."""
    return {"format": FORMAT, "id": e.id, "version": e.version, "kind": e.kind,
            "party": e.party, "user": e.user, "at": e.at, "data": e.data}


def from_json(d: dict) -> Event:
    """An event from its wire form (data checked by parse_data); InvalidInput otherwise."""
    if not isinstance(d, dict):
        raise InvalidInput("$: an implementation event must be an object")
    fmt = d.get("format", FORMAT)
    if fmt != FORMAT:
        raise InvalidInput(f"$.format: not a {FORMAT} event")
    known = {"format", "id", "version", "kind", "party", "user", "at", "data"}
    _no_unknown(d, known, "$")
    version = d.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidInput("$.version: must be a positive integer")
    kind = d.get("kind")
    if kind not in KINDS:
        raise InvalidInput(f"$.kind: unknown kind {str(kind)[:40]!r}")
    return Event(_uuid(d.get("id"), "$.id"), version, kind,
                 _text(d.get("party"), "$.party", CODE), _text(d.get("user"), "$.user", TITLE),
                 _timestamp(d.get("at"), "$.at"), parse_data(kind, d.get("data")))


def write_jsonl(path: str | Path, events: Iterable[Event]) -> int:
    """Write events one JSON object a line (UTF-8, Chinese kept), in fold order; returns how many."""
    ordered = sorted(events, key=lambda e: e.key)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for e in ordered:
            fh.write(json.dumps(to_json(e), ensure_ascii=False, sort_keys=True,
                                allow_nan=False) + "\n")
    return len(ordered)


def read_jsonl(path: str | Path) -> list[Event]:
    """Events from a JSON-lines archive; InvalidInput names the first bad line."""
    if not Path(path).is_file():
        raise NotFound(f"no implementation archive {path}")
    events = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                events.append(from_json(json.loads(line, parse_constant=_no_constant)))
            except (ValueError, InvalidInput) as exc:
                raise InvalidInput(f"{path}:{number}: {exc}") from exc
    return events


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


# --- field checkers: each returns the normalised value or raises InvalidInput(path: why) ---

def _fail(path: str, why: str) -> NoReturn:
    raise InvalidInput(f"{path}: {why}")


def _no_unknown(d: dict, known: set[str] | dict, path: str) -> None:
    for key in d:
        if key not in known:
            _fail(f"{path}.{str(key)[:40]}", "unknown field")


def _text(v: object, path: str, cap: int, *, empty: bool = False) -> str:
    if not isinstance(v, str):
        _fail(path, "must be a string")
    if len(v) > cap:
        _fail(path, f"longer than {cap} characters")
    if not empty and not v.strip():
        _fail(path, "must not be empty")
    if "\x00" in v:
        _fail(path, "contains a NUL character")
    return v


def _opt_text(cap: int) -> Callable[[object, str], str]:
    return lambda v, path: _text(v, path, cap, empty=True)


def _req_text(cap: int) -> Callable[[object, str], str]:
    return lambda v, path: _text(v, path, cap)


def _nullable(check: Callable[[object, str], object]) -> Callable[[object, str], object]:
    return lambda v, path: None if v is None else check(v, path)


def _uuid(v: object, path: str) -> str:
    if not isinstance(v, str) or len(v) > 40:
        _fail(path, "must be a UUID")
    try:
        return str(uuid.UUID(v))
    except ValueError:
        _fail(path, "must be a UUID")


def _number(lo: float | None = None, hi: float | None = None) -> Callable[[object, str], float]:
    def check(v: object, path: str) -> float:
        if isinstance(v, bool) or not isinstance(v, int | float):
            _fail(path, "must be a number")
        try:
            f = float(v)
        except OverflowError:
            _fail(path, "must be a finite number")
        if not math.isfinite(f):
            _fail(path, "must be a finite number")
        if lo is not None and f < lo or hi is not None and f > hi:
            _fail(path, f"must be between {lo:g} and {hi:g}" if lo is not None and hi is not None
                  else f"must be at least {lo:g}" if lo is not None else f"must be at most {hi:g}")
        return f
    return check


def _integer(lo: int, hi: int) -> Callable[[object, str], int]:
    def check(v: object, path: str) -> int:
        if isinstance(v, bool) or not isinstance(v, int):
            _fail(path, "must be an integer")
        if not lo <= v <= hi:
            _fail(path, f"must be between {lo} and {hi}")
        return v
    return check


_year = _integer(1900, 2200)
_level = _integer(min(LEVELS), max(LEVELS))


def _period(v: object, path: str) -> str:
    if not isinstance(v, str) or not PERIOD.match(v):
        _fail(path, "must be a period YYYY-MM")
    return v


def _date(v: object, path: str) -> str:
    if not isinstance(v, str) or not DATE.match(v):
        _fail(path, "must be a date YYYY-MM-DD")
    try:
        date.fromisoformat(v)
    except ValueError:
        _fail(path, "is not a calendar date")
    return v


def _timestamp(v: object, path: str) -> str:
    if not isinstance(v, str) or not 10 <= len(v) <= 40:
        _fail(path, "must be an ISO 8601 time")
    try:
        datetime.fromisoformat(v[:-1] + "+00:00" if v.endswith("Z") else v)
    except ValueError:
        _fail(path, "must be an ISO 8601 time")
    return v


def _one_of(options: Iterable[str]) -> Callable[[object, str], str]:
    allowed = tuple(options)

    def check(v: object, path: str) -> str:
        if not isinstance(v, str) or v not in allowed:
            _fail(path, f"must be one of {', '.join(allowed)}")
        return v
    return check


def _list(check: Callable[[object, str], object], cap: int, *, unique: bool = False,
          nonempty: bool = False) -> Callable[[object, str], list]:
    def run(v: object, path: str) -> list:
        if not isinstance(v, list):
            _fail(path, "must be a list")
        if len(v) > cap:
            _fail(path, f"more than {cap} entries")
        if nonempty and not v:
            _fail(path, "must not be empty")
        out = [check(x, f"{path}[{i}]") for i, x in enumerate(v)]
        if unique:
            seen = set()
            for i, x in enumerate(out):
                if x in seen:
                    _fail(f"{path}[{i}]", "repeated")
                seen.add(x)
        return out
    return run


def _scalar_map(v: object, path: str) -> dict:
    """A small flat object of strings, numbers, booleans or null (an item's or issue's source)."""
    if not isinstance(v, dict):
        _fail(path, "must be an object")
    if len(v) > MAX_SOURCE:
        _fail(path, f"more than {MAX_SOURCE} keys")
    out: dict[str, object] = {}
    for k, x in v.items():
        sub = f"{path}.{str(k)[:40]}"
        _text(k, sub, CODE)
        if isinstance(x, str):
            out[k] = _text(x, sub, TEXT, empty=True)
        elif isinstance(x, bool) or x is None:
            out[k] = x
        elif isinstance(x, int | float):
            out[k] = _number()(x, sub)
            out[k] = x if isinstance(x, int) else out[k]
        else:
            _fail(sub, "must be a string, number, boolean or null")
    return out


Spec = dict[str, tuple[Callable[[object, str], object], bool, object]]  # key -> (check, required, default)


def _object(spec: Spec, v: object, path: str) -> dict:
    """Check an object against `spec`: every key known, required ones present, defaults filled."""
    if not isinstance(v, dict):
        _fail(path, "must be an object")
    _no_unknown(v, spec, path)
    out = {}
    for key, (check, required, default) in spec.items():
        if key in v:
            out[key] = check(v[key], f"{path}.{key}")
        elif required:
            _fail(f"{path}.{key}", "missing")
        else:
            out[key] = default
    return out


def _req(check: Callable[[object, str], object]) -> tuple:
    return (check, True, None)


def _opt(check: Callable[[object, str], object], default: object) -> tuple:
    return (check, False, default)


_party = _req_text(CODE)
_id = _req_text(CODE)

MILESTONE: Spec = {"id": _req(_id), "name_zh": _req(_req_text(TITLE)),
                   "name_en": _opt(_opt_text(TITLE), ""),
                   "due": _opt(lambda v, p: v if v == "" else _period(v, p), ""),
                   "done": _opt(_nullable(_period), None)}


def _milestone(v: object, path: str) -> dict:
    return _object(MILESTONE, v, path)


ITEM: Spec = {"id": _req(_id), "kind": _req(_one_of(ITEM_KINDS)),
              "parent": _opt(_nullable(_id), None), "title_zh": _req(_req_text(TITLE)),
              "title_en": _opt(_opt_text(TITLE), ""), "lead": _opt(_opt_text(CODE), ""),
              "participants": _opt(_list(_party, MAX_SMALL, unique=True), []),
              "start_year": _opt(_nullable(_year), None),
              "finish_year": _opt(_nullable(_year), None),
              "milestones": _opt(_list(_milestone, MAX_SMALL), []),
              "investment": _opt(_nullable(_number(0)), None),
              "source": _opt(_scalar_map, {})}


def _item(v: object, path: str) -> dict:
    item = _object(ITEM, v, path)
    if (item["id"] == PLAN) != (item["parent"] is None):
        _fail(f"{path}.parent", "only the root item 'plan' has no parent")
    if item["id"] == PLAN and item["kind"] != "plan":
        _fail(f"{path}.kind", "the root item 'plan' is of kind plan")
    if item["parent"] == item["id"]:
        _fail(f"{path}.parent", "an item cannot be its own parent")
    start, finish = item["start_year"], item["finish_year"]
    if start is not None and finish is not None and finish < start:
        _fail(f"{path}.finish_year", "before start_year")
    ids = [m["id"] for m in item["milestones"]]
    if len(set(ids)) != len(ids):
        _fail(f"{path}.milestones", "repeated milestone id")
    return item


def _issue_raised(v: object, path: str) -> dict:
    raised = _object({"title_zh": _opt(_opt_text(TITLE), ""),
                      "title_en": _opt(_opt_text(TITLE), "")}, v, path)
    if not (raised["title_zh"].strip() or raised["title_en"].strip()):
        _fail(f"{path}.title_zh", "an issue needs a title")
    return raised


LINE: Spec = {"item": _req(_id), "percent": _req(_number(0, 100)),
              "status": _req(_one_of(STATUSES)),
              "narrative_zh": _opt(_opt_text(TEXT), ""), "narrative_en": _opt(_opt_text(TEXT), ""),
              "issues": _opt(_list(_issue_raised, MAX_SMALL), []),
              "attachments": _opt(_list(_uuid, MAX_SMALL, unique=True), []),
              "changesets": _opt(_list(_id, MAX_SMALL, unique=True), []),
              "milestones_done": _opt(_list(_id, MAX_SMALL, unique=True), [])}


def _line(v: object, path: str) -> dict:
    return _object(LINE, v, path)


def _lines(v: object, path: str) -> list:
    lines = _list(_line, MAX_LINES, nonempty=True)(v, path)
    seen = set()
    for i, line in enumerate(lines):
        if line["item"] in seen:
            _fail(f"{path}[{i}].item", "item reported twice in one report")
        seen.add(line["item"])
    return lines


def _source(v: object, path: str) -> dict:
    return _object({"kind": _req(_one_of(ISSUE_SOURCES)), "ref": _opt(_opt_text(CODE), "")},
                   v, path)


def _decision(v: object, path: str) -> dict:
    return _object({"issue": _req(_uuid), "action": _req(_one_of(DECISIONS)),
                    "note": _opt(_opt_text(TEXT), ""), "due": _opt(_nullable(_date), None)},
                   v, path)


_value = _nullable(_number())

ENTRY: Spec = {"indicator_id": _req(_id), "xzqdm": _req(_id), "year": _req(_year),
               "data_source": _opt(_opt_text(TITLE), ""), "value": _opt(_value, None),
               "base_value": _opt(_value, None), "target_value_2025": _opt(_value, None),
               "target_value_2035": _opt(_value, None),
               "method": _opt(_nullable(_opt_text(TITLE)), None),
               "note": _opt(_opt_text(TEXT), "")}

ROW: Spec = {"year": _req(_year), "indicator_id": _req(_id), "xzqdm": _req(_id),
             "value": _opt(_value, None), "origin": _req(_req_text(32)),
             "target_value": _opt(_value, None), "target_year": _opt(_nullable(_year), None),
             "status": _req(_req_text(32)), "data_source": _opt(_nullable(_opt_text(TITLE)), None),
             "method": _opt(_nullable(_opt_text(TITLE)), None)}


def _unique_by(rows: list[dict], keys: tuple[str, ...], path: str) -> list[dict]:
    seen = set()
    for i, row in enumerate(rows):
        key = tuple(row[k] for k in keys)
        if key in seen:
            _fail(f"{path}[{i}]", f"repeated ({', '.join(keys)})")
        seen.add(key)
    return rows


def _weights(v: object, path: str) -> dict:
    if not isinstance(v, dict):
        _fail(path, "must be an object")
    if len(v) > MAX_ITEMS:
        _fail(path, f"more than {MAX_ITEMS} entries")
    out = {}
    for k, w in v.items():
        _text(k, f"{path}.{str(k)[:40]}", CODE)
        out[k] = _number(0, 1e9)(w, f"{path}.{k}")
    return out


SPECS: dict[str, Spec] = {
    "items": {"items": _req(_list(_item, MAX_ITEMS, nonempty=True))},
    "weights": {"node": _req(_id), "method": _req(_one_of(WEIGHTINGS)),
                "weights": _opt(_weights, {})},
    "report": {"report": _req(_uuid), "period": _req(_period), "written": _req(_timestamp),
               "author": _req(_req_text(TITLE)), "lines": _req(_lines)},
    "review": {"report": _req(_uuid), "decision": _req(_one_of(("accept", "return"))),
               "note": _opt(_opt_text(TEXT), "")},
    "issue": {"issue": _req(_uuid), "title_zh": _opt(_opt_text(TITLE), ""),
              "title_en": _opt(_opt_text(TITLE), ""), "owner": _req(_party),
              "due": _req(_date), "level": _opt(_level, 1), "item": _opt(_nullable(_id), None),
              "source": _opt(_source, {"kind": "manual", "ref": ""})},
    "escalate": {"issue": _req(_uuid), "reason": _req(_req_text(500))},
    "meeting": {"meeting": _req(_uuid), "level": _req(_level), "date": _req(_date),
                "title_zh": _opt(_opt_text(TITLE), ""), "title_en": _opt(_opt_text(TITLE), ""),
                "attendees": _opt(_list(_party, MAX_SMALL, unique=True), []),
                "agenda": _opt(_list(_uuid, MAX_AGENDA, unique=True), [])},
    "memo": {"meeting": _req(_uuid), "number": _req(_req_text(CODE)),
             "text_zh": _opt(_opt_text(MEMO_TEXT), ""), "text_en": _opt(_opt_text(MEMO_TEXT), ""),
             "decisions": _opt(_list(_decision, MAX_AGENDA), [])},
    "indicators": {"entries": _req(_list(lambda v, p: _object(ENTRY, v, p), MAX_ITEMS,
                                         nonempty=True))},
    "checkup": {"year": _req(_year),
                "rows": _req(_list(lambda v, p: _object(ROW, v, p), MAX_ITEMS))},
}


def parse_data(kind: str, data: object) -> dict:
    """The data of a `kind` event checked and normalised (defaults filled); InvalidInput
    naming the JSON path of the first problem."""
    if kind not in SPECS:
        raise InvalidInput(f"unknown kind of implementation event: {str(kind)[:40]!r}")
    out = _object(SPECS[kind], data, "$")
    return _EXTRA.get(kind, lambda d: d)(out)


def _check_items(d: dict) -> dict:
    _unique_by(d["items"], ("id",), "$.items")
    return d


def _check_weights(d: dict) -> dict:
    if d["weights"] and d["method"] != "custom":
        _fail("$.weights", "weights are given only with the method custom")
    return d


def _check_review(d: dict) -> dict:
    if d["decision"] == "return" and not d["note"].strip():
        _fail("$.note", "returning a report needs a note")
    return d


def _check_titled(d: dict) -> dict:
    if not (d["title_zh"].strip() or d["title_en"].strip()):
        _fail("$.title_zh", "a title is needed")
    return d


def _check_memo(d: dict) -> dict:
    _unique_by(d["decisions"], ("issue",), "$.decisions")
    return d


def _check_entries(d: dict) -> dict:
    _unique_by(d["entries"], ("indicator_id", "xzqdm", "year"), "$.entries")
    return d


def _check_rows(d: dict) -> dict:
    _unique_by(d["rows"], ("year", "indicator_id", "xzqdm"), "$.rows")
    return d


_EXTRA: dict[str, Callable[[dict], dict]] = {
    "items": _check_items, "weights": _check_weights, "review": _check_review,
    "issue": _check_titled, "meeting": _check_titled, "memo": _check_memo,
    "indicators": _check_entries, "checkup": _check_rows}
