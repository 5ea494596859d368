"""The A4 outputs: the policy set (the full 1+8+5, illustrated, with annexes), the release
edition (the condensed 1+8+5: vision, the 8 systems with their key projects, the 5 zones with
their maps) and the bilingual public reader.

Each output is a walk over the sections its template rule includes; what differs is the
language, whether section ids are shown, which maps are drawn, the tables and the annexes.
No two figures of one document show the same map (`distinct`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)
from reportlab.platypus.flowables import PageBreakIfNotEmpty

from app.content.model import Focus, Section
from app.model.jobs import Job
from app.reports.annex import (
    TableData,
    city_rows,
    city_specs,
    iter_indicator_annex,
    project_rows,
)
from app.reports.cjk import CJKParagraph
from app.reports.compose import Composer
from app.reports.edition import Inputs
from app.reports.maps import PROJECT_LAYERS, MapSpec, linked_projects, subject
from app.reports.pagination import VersoBreak
from app.reports.styles import ACCENT

log = logging.getLogger(__name__)
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
    key_projects: bool = False  # under each system: its key actions and projects (release)


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
    """Every map output `kind` draws, in order; never two of the same map."""
    if kind == "policy":
        return distinct([*section_specs(inputs, kind), *city_specs(inputs, *CITY_MAP_MM)])
    return distinct(section_specs(inputs, kind, "both" if kind == "reader" else "zh"))


def distinct(specs: list[MapSpec]) -> list[MapSpec]:
    """`specs` less any that repeats an earlier one's subject: a section whose map would be a
    copy of an earlier figure goes without (the content should link it to its own layers)."""
    seen: dict[tuple, str] = {}
    out = []
    for spec in specs:
        first = seen.setdefault(subject(spec), spec.key)
        if first == spec.key:
            out.append(spec)
        else:
            log.warning("map of %s left out: it would repeat the map of %s", spec.key, first)
    return out


def walk(c: Composer, section: Section, level: int, how: Walk, rule) -> list[Flowable]:
    """A section and its included descendants."""
    out: list[Flowable] = [PageBreakIfNotEmpty()] if level <= how.break_level else []
    out += c.section_heading(section, level, how.lang)
    meta = c.meta(section) if how.lang == "zh" else _lead_pair(c, section)
    if meta is not None:
        out.append(meta)
    out += c.bilingual(section) if how.lang == "both" else c.body(section)
    out += c.map_block(section.id, how.lang)
    if how.tables and section.kind == "projects":
        out += _table(c, project_rows(c.inputs, section.links.projects), how.lang)
    if how.key_projects and section.kind == "system":
        out += _key_pair(c, section) if how.lang == "both" else _key_projects(c, section)
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
    rows = [(s.title_zh, t.party(s.owner).name_zh,
             "、".join(t.party(p).name_zh for p in s.participants) or "—") for s in leads]
    intro = ("本文件由各方共同编制：系统行动由相关部门牵头，空间板块行动由牵头城市会同参与城市"
             "起草，联合技术组统筹整合。")
    return [c.heading("编制说明 About this document", 0, "about", number=False), c.para(intro),
            *_table(c, TableData("", ("名称", "牵头", "参与"), tuple(rows), (44, 26, 36)))]


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
    return out  # the section index (ids, digests) is on the production sheet (metadata.py)


def release_story(c: Composer) -> list[Flowable]:
    """The release edition: the condensed 1+8+5 — the vision to the level of goals with its
    map, each system with its key actions and projects, each zone with its goal and map."""
    story = [*c.cover(["发布文件 Release edition",
                       "战略愿景总报告 · 八项系统行动 · 五个空间板块行动"]), *c.contents()]
    return story + body_story(c, "release", Walk(ids=False, tables=False, break_level=0,
                                                 key_projects=True))


KEY_PROJECTS = 6  # rows of a system's key-project table in the release edition


def _key_projects(c: Composer, section: Section) -> list[Flowable]:
    """A system's key actions (its action titles) and a short table of its projects."""
    actions = [s.title_zh for s in c.inputs.content.children(section.id) if s.kind == "action"]
    out: list[Flowable] = []
    if actions:
        listed = "；".join(f"（{n}）{title}" for n, title in enumerate(actions, 1))
        out.append(c.para(f"重点行动：{listed}。"))
    found = _key_found(c, section)
    if not found:
        return out + [c.para("重点项目：本系统的项目正在入库，将在后续版本中列出。")]
    t = c.inputs.template
    rows = [[str(n), str(a.get("XMMC") or ""), str(a.get("QTDW") or ""),
             "、".join(t.party(code.strip()).name_zh for code in str(a.get("SJCS") or "").split(",")
                      if code.strip()) or "—", str(a.get("JSZT") or "")]
            for n, a in enumerate(found, 1)]
    more = f"（前 {KEY_PROJECTS} 项）" if len(section.links.projects) > KEY_PROJECTS else ""
    return out + [c.table(["序号", "项目名称", "牵头单位", "涉及城市", "状态"], rows,
                          [6, 34, 22, 26, 12], title=f"{section.title_zh}重点项目{more}"),
                  Spacer(1, 2 * mm)]


