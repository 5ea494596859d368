"""Sample content for the Shanghai metro sample: the 1+8+5 sections filled with synthetic text.

The structure, leads, participants, priorities, zone goals and strategies are the plan's facts
(the bundled template); every body is put together from the sentence patterns in this folder
with the plan's names, so it reads plausibly but is **not the plan's text** — the template's
notice says so on every output's cover. Deterministic: `random.Random(section id)`.
"""

from __future__ import annotations

import copy
import json
import logging
import random
from dataclasses import dataclass, replace
from pathlib import Path

from app.content.store import import_content, init_content
from app.content.template import default_template_path, parse_template
from app.project.features import iter_features
from app.project.project import Project

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
EDITED_AT = "2022-01-20T08:00:00.000Z"  # fixed, so outputs of every sample build are identical
NOTICE_ZH = "示例内容：正文为按规划要素自动合成的示例文本，并非规划正式文本；边界为示意。"
NOTICE_EN = ("Sample content: the text is synthetic, put together from the plan's names; it is "
             "not the plan's official text. Boundaries are schematic.")
YEARS = (2025, 2030, 2035)
PROJECT_LAYERS = ("XMK_POINT", "XMK_LINE", "XMK_POLYGON")


@dataclass(frozen=True)
class Context:
    """What the sentences of a section may name."""

    topic: tuple[str, str]
    places: tuple[tuple[str, str], ...]
    lead: tuple[str, str] = ("各相关城市", "the cities concerned")
    cities: tuple[str, str] = ("九市", "the nine cities")


def _data(name: str) -> dict:
    return json.loads((HERE / name).read_text(encoding="utf-8"))


def add_sample_content(project: Project) -> None:
    """Start the project's content from the bundled template and fill it with sample text."""
    raw = json.loads(default_template_path().read_text(encoding="utf-8"))
    raw.update(notice_zh=NOTICE_ZH, notice_en=NOTICE_EN)
    init_content(project, raw, at=EDITED_AT)
    filled = sample_template(project, raw)
    report = import_content(project, parse_template(filled, "sample content"), at=EDITED_AT)
    log.info("sample content: %d section(s) filled, %d added", report.updated, report.inserted)


def sample_template(project: Project, raw: dict) -> dict:
    """The template `raw` with every section filled in (bodies, status, links, children)."""
    filled = copy.deepcopy(raw)
    projects = _projects(project)
    zones = _zones(project)
    vision, systems, zones_part = filled["sections"]
    _fill_vision(vision, projects, _data("vision.json"), _data("topics.json"))
    parties = {p["code"]: (p["name_zh"], p["name_en"]) for p in raw["parties"]}
    _fill_part(systems, _data("topics.json")["systems"], parties, projects, zones)
    _fill_part(zones_part, _data("topics.json")["zones"], parties, projects, zones)
    return filled


def _projects(project: Project) -> list[tuple[str, str, object]]:
    """(uuid, XMLX, geometry) of every project-library feature."""
    return [(f.uuid, f.attrs["XMLX"], f.geometry) for code in PROJECT_LAYERS
            for f in iter_features(project, code)]


def _zones(project: Project) -> dict[str, object]:
    """Zone code → geometry of the strategic coordination zones."""
    return {f.attrs["ZQBM"]: f.geometry for f in iter_features(project, "DSQ_ZLXTQ")}


def _sentences(kind: str, ctx: Context, title: tuple[str, str], rng: random.Random,
               count: int) -> tuple[str, str]:
    """`count` paragraphs of 2–3 sentences each, Chinese and English paired."""
    bank = _data("sentences.json").get(kind) or _data("sentences.json")["action"]
    order = rng.sample(bank, len(bank))  # without replacement: a section never repeats itself
    zh, en = [], []
    for _ in range(count):
        size = rng.choice((2, 3))
        picks, order = order[:size], order[size:]
        if not picks:
            break
        values = _values(ctx, title, rng)
        zh.append("".join(p[0].format(**values) for p in picks))
        en.append(" ".join(p[1].format(**values) for p in picks))
    return "\n\n".join(zh), "\n\n".join(en)


def _values(ctx: Context, title: tuple[str, str], rng: random.Random) -> dict:
    place = rng.choice(ctx.places)
    return {"topic_zh": ctx.topic[0], "topic_en": ctx.topic[1], "place_zh": place[0],
            "place_en": place[1], "title_zh": title[0], "title_en": title[1],
            "title_lc": title[1][:1].lower() + title[1][1:], "lead_zh": ctx.lead[0],
            "lead_en": ctx.lead[1], "cities_zh": ctx.cities[0], "cities_en": ctx.cities[1],
            "year": rng.choice(YEARS), "n": rng.randint(3, 12)}


