"""Each edition carries the right content: the release edition is the whole 1+8+5 in brief
(balanced, with the zone maps and the systems' key projects), the reader is bilingual to its
end, the English reads naturally, and no two figures of a document show the same map."""

from __future__ import annotations

import re

import pytest

from app.content.model import Focus
from app.reports.annex import city_specs
from app.reports.build import build, write_pdf
from app.reports.edition import included, read_inputs
from app.reports.maps import MapSpec
from app.reports.outputs import (
    CITY_MAP_MM,
    distinct,
    map_specs,
    project_name_en,
    section_specs,
    subject,
)
from tests.reports.conftest import open_sample, run

DPI = 30  # the layout does not depend on the map resolution
CJK = re.compile(r"[\u3400-\u9fff]")
LOWER_START = re.compile(r"[.!?] +[a-z]")  # a sentence starting in lower case


def _spec(key: str, layers=("XZQ", "SY"), focus=None) -> MapSpec:
    return MapSpec(key, key, key, layers, focus)


def test_distinct_drops_a_figure_that_repeats_an_earlier_map():
    zone = Focus("DSQ_ZLXTQ", "ZQBM", "Z1")
    specs = [_spec("a"), _spec("b", ("SY", "XZQ")), _spec("c", focus=zone), _spec("d", ("LD",))]
    assert [s.key for s in distinct(specs)] == ["a", "c", "d"]  # b: same layers as a
    assert subject(_spec("a", ("SY",))) == subject(_spec("b", ("XZQ", "SY")))  # XZQ is base


def test_english_project_names_come_from_the_data():
    assert project_name_en({"XMMC_EN": "Hangzhou Bay Bridge", "BZ": "x"}) == "Hangzhou Bay Bridge"
    assert project_name_en({"BZ": "位置精度 accuracy: schematic；Dianshan Lake loop greenway"}) \
        == "Dianshan Lake loop greenway"
    assert project_name_en({"BZ": "苏州吴中区"}) == ""
    assert project_name_en({"BZ": "位置精度 accuracy: schematic"}) == ""  # a note, not a name


# --- on the built sample -----------------------------------------------------------------

@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    project = open_sample(tmp_path_factory.mktemp("sample") / "metro.sqlite")
    yield project
    project.close()


@pytest.fixture(scope="module")
def pages(sample, tmp_path_factory) -> dict[str, list[str]]:
    """The text of each page of the release edition and the reader."""
    out = {}
    for kind in ("release", "reader"):
        path = write_pdf(build(sample, kind, 1, dpi=DPI), tmp_path_factory.mktemp(kind) / "x.pdf")
        out[kind] = run("pdftotext", path, "-").split("\f")
    return out


def flat(text: str) -> str:
    """Text with its line breaks and runs of space as single spaces."""
    return " ".join(text.split())


def part_lengths(pages: list[str]) -> list[int]:
    """Pages with text in each 篇 of the body (from its opener to the next one)."""
    contents = next(i for i, p in enumerate(pages) if "目录 Contents" in p)
    starts = [next(i for i, p in enumerate(pages) if i > contents and f"第{n}篇" in p)
              for n in "一二三"]
    ends = [*starts[1:], len(pages)]
    return [sum(1 for p in pages[a:b] if len(p.strip()) > 200) for a, b in zip(starts, ends,
                                                                           strict=True)]


@pytest.mark.slow
def test_release_edition_is_the_whole_1_8_5_in_brief(sample, pages):
    text = "\f".join(pages["release"])
    assert "战略愿景总报告 · 八项系统行动 · 五个空间板块行动" in flat(pages["release"][0])
    assert "精简版" not in text
    vision, systems, zones = part_lengths(pages["release"])
    assert min(systems, zones) >= 4 and vision <= 1.5 * min(systems, zones), (vision, systems,
                                                                             zones)
    inputs = read_inputs(sample)
    zone_titles = [s.title_zh for s in inputs.content if re.fullmatch(r"Z\d", s.id)]
    for title in zone_titles:  # each zone has its map
        assert re.search(rf"图 \d+\s+{title}", text), title
    assert text.count("重点行动：") == 8  # every system: its key actions
    assert "交通一体化行动重点项目" in text and "洋山深水港" in text  # and its key projects


@pytest.mark.slow
def test_reader_is_bilingual_to_its_end(sample, pages):
    reader = pages["reader"]
    text = flat("\n".join(reader))
    t = read_inputs(sample).template
    for code in ("310000-JTW", "310000-ZJW", "320200"):  # leads of systems and zones
        assert f"Lead: {t.party(code).name_en}" in text, code
    lists = re.findall(r"Numbered on the map: (.*?\))\.", text)
    assert len(lists) >= 5 and not any(CJK.search(x) for x in lists), lists
    for name in ("Key projects: 1 Yangshan Deep-water Port", "Key actions: (1) Strengthen",
                 "Taihu Ecological Island (Jinting)", "(lead: Shanghai Transport Commission)"):
        assert name in text, name
    last = [p for p in reader if p.strip()]
    assert "结语 Closing" in last[-2] and "published by the" in flat(last[-2])
    back = flat(last[-1])  # the back cover: title, edition and publisher, no body text
    assert t.title_en in back and "Public reader" in back and t.party("office").name_en in back
    assert "Numbered" not in back and "Lead:" not in back
    physical = reader[:-1] if reader[-1] == "" else reader  # pdftotext ends each page with \f
    assert physical[-1].strip() and len(physical) % 2 == 0  # the back cover: the last verso


@pytest.mark.slow
def test_english_reads_naturally(sample, pages):
    inputs = read_inputs(sample)
    sections = included(inputs, "policy")
    texts = [p for s in sections for p in s.paragraphs("en")]
    texts.append(flat("\n".join(pages["reader"])))
    titles = {s.title_en for s in sections}
    for text in texts:
        assert "the cities concerned leads" not in text
        assert "towards this goal —" not in text
        assert not any(f"— {title} —" in text for title in titles), text[:200]
        lower = LOWER_START.search(text)
        assert lower is None, text[max(0, lower.start() - 80):lower.end() + 40]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["policy", "release", "reader"])
def test_each_figure_has_its_own_subject(sample, kind):
    inputs = read_inputs(sample)
    specs = map_specs(inputs, kind)
    assert len({subject(s) for s in specs}) == len(specs)
    # ... because the sample links each section to its own layers, not because any was dropped
    raw = section_specs(inputs, kind, "both" if kind == "reader" else "zh")
    if kind == "policy":
        raw += city_specs(inputs, *CITY_MAP_MM)
    assert [s.key for s in specs] == [s.key for s in raw]
    if kind != "policy":
        assert {f"Z{n}" for n in range(1, 6)} <= {s.key for s in specs}