def _key_found(c: Composer, section: Section) -> list[dict]:
    """The attributes of the first KEY_PROJECTS of a section's linked projects that exist."""
    found = (c.inputs.data.find(u, PROJECT_LAYERS) for u in section.links.projects)
    return [d.attrs[row] for d, row in (f for f in found if f is not None)][:KEY_PROJECTS]


def _key_pair(c: Composer, section: Section) -> list[Flowable]:
    """A system's key actions and projects in Chinese and English (the reader)."""
    actions = [s for s in c.inputs.content.children(section.id) if s.kind == "action"]
    out: list[Flowable] = []
    if actions:
        out.append(_pair(c, "重点行动：" + "；".join(f"（{n}）{s.title_zh}"
                                                  for n, s in enumerate(actions, 1)) + "。",
                         "Key actions: " + "; ".join(f"({n}) {s.title_en}"
                                                     for n, s in enumerate(actions, 1)) + ".",
                         c.s.body, c.s.body_en))
    attrs = _key_found(c, section)
    if attrs:
        out.append(_pair(c, "重点项目：" + "；".join(f"{n} {a.get('XMMC')}"
                                                  for n, a in enumerate(attrs, 1)) + "。",
                         "Key projects: " + "; ".join(
                             f"{n} {project_name_en(a) or a.get('XMMC')}"
                             for n, a in enumerate(attrs, 1)) + ".", c.s.body, c.s.body_en))
    return [*out, Spacer(1, 3 * mm)] if out else []


def reader_story(c: Composer) -> list[Flowable]:
    """The public reader: every Chinese paragraph beside its English one, illustrated, with
    projects and leads named in both languages, a closing section and a back cover."""
    c.caption = _reader_caption(c)  # type: ignore[method-assign]  # figure captions list the numbered projects in both
    story = [*c.cover(["公众读本 Public reader", "中英双语 Chinese and English"]), *c.contents()]
    story += body_story(c, "reader", Walk(lang="both", ids=False, tables=False, break_level=0,
                                          key_projects=True))
    return story + _closing(c) + _back_cover(c)


def _pair(c: Composer, zh: str, en: str, style=None, en_style=None) -> Table:
    """One row: Chinese on the left, English on the right (as `Composer.bilingual`)."""
    style = (style or c.s.caption).clone("pair", alignment=TA_LEFT)
    en_style = en_style or style.clone("pair_en", wordWrap=None)
    half = c.width / 2
    return Table([[c.para(zh, "zh", style), Paragraph(escape(en), en_style)]],
                 colWidths=(half, half), style=[
        # An embedded font even for the cells' (unused) default: PDF/A embeds every font.
        ("FONTNAME", (0, 0), (-1, -1), style.fontName),
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (0, -1), 5 * mm), ("LEFTPADDING", (1, 0), (1, -1), 5 * mm),
        ("LINEBEFORE", (1, 0), (1, -1), 0.4, ACCENT)])


def _lead_pair(c: Composer, section: Section) -> Table | None:
    """Lead and participants of a system or zone, in Chinese and English."""
    t = c.inputs.template
    if not (t.kinds.get(section.kind) and t.kind(section.kind).lead):
        return None
    zh, en = f"牵头：{t.party(section.owner).name_zh}", f"Lead: {t.party(section.owner).name_en}"
    if section.participants:
        zh += "；参与：" + "、".join(t.party(p).name_zh for p in section.participants)
        en += "; taking part: " + ", ".join(t.party(p).name_en for p in section.participants)
    return _pair(c, zh, en, c.s.meta)


