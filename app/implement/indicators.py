"""Indicator values and check-ups the parties send to the office (共同实施, #16 item 6).

A party's entered values (app/analysis/checkup_store, `coplan indicators --enter`) and recorded
check-ups stay in its copy until `coplan progress sync` (or the desktop's implementation sync)
queues what is new or changed as `indicators` and `checkup` events. Every copy pulls them into
its mirror of the implementation log; the check-up and the five-year evaluation then read each
party's values from there, so the office sees every city's figures and trend history.

Who may speak for a region: the server stamps each event with the sender's party, and a value
counts only for the sender's own region (a city for its code, its departments "CITY-DEPT" for
the city; a party that is no city's, such as the office, for the metro area). A copy's own
entries always win over what was sent for the same indicator, region and year; between two
senders the later event wins.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from app.analysis.checkup_store import CHECKUP_TABLE, ENTRY_FIELDS, RECORDED_FIELDS, Entry, Recorded
from app.analysis.indicators import METRO
from app.implement.events import Event
from app.implement.state import ImplementState, fold
from app.project.project import Project

KINDS = ("indicators", "checkup")
EVENTS = "coplan_implement_events"  # the mirror (app/implement/outbox.py)


# --- reading what was sent --------------------------------------------------------------------

def synced_state(project: Project) -> ImplementState:
    """The mirror folded over its indicator and check-up events only: cheap enough to read on
    every check-up (reports, issues and meetings are not parsed)."""
    if EVENTS not in project.db.table_names():
        return ImplementState()
    rows = project.db.execute(f"SELECT id, version, kind, party, username, at, data FROM {EVENTS} "
                              "WHERE kind IN (?, ?) ORDER BY version", KINDS).fetchall()
    return fold(Event(i, v, k, p, u, at, json.loads(d)) for i, v, k, p, u, at, d in rows)


def owns(party: str, region: str) -> bool:
    """Whether values `party` sends count for `region`."""
    city = party.split("-", 1)[0]
    if region == METRO:
        return not city.isdigit()
    return region == city


def _later(found: dict, key: tuple, rank: tuple, value: object) -> None:
    if key not in found or rank > found[key][0]:
        found[key] = (rank, value)


def synced_entries(state: ImplementState, up_to_year: int, *,
                   exclude_party: str | None = None) -> list[Entry]:
    """The values the parties sent for their own regions, of `up_to_year` and earlier, oldest
    first (like checkup_store.entries); one per (indicator, region, year): the latest sent."""
    found: dict[tuple, tuple] = {}
    for (party, indicator, region, year), data in state.indicators.items():
        if year <= up_to_year and party != exclude_party and owns(party, region):
            _later(found, (indicator, region, year), (data.get("at") or "", party), data)
    return sorted((_entry(d) for _, d in found.values()), key=_entry_key)


def synced_records(state: ImplementState, first: int, last: int, *,
                   exclude_party: str | None = None) -> list[Recorded]:
    """The rows of the check-ups the parties recorded for their own regions, years `first` to
    `last`, oldest year first (like checkup_store.recorded_between)."""
    found: dict[tuple, tuple] = {}
    for (party, year), record in state.checkups.items():
        if not first <= year <= last or party == exclude_party:
            continue
        for row in record["rows"]:
            if owns(party, row["xzqdm"]):
                _later(found, (year, row["indicator_id"], row["xzqdm"]),
                       (record.get("at") or "", party), row)
    return sorted((Recorded(**{f: r.get(f) for f in RECORDED_FIELDS}) for _, r in found.values()),
                  key=_record_key)


def merged_entries(local: Sequence[Entry], synced: Iterable[Entry]) -> list[Entry]:
    """The copy's entries and the synced ones it has none of (same indicator, region and year),
    oldest first."""
    own = {_entry_key(e) for e in local}
    return sorted([*local, *(e for e in synced if _entry_key(e) not in own)], key=_entry_key)


def merged_records(local: Sequence[Recorded], synced: Iterable[Recorded]) -> list[Recorded]:
    """The copy's recorded rows and the synced ones it has none of, oldest year first."""
    own = {_record_key(r) for r in local}
    return sorted([*local, *(r for r in synced if _record_key(r) not in own)], key=_record_key)


def previous_records(db, state: ImplementState, year: int,
                     party: str) -> tuple[int | None, list[Recorded]]:
    """(year, rows) of the check-up the one of `year` is compared with: the latest earlier year
    recorded here or sent by a party, its rows merged (this copy's win)."""
    from app.analysis import checkup_store as store
    sent = synced_records(state, 0, year - 1, exclude_party=party)
    years = [y for y in (store.previous_year(db, year), *(r.year for r in sent)) if y is not None]
    if not years:
        return None, []
    before = max(years)
    return before, merged_records(store.recorded(db, before), [r for r in sent if r.year == before])


