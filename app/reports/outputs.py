"""The A4 outputs: the policy set (the full 1+8+5, illustrated, with annexes), the release
edition (the condensed vision report) and the bilingual public reader.

Each output is a walk over the sections its template rule includes; what differs is the
language, whether section ids are shown, which maps are drawn and the annexes.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer
from reportlab.platypus.flowables import PageBreakIfNotEmpty

from app.content.model import Focus, Section
from app.model.jobs import Job
from app.reports.annex import (
    TableData,
    city_rows,
    city_specs,
    iter_indicator_annex,
    project_rows,
    section_index,
)
from app.reports.compose import Composer
from app.reports.edition import Inputs, included
from app.reports.maps import MapSpec

FRAME_MM = 168.0  # A4 width less the margins
MAP_MM = (FRAME_MM, 118.0)
CITY_MAP_MM = (FRAME_MM, 150.0)


@dataclass(frozen=True)
class Walk:
    """How an output presents its sections."""

    lang: str = "zh"  # zh | both
    ids: bool = True  # print section ids, owners and status (for review and citation)
    tables: bool = True  # project-library tables
    break_level: int = 1  # sections up to this level start a new page


def focus_of(inputs: Inputs, section: Section) -> Focus | None:
    """The map focus of a section: its own, else its nearest ancestor's."""
    for s in (section, *inputs.content.ancestors(section.id)):
        if s.links.focus is not None:
            return s.links.focus
    return None


def section_specs(inputs: Inputs, kind: str, lang: str = "zh") -> list[MapSpec]:
    """A map for each included section the output's rule draws."""
    rule = inputs.template.output(kind)
    return [MapSpec(s.id, s.title_zh, s.title_en, s.links.layers, focus_of(inputs, s),
                    s.links.projects, *MAP_MM, lang=lang)
            for s in inputs.content if rule.draws_map(s)]


def map_specs(inputs: Inputs, kind: str) -> list[MapSpec]:
    """Every map output `kind` draws, in order."""
    if kind == "policy":
        return [*section_specs(inputs, kind), *city_specs(inputs, *CITY_MAP_MM)]
    return section_specs(inputs, kind, "both" if kind == "reader" else "zh")


def walk(c: Composer, section: Section, level: int, how: Walk, rule) -> list[Flowable]:
    """A section and its included descendants."""
    out: list[Flowable] = [PageBreakIfNotEmpty()] if level <= how.break_level else []
    out += c.section_heading(section, level, how.lang)
    meta = c.meta(section, how.ids)
    if meta is not None:
        out.append(meta)
    out += c.bilingual(section) if how.lang == "both" else c.body(section)
    out += c.map_block(section.id, how.lang)
    if how.tables and section.kind == "projects":
        out += _table(c, project_rows(c.inputs, section.links.projects), how.lang)
    for child in c.inputs.content.children(section.id):
        if rule.includes(child.id):
            out += walk(c, child, min(level + 1, 4), how, rule)
    return out


def _table(c: Composer, data: TableData, lang: str = "zh") -> list[Flowable]:
    if not data.rows:
        return [c.para("（无）", "zh", c.s.meta)]
    out: list[Flowable] = [c.table(list(data.header), [list(r) for r in data.rows],
                                   list(data.widths)), Spacer(1, 2 * mm)]
    return out + [c.para(n, "zh", c.s.small) for n in data.notes]


def body_story(c: Composer, kind: str, how: Walk) -> list[Flowable]:
    """The walk over the included sections: from each one whose parent is not included."""
    rule = c.inputs.template.output(kind)
    out: list[Flowable] = []
    for section in c.inputs.content:
        if rule.includes(section.id) and not (section.parent and rule.includes(section.parent)
                                              and section.parent in c.inputs.content):
            out += walk(c, section, 0, how, rule)
    return out


def iter_policy(c: Composer) -> Job[list[Flowable]]:
    """The policy set: cover, contents, parties, the full 1+8+5, annexes."""
    story = [*c.cover(["政策文件 Policy set", "“1+8+5”成果全集 The full 1+8+5"]), *c.contents()]
    story += _parties(c)
    story += body_story(c, "policy", Walk())
    indicators = yield from iter_indicator_annex(c.inputs, int(c.edition.date[:4]))
    return story + _annexes(c, indicators)


def _parties(c: Composer) -> list[Flowable]:
    """Who drafted which sections: the lead party of every top-level action."""
    t = c.inputs.template
    leads = [s for s in c.inputs.content if t.kinds.get(s.kind) and t.kind(s.kind).lead]
    rows = [(s.id, s.title_zh, t.party(s.owner).name_zh,
             "、".join(t.party(p).name_zh for p in s.participants) or "—") for s in leads]
    intro = ("本文件由各方共同编制：系统行动由相关部门牵头，空间板块行动由牵头城市会同参与城市"
             "起草，联合技术组统筹整合。各章节编号保持稳定，供意见征询时引用。")
    return [c.heading("编制说明 About this document", 0, "about", number=False), c.para(intro),
            *_table(c, TableData("", ("章节", "名称", "牵头", "参与"), tuple(rows),
                                 (10, 38, 26, 36)))]


def _annexes(c: Composer, indicators: TableData) -> list[Flowable]:
    out: list[Flowable] = [PageBreakIfNotEmpty(), c.heading("附录 Annexes", 0, "annexes", number=False)]
    out += [c.heading("附录一 项目库总表 Project library", 1, "annex-projects", number=False)]
    out += _table(c, project_rows(c.inputs))
    out += [PageBreakIfNotEmpty(), c.heading(f"附录二 {indicators.title}", 1, "annex-indicators",
                                   number=False)]
    out += _table(c, indicators)
    out += [PageBreakIfNotEmpty(), c.heading("附录三 各城市空间管控要素示意 City maps", 1, "annex-cities",
                                   number=False)]
    for spec in city_specs(c.inputs, *CITY_MAP_MM):
        code = spec.key.split(".", 1)[1]
        out += [c.heading(spec.title_zh, 2, f"annex-{spec.key}", number=False),
                *c.map_block(spec.key), *_table(c, city_rows(c.inputs, code))]
    out += [PageBreakIfNotEmpty(), c.heading("附录四 章节索引 Section index", 1, "annex-index",
                                   number=False)]
    return out + _table(c, section_index(c.inputs, included(c.inputs, "policy")))


def release_story(c: Composer) -> list[Flowable]:
    """The release edition: the condensed vision report with the overview map."""
    story = [*c.cover(["发布文件 Release edition", "战略愿景总报告（精简版）"]), *c.contents()]
    return story + body_story(c, "release", Walk(ids=False, tables=False, break_level=0))


def reader_story(c: Composer) -> list[Flowable]:
    """The public reader: every Chinese paragraph beside its English one, illustrated."""
    story = [*c.cover(["公众读本 Public reader", "中英双语 Chinese and English"]), *c.contents()]
    return story + body_story(c, "reader", Walk(lang="both", ids=False, tables=False,
                                                break_level=0))
