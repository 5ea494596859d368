"""Entry points on project files, for the CLI and the GUI worker: check, indicators, check-up.

Each long entry point is a job (a generator yielding `Progress`, returning its result); the
engine underneath works on feature arrays only.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from app.analysis import checkup_store as store
from app.analysis.checkup import CheckupReport, build_rows, compare, to_recorded
from app.analysis.cities import Cities, cities_from
from app.analysis.engine import CheckResult, iter_check
from app.analysis.indicators import (
    METRO,
    Definitions,
    compute_values,
    load_definitions,
    regions_for,
)
from app.analysis.lifecycle import Status, StatusReport, results_with_status
from app.analysis.rules import RuleSet, load_rules
from app.analysis.sources import iter_read
from app.errors import InvalidInput
from app.implement.indicators import merged_entries, previous_records, synced_entries, synced_state
from app.model.jobs import Job
from app.project.project import Project

log = logging.getLogger(__name__)

METRO_NAME = "都市圈全域"
YEARS = range(1950, 2101)


def iter_check_projects(paths: Sequence[str | Path], rules: RuleSet) -> Job[CheckResult]:
    """Read `paths` (one party, or several merged) and check them, yielding progress throughout."""
    dataset = yield from iter_read(paths, rules.layers)
    return (yield from iter_check(dataset, rules))


def track(path: str | Path, result: CheckResult, *, record: bool = True,
          decisions: Sequence[Callable[[Project], Status]] = ()) -> StatusReport:
    """`result` with each conflict's status as kept in the project at `path` (the run recorded
    there when `record`), after applying `decisions` (lifecycle.accept/reopen/resolve partials)."""
    with Project.open(path) as project:
        report = results_with_status(project, result, record=record)
        for decide in decisions:
            report = report.updated(decide(project))
    return report


def scope(party: str, cities: Cities) -> tuple[tuple[str, ...] | None, bool]:
    """(cities, with the metro area): a city's own project covers that city; others all."""
    if party in cities.codes:
        return (party,), False
    return None, True


def iter_checkup(path: str | Path, year: int, *, rules: RuleSet | None = None,
                 definitions: Definitions | None = None) -> Job[CheckupReport]:
    """The check-up of the project at `path` for `year`, compared with the last recorded year."""
    if year not in YEARS:
        raise InvalidInput(f"year {year} is out of range ({YEARS.start}–{YEARS.stop - 1})")
    rules, definitions = rules or load_rules(), definitions or load_definitions()
    dataset = yield from iter_read([path], {*rules.layers, *_indicator_layers(definitions)})
    check = yield from iter_check(dataset, rules)
    with Project.open(path) as project:
        # What the parties sent (the mirror of the implementation log) counts too; this copy's
        # own entries and records win (app/implement/indicators.py).
        party, synced = project.party, synced_state(project)
        entries = merged_entries(store.entries(project.db, year),
                                 synced_entries(synced, year, exclude_party=party))
        before, previous = previous_records(project.db, synced, year, party)
    cities = cities_from(dataset, rules)
    regions = regions_for(cities, *scope(party, cities))
    actual = {(e.indicator_id, e.xzqdm): e.value for e in entries if e.year == year and e.value is not None}
    computed = compute_values(dataset, definitions, regions, actual, check, year)
    rows = build_rows(definitions, [r.code for r in regions], year, computed, entries)
    names = {r.code: METRO_NAME if r.code == METRO else cities.name(r.code) for r in regions}
    return CheckupReport(year, tuple(compare(rows, previous, definitions)), names, before,
                         definitions.status_note)


def _indicator_layers(definitions: Definitions) -> set[str]:
    return {ref.layer for item in definitions.items if item.compute
            for ref in (*item.compute.layers, *item.compute.within)}


def record_checkup(path: str | Path, report: CheckupReport) -> int:
    """Store `report` as the project's check-up of its year."""
    with Project.open(path) as project:
        return store.record(project.db, to_recorded(report), report.year, project.author)


def enter_file(path: str | Path, file: str | Path, definitions: Definitions | None = None) -> int:
    """Store the entries of a JSON file (a list of check-up records) in the project at `path`."""
    definitions = definitions or load_definitions()
    try:
        data = json.loads(Path(file).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read entries from {file}: {exc}") from exc
    if not isinstance(data, list):
        raise InvalidInput(f"{file}: $: expected a list of entries")
    entries = [parse_entry(d, f"{file}: $[{i}]", definitions) for i, d in enumerate(data)]
    with Project.open(path) as project:
        return store.enter(project.db, entries, project.author)


def parse_entry(data: object, at: str, definitions: Definitions) -> store.Entry:
    """An Entry from its JSON form; InvalidInput names the path of the first bad value."""
    if not isinstance(data, dict):
        raise InvalidInput(f"{at}: expected an object")
    unknown = set(data) - set(store.ENTRY_FIELDS)
    if unknown:
        raise InvalidInput(f"{at}.{min(unknown)}: unknown field")
    for name in ("indicator_id", "xzqdm", "year", "data_source"):
        if data.get(name) in (None, ""):
            raise InvalidInput(f"{at}.{name}: required")
    definitions.get(data["indicator_id"])  # NotFound names an unknown indicator
    if not isinstance(data["year"], int) or data["year"] not in YEARS:
        raise InvalidInput(f"{at}.year: expected a year between {YEARS.start} and {YEARS.stop - 1}")
    for name in ("value", "base_value", "target_value_2025", "target_value_2035"):
        value = data.get(name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise InvalidInput(f"{at}.{name}: expected a number")
    return store.Entry(**{**data, "xzqdm": str(data["xzqdm"])})