PARAGRAPHS = {"dimension": 3, "goal": 3, "strategy": 3, "action": 4, "system": 3, "trend": 4,
              "goals": 3, "projects": 1, "zone": 3, "zone_goal": 2, "part": 1}


def _fill(section: dict, ctx: Context, status: str = "review") -> None:
    rng = random.Random(section["id"])
    title = (section["title_zh"], section["title_en"])
    count = PARAGRAPHS.get(section["kind"], 2)
    section["body_zh"], section["body_en"] = _sentences(section["kind"], ctx, title, rng, count)
    # Every seventh section is still a draft: outputs show a mix of states, as in a real round.
    section["status"] = "draft" if rng.randrange(7) == 0 else status


def _fill_vision(vision: dict, projects: list, data: dict, topics: dict) -> None:
    vision.update(body_zh="\n\n".join(data["vision"]["zh"]), body_en="\n\n".join(data["vision"]["en"]),
                  status="review")
    vision.setdefault("links", {})["projects"] = [u for u, _, _ in projects]
    for dim in vision["children"]:
        key = dim["id"].split(".")[1]
        d = data["dimensions"][key]
        ctx = Context((d["topic_zh"], d["topic_en"]), tuple(zip(d["places_zh"], d["places_en"],
                                                                strict=True)))
        _fill(dim, ctx)
        kinds = topics["dimension_projects"][key]
        dim["links"]["projects"] = [u for u, xmlx, _ in projects if xmlx in kinds]
        dim["children"] = [_goal(dim["id"], n, g, ctx, data["actions"])
                           for n, g in enumerate(d["goals"], 1)]


def _goal(parent: str, n: int, goal: dict, ctx: Context, actions: list) -> dict:
    sid = f"{parent}.goal.{n}"
    section = {"id": sid, "kind": "goal", "title_zh": goal["zh"], "title_en": goal["en"]}
    _fill(section, ctx)
    section["children"] = []
    for k, (zh, en) in enumerate(goal["strategies"], 1):
        strategy = {"id": f"{sid}.strategy.{k}", "kind": "strategy", "title_zh": zh, "title_en": en}
        _fill(strategy, ctx)
        strategy["children"] = _actions(strategy["id"], actions, ctx)
        section["children"].append(strategy)
    return section


def _actions(parent: str, actions: list, ctx: Context) -> list[dict]:
    out = []
    for k, (zh, en) in enumerate(actions, 1):
        action = {"id": f"{parent}.action.{k}", "kind": "action", "title_zh": zh, "title_en": en}
        _fill(action, ctx)
        out.append(action)
    return out


def _fill_part(part: dict, topics: dict, parties: dict, projects: list, zones: dict) -> None:
    _fill(part, Context(("都市圈协同", "metro-area cooperation"), (("九市", "the nine cities"),)))
    for top in part["children"]:
        t = topics[top["id"]]
        cities = [parties[c] for c in top.get("participants", [])] or [("九市相关部门",
                                                                        "the nine cities' departments")]
        ctx = Context((t["topic_zh"], t["topic_en"]), tuple(tuple(p) for p in t["places"]),
                      parties[top["owner"]], ("、".join(c[0] for c in cities),
                                              ", ".join(c[1] for c in cities)))
        _fill(top, ctx, "final" if top["id"] in ("Z1", "Z2") else "review")
        linked = _linked(top, t, projects, zones)
        top["links"]["projects"] = linked
        for child in top["children"]:
            _fill_child(child, replace(ctx), linked, top)


def _linked(top: dict, topic: dict, projects: list, zones: dict) -> list[str]:
    """Projects of a system (by type) or of a zone (those within 5 km of it)."""
    if "xmlx" in topic:
        return [u for u, xmlx, _ in projects if xmlx == topic["xmlx"]]
    zone = zones.get(top["id"])
    return [u for u, _, geom in projects if zone is not None and zone.distance(geom) < 0.05]


def _fill_child(child: dict, ctx: Context, linked: list[str], top: dict) -> None:
    _fill(child, ctx)
    if child["kind"] == "projects":
        child["links"] = {"projects": linked}
    if child["kind"] == "strategy":
        child["links"] = {"layers": ["XZQ", "DSQ_ZLXTQ", *_strategy_layers(child["title_zh"])],
                          "projects": linked}
        child["children"] = _actions(child["id"], _data("vision.json")["actions"], ctx)


def _strategy_layers(title: str) -> list[str]:
    for words, layers in _data("topics.json")["strategy_layers"]:
        if any(w in title for w in words):
            return layers
    return ["CZKFBJ", "XMK_POINT"]