def project_name_en(attrs: dict) -> str:
    """A project's English name: its XMMC_EN field, else the last note of BZ when that is an
    English name (the sample data's convention); '' when it has none."""
    if attrs.get("XMMC_EN"):
        return str(attrs["XMMC_EN"])
    last = str(attrs.get("BZ") or "").split("；")[-1].strip()
    plain = last.isascii() or all(ord(ch) < 0x3000 for ch in last)  # no CJK
    return last if last and plain and ":" not in last else ""


def party_name_en(c: Composer, name_zh: str) -> str:
    """The English name of the party called `name_zh` in the template, else `name_zh`."""
    return next((p.name_en for p in c.inputs.template.parties.values() if p.name_zh == name_zh),
                name_zh)


def _reader_caption(c: Composer):
    """`Composer.caption` with the numbered projects listed in Chinese and English."""
    plain = c.caption

    def caption(spec: MapSpec, lang: str) -> list[Flowable]:
        out: list[Flowable] = plain(spec, lang)[:1]  # the figure title
        found = linked_projects(spec, c.inputs.data)
        if found:
            rows = [(f"{n} {d.attrs[row].get('XMMC') or ''}（牵头：{d.attrs[row].get('QTDW')}）",
                     f"{n} {project_name_en(d.attrs[row]) or d.attrs[row].get('XMMC')} "
                     f"(lead: {party_name_en(c, str(d.attrs[row].get('QTDW')))})")
                    for n, (d, row) in enumerate(found, 1)]
            out.append(_pair(c, "图中编号：" + "；".join(r[0] for r in rows) + "。",
                             "Numbered on the map: " + "; ".join(r[1] for r in rows) + "."))
        return out
    return caption


CLOSING = (
    ("本读本概述了“1+8+5”规划成果：一份战略愿景总报告、八项系统行动和五个空间板块行动。"
     "完整的政策文件收录全部目标、策略、行动和项目库，由{publisher}发布。",
     "This reader summarises the “1+8+5” plan: one strategic vision report, eight system "
     "actions and five spatial-section actions. The full policy set, with every goal, "
     "strategy and action and the project library, is published by the {publisher}."),
    ("规划实施情况每年评估一次，各方根据评估结果对规划进行动态维护。公众可通过各城市规划和"
     "自然资源主管部门了解实施进展、提出意见和建议。",
     "Progress is evaluated every year, and the parties keep the plan up to date in the light "
     "of the results. Members of the public can follow progress and send comments and "
     "suggestions through the planning and natural resources department of each city."),
    ("读本中的地图均为示意图，边界与范围不作为权属界线和量算依据。",
     "All maps in this reader are schematic: boundaries and extents are indicative and are not "
     "for measurement or for defining ownership."),
)


def _closing(c: Composer) -> list[Flowable]:
    """The reader's closing section: what the plan is, where to read more, how to take part."""
    publisher = c.inputs.template.party(c.edition.publisher)
    zh = [z.format(publisher=publisher.name_zh) for z, _ in CLOSING]
    en = [e.format(publisher=publisher.name_en) for _, e in CLOSING]
    return [PageBreakIfNotEmpty(), c.heading("结语 Closing", 0, "closing", number=False),
            *c.bilingual(Section("", "closing", None, 0, "part", publisher.code, "结语",
                                 "Closing", "\n\n".join(zh), "\n\n".join(en)))]


def _back_cover(c: Composer) -> list[Flowable]:
    """The back cover: title, edition and publisher in both languages, the notice."""
    t, e, s = c.inputs.template, c.edition, c.s
    publisher = t.party(e.publisher)
    lines = [CJKParagraph(escape(t.title_zh), s.title),
             Paragraph(escape(t.title_en), s.subtitle.clone("back_en", wordWrap=None)),
             Spacer(1, 6 * mm * c.scale),
             CJKParagraph(escape(f"{e.name_zh} {e.name_en} · 第 {e.version} 版 · {e.date}"),
                          s.subtitle),
             Spacer(1, 6 * mm * c.scale),
             c.para(publisher.name_zh, "zh", s.subtitle),
             Paragraph(escape(publisher.name_en), s.subtitle.clone("back_pub", wordWrap=None))]
    notices = [c.para(n, lang, s.notice) for n, lang in ((t.notice_zh, "zh"), (t.notice_en, "en"))
               if n]
    return [VersoBreak("cover"), Spacer(1, 30 * mm * c.scale),
            KeepTogether([*lines, Spacer(1, 70 * mm * c.scale), *notices])]
