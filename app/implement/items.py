"""Tracked items from the plan's content template (the 1+8+5) and a project's library (XMK_*).

The tree is plan → part ("systems", "zones") → system / zone → action / strategy, with the
project-library entries under the system of their type (or the strategy/goal they name).
Ids are stable so every copy builds the same items: a content node keeps its section id
("S1.action.1", "Z2.strategy.3"), a library project is "XM:" + its number (XMBH).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from app.implement.model import PLAN, Item

if TYPE_CHECKING:
    from app.project.project import Project

PLAN_YEARS = (2022, 2035)  # the 1+8+5 runs from its approval to 2035
XMK_LAYERS = ("XMK_POINT", "XMK_LINE", "XMK_POLYGON")
# Which system action a library project belongs to by its type (XMLX code list).
SYSTEM_OF_TYPE = {"JT": "S1", "LW": "S2", "ST": "S3", "SZ": "S4", "LD": "S5", "WL": "S6",
                  "CY": "S7", "JZ": "S8"}
KIND_OF_SECTION = {"part": "part", "system": "system", "zone": "zone", "action": "action",
                   "strategy": "strategy"}
PROJECT_PREFIX = "XM:"
_CJK = re.compile(r"[\u3400-\u9fff]")
_CODES = re.compile(r"[,，;；、\s]+")


def items_from_content(template: dict) -> list[Item]:
    """The plan, its parts, systems, zones, actions and strategies as items (template order).

    Trend, goal, project-library and zone-goal sections are text, not work: skipped, as is the
    vision report (not a part). A section's lead is its owner (inherited from its parent when
    it names none); participants are the section's own, else its parent's (a zone's cities)."""
    first, last = PLAN_YEARS
    items = [Item(PLAN, "plan", None, template.get("title_zh", "规划"),
                  template.get("title_en", "Plan"), lead="office", start_year=first,
                  finish_year=last, source={"content": PLAN})]
    for section in template.get("sections", []):
        if section.get("kind") == "part":
            items.extend(_walk(section, PLAN, section.get("owner", "office"), ()))
    return items


def _walk(node: dict, parent: str, owner: str, participants: tuple[str, ...]) -> Iterable[Item]:
    kind = KIND_OF_SECTION.get(node.get("kind", ""))
    if kind is None:
        return
    lead = node.get("owner") or owner
    joined = tuple(node.get("participants") or participants)
    first, last = PLAN_YEARS
    yield Item(node["id"], kind, parent, node.get("title_zh", node["id"]),
               node.get("title_en", ""), lead=lead,
               participants=tuple(p for p in joined if p != lead), start_year=first,
               finish_year=last, source={"content": node["id"]})
    for child in node.get("children", []):
        yield from _walk(child, node["id"], lead, joined)


def items_from_library(rows: list[dict], template: dict) -> list[Item]:
    """One item per library project (the first row of each XMBH wins), in XMBH order.

    Parent: the content item CLID (strategy) or MBID (goal) names, else the system of the
    type. Lead: the party whose Chinese name is the lead agency (QTDW), else that system's
    owner. Participants: the involved cities (SJCS) that are parties of the plan. Years:
    start (QDNF) and completion (WCNF), the plan's years when unknown."""
    content = {i.id: i for i in items_from_content(template)}
    by_name = {p["name_zh"]: p["code"] for p in template.get("parties", [])}
    codes = {p["code"] for p in template.get("parties", [])}
    seen: dict[str, Item] = {}
    for row in rows:
        number = str(row.get("XMBH") or "").strip()
        if number and PROJECT_PREFIX + number not in seen:
            seen[PROJECT_PREFIX + number] = _project_item(row, number, content, by_name, codes)
    return [seen[k] for k in sorted(seen, key=natural_key)]


def _project_item(row: dict, number: str, content: dict[str, Item], by_name: dict[str, str],
                  codes: set[str]) -> Item:
    parent = _parent(row, content)
    system = content.get(SYSTEM_OF_TYPE.get(str(row.get("XMLX") or ""), ""))
    lead = by_name.get(str(row.get("QTDW") or "").strip()) or (system.lead if system else "office")
    cities = [c for c in _CODES.split(str(row.get("SJCS") or "")) if c in codes and c != lead]
    first, last = _years(row)
    name = str(row.get("XMMC") or number)
    return Item(PROJECT_PREFIX + number, "project", parent, name, _english_name(row) or name,
                lead=lead, participants=tuple(dict.fromkeys(cities)), start_year=first,
                finish_year=last, investment=_investment(row.get("TZ")),
                source={"layer": row.get("layer", ""), "uuid": row.get("uuid", ""),
                        "XMBH": number})


def _parent(row: dict, content: dict[str, Item]) -> str:
    for key in ("CLID", "MBID"):
        ref = str(row.get(key) or "").strip()
        if ref in content and ref != PLAN:
            return ref
    system = SYSTEM_OF_TYPE.get(str(row.get("XMLX") or ""))
    return system if system in content else ("systems" if "systems" in content else PLAN)


def _years(row: dict) -> tuple[int, int]:
    first = _year(row.get("QDNF")) or PLAN_YEARS[0]
    last = _year(row.get("WCNF")) or max(PLAN_YEARS[1], first)
    return first, max(first, last)


def _year(value: object) -> int | None:
    try:
        year = int(value)  # type: ignore[call-overload]  # anything: a bad value is refused below
    except (TypeError, ValueError):
        return None
    return year if 1950 <= year <= 2100 else None


def _investment(value: object) -> float | None:
    """TZ in 亿元 when it is a usable amount (not negative, not NaN), else None (unknown)."""
    try:
        amount = float(value) if value not in (None, "") else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return amount if amount is not None and 0 <= amount < float("inf") else None


def _english_name(row: dict) -> str:
    """The English name the remarks (BZ) end with, when they do (the sample library's habit:
    "…；Shanghai–Suzhou–Huzhou HSR"); empty otherwise."""
    last = re.split(r"[；;]", str(row.get("BZ") or ""))[-1].strip()
    if last and not _CJK.search(last) and re.search(r"[A-Za-z]{3}", last) and len(last) <= 120:
        return last
    return ""


def natural_key(text: str) -> tuple:
    """Sort key putting S2 before S10 and P-JT-2 before P-JT-10."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part)
                 for part in re.split(r"(\d+)", text) if part)


def library_rows(project: Project) -> list[dict]:
    """The rows of the project's XMK_* layers (attributes plus uuid and layer)."""
    from app.project.features import iter_features

    present = {layer.code for layer in project.layers()}
    return [{**f.attrs, "uuid": f.uuid, "layer": code}
            for code in XMK_LAYERS if code in present for f in iter_features(project, code)]


def project_template_json(project: Project) -> dict:
    """The raw JSON of the content template the project follows (the bundled 1+8+5 when none).

    The template, not the project's live content: sections a copy adds (the sample content
    adds near- and long-term actions under each zone strategy) would turn reported leaves
    into parents, and every copy must track the same items."""
    from app.content.store import TEMPLATE_META
    from app.content.template import default_template_path

    text = project.meta(TEMPLATE_META) or default_template_path().read_text(encoding="utf-8")
    return json.loads(text)


def plan_items(project: Project) -> list[Item]:
    """Every tracked item of a project: its content template's items, then its library's."""
    template = project_template_json(project)
    return items_from_content(template) + items_from_library(library_rows(project), template)