def _entry(data: dict) -> Entry:
    values = {f: data.get(f) for f in ENTRY_FIELDS}
    return Entry(**{**values, "data_source": values["data_source"] or ""})  # type: ignore[arg-type]  # checked by parse_data


def _entry_key(e: Entry) -> tuple[int, str, str]:
    return (e.year, e.indicator_id, e.xzqdm)


def _record_key(r: Recorded) -> tuple[int, str, str]:
    return (r.year, r.indicator_id, r.xzqdm)


# --- sending ----------------------------------------------------------------------------------

def recorded_years(project: Project) -> list[int]:
    """The years this copy has a recorded check-up of, oldest first."""
    if CHECKUP_TABLE not in project.db.table_names():
        return []
    return [y for (y,) in project.db.execute(f"SELECT DISTINCT year FROM {CHECKUP_TABLE} "
                                             "ORDER BY year")]


def queue_changed(project: Project) -> tuple[int, list[int]]:
    """Queue the party's indicator values and recorded check-ups that are new or changed since
    they were last queued; (values queued, check-up years queued). Nothing for a copy whose role
    cannot send them (the server would refuse)."""
    from app.implement import outbox
    from app.implement.commands import ROLES
    if project.role not in ROLES["indicators"]:
        return 0, []
    before = {item["id"] for item in outbox.pending(project)}
    outbox.queue_indicators(project)
    years = [y for y in recorded_years(project) if outbox.queue_checkup(project, y)]
    values = sum(len(item["data"]["entries"]) for item in outbox.pending(project)
                 if item["id"] not in before and item["kind"] == "indicators")
    return values, years


def queued_text(values: int, years: Sequence[int]) -> str:
    """"queued 12 indicator value(s) and the 2025 check-up" ('' when nothing was queued)."""
    parts = [f"{values} indicator value(s)"] if values else []
    if years:
        parts.append(f"the {', '.join(map(str, years))} check-up{'s' if len(years) > 1 else ''}")
    return f"queued {' and '.join(parts)}" if parts else ""


# --- the listing: who sent what ---------------------------------------------------------------

def sent_values(state: ImplementState, *, year: int | None = None,
                party: str | None = None) -> list[dict]:
    """Every value in the log, by party, indicator, region and year: {"party", "indicator_id",
    "xzqdm", "year", "value", "data_source", "at", "user", "counted"} (counted: the party's own
    region, so the check-up uses it)."""
    out = []
    for (p, indicator, region, y), d in sorted(state.indicators.items()):
        if (year is None or y == year) and (party is None or p == party):
            out.append({"party": p, "indicator_id": indicator, "xzqdm": region, "year": y,
                        "value": d.get("value"), "data_source": d.get("data_source") or "",
                        "at": d.get("at"), "user": d.get("user"), "counted": owns(p, region)})
    return out


def sent_checkups(state: ImplementState, *, year: int | None = None,
                  party: str | None = None) -> list[dict]:
    """Every check-up in the log: {"party", "year", "rows", "counted", "at", "user"} (rows: how
    many; counted: how many are of the party's own regions)."""
    return [{"party": p, "year": y, "rows": len(r["rows"]),
             "counted": sum(owns(p, row["xzqdm"]) for row in r["rows"]),
             "at": r.get("at"), "user": r.get("user")}
            for (p, y), r in sorted(state.checkups.items())
            if (year is None or y == year) and (party is None or p == party)]


def list_command(args) -> int:
    """`coplan progress indicators PROJECT [--year Y] [--party X] [--json]`: who sent which
    values and check-ups, when (from the copy's mirror: `progress sync` refreshes it)."""
    from app.analysis.checkup import fmt
    from app.cli_support import out, out_json
    from app.implement.cli import fit, party_name
    from app.review.cli import pad
    with Project.open(args.project) as project:
        state = synced_state(project)
    values = sent_values(state, year=args.year, party=args.party)
    checkups = sent_checkups(state, year=args.year, party=args.party)
    if args.json:
        out_json({"values": values, "checkups": checkups})
        return 0
    for v in values:
        out(f"{fit(party_name(v['party']), 16)} {v['indicator_id']:<7} {pad(v['xzqdm'], 8)} "
            f"{v['year']}  {fmt(v['value']):>12}  {fit(v['data_source'], 20)} "
            f"{_when(v)}{'' if v['counted'] else '  (not its region: not counted)'}")
    for c in checkups:
        out(f"{fit(party_name(c['party']), 16)} check-up {c['year']}: {c['rows']} row(s), "
            f"{c['counted']} of its region(s)  {_when(c)}")
    parties = {v["party"] for v in values} | {c["party"] for c in checkups}
    out(f"{len(values)} value(s) and {len(checkups)} check-up(s) from {len(parties)} party(ies)")
    return 0


def _when(sent: dict) -> str:
    return f"{(sent.get('at') or '')[:16].replace('T', ' ')} {sent.get('user') or ''}".strip()
