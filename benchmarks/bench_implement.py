"""Implementation tracking at the size of a metro area running for years: the synthetic log of
the sample (sample_projects/implement.py) stretched over many months and a project library of
a thousand or more projects, then what every copy does with it.

Measured in one process, in the same run: decoding the log's JSON lines (the floor: every copy
reads its mirror), checking each event again as the server does (`parse_data`), folding the
log, one roll-up of every item as of the last period, the reporting table of a period, and
applying one more report to a folded state (what the server does per request once its cache
has caught up). Ratios are against the JSON decoding of the same log.

    .venv/bin/python -m benchmarks.bench_implement [--months 60] [--projects 1000]
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from app.implement import rollup as ru
from app.implement.events import from_json, parse_data, read_jsonl, to_json, write_jsonl
from app.implement.periods import due_date
from app.implement.state import fold
from sample_projects.implement import synthetic_events

TEMPLATE = Path(__file__).resolve().parents[1] / "schemas" / "content" / "metro-1-8-5.json"
CITIES = ("310000", "320500", "320200", "320400", "320600", "330200", "330400", "330900",
          "330500")
KINDS = ("JT", "LW", "ST", "SZ", "LD", "WL", "CY", "JZ")
AGENCIES = ("上海市交通委", "上海市水务局", "上海市生态环境局", "上海市住建委", "上海市绿化市容局",
            "上海市文化和旅游局", "上海市经信委", "上海市政府发展研究中心")


def library(n: int, seed: int = 5) -> list[dict]:
    """`n` project-library rows spread over the eight systems and the nine cities."""
    rng = random.Random(seed)
    rows = []
    for k in range(n):
        kind = k % len(KINDS)
        cities = sorted(rng.sample(CITIES, rng.randint(1, 3)))
        start = rng.randint(2019, 2027)
        rows.append({"XMBH": f"P-{KINDS[kind]}-{k:04d}", "XMMC": f"示例项目{k}（合成示例）",
                     "XMLX": KINDS[kind], "QTDW": AGENCIES[kind], "SJCS": ",".join(cities),
                     "JSZT": ("规划", "前期", "在建", "建成")[k % 4], "QDNF": start,
                     "WCNF": start + rng.randint(2, 8), "TZ": round(rng.uniform(0.5, 300), 2),
                     "uuid": f"bench-{k}", "layer": "XMK_POINT"})
    return rows


def timed(fn, repeat: int = 3):
    """(best seconds of `repeat` runs, the last result)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--projects", type=int, default=1000)
    args = parser.parse_args()
    template = json.loads(TEMPLATE.read_text(encoding="utf-8"))
    t = time.perf_counter()
    events = synthetic_events(template, library(args.projects), months=args.months,
                              last_period="2026-11")
    made = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.jsonl"
        write_jsonl(path, events)
        size = path.stat().st_size
        lines = path.read_text(encoding="utf-8").splitlines()
        decode, raw = timed(lambda: [json.loads(line) for line in lines])
        read, _ = timed(lambda: read_jsonl(path))
    checked, _ = timed(lambda: [parse_data(d["kind"], d["data"]) for d in raw])
    folded, state = timed(lambda: fold(events))
    last = max(r.period for r in state.reports.values())
    rolled, nodes = timed(lambda: ru.rollup(state, as_of=last))
    table, _ = timed(lambda: ru.reporting(state, last, due_date(last)))
    report = next(e for e in reversed(events) if e.kind == "report")
    base = fold(e for e in events if e.version < report.version)

    def one_more():
        s = base.copy()
        s.apply(from_json(to_json(report)))
        return s

    copy_apply, _ = timed(one_more)
    copy_only, _ = timed(base.copy)
    lines_n = sum(len(r.lines) for r in state.reports.values())
    print(f"log: {len(events)} events ({len(state.reports)} reports, {lines_n} lines, "
          f"{len(state.items)} items, {len(state.issues)} issues, {len(state.meetings)} "
          f"meetings), {size / 2**20:.1f} MiB of JSON lines; made in {made:.1f} s")
    print(f"{'step':44} {'s':>8} {'÷ JSON decode':>14}")
    for name, sec in (("decode the JSON lines (baseline)", decode),
                      ("read_jsonl (decode + Event objects)", read),
                      ("parse_data of every event (server check)", checked),
                      ("fold the whole log", folded),
                      (f"roll-up of {len(nodes)} items as of {last}", rolled),
                      (f"reporting table of {last}", table),
                      ("copy of the folded state", copy_only),
                      ("copy + apply one more report", copy_apply)):
        print(f"{name:44} {sec:8.3f} {sec / decode:14.2f}")


if __name__ == "__main__":
    main()
