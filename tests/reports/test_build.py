"""Building the four outputs: embedded CJK font, extractable text, outline, contents, page
numbers, header and footer, cover; byte-identical rebuilds; an edit changes exactly the outputs
that contain the edited section."""

from __future__ import annotations

import re
import subprocess
import sys
import threading

import pytest

from app.content.store import update_section
from app.reports.build import build, iter_build, output_path, write_pdf
from app.reports.edition import read_inputs
from app.reports.safeguards import NothingToBuild, PartialProject
from tests.reports.conftest import REPO, run

KINDS = ("policy", "release", "reader", "onemap")
DPI = 40


@pytest.fixture(scope="module")
def built(mini_template_project, tmp_path_factory):
    """The four outputs of the unchanged mini project, written to files."""
    from app.project.project import Project

    folder = tmp_path_factory.mktemp("built")
    with Project.open(mini_template_project, author="tester") as project:
        outputs = {k: build(project, k, 1, dpi=DPI) for k in KINDS}
    return {k: (b, write_pdf(b, folder / f"{k}.pdf")) for k, b in outputs.items()}


@pytest.mark.parametrize("kind", KINDS)
def test_fonts_are_embedded_and_text_extracts(built, kind):
    result, path = built[kind]
    fonts = run("pdffonts", path).splitlines()[2:]
    assert fonts and all(" yes yes yes " in f for f in fonts), fonts  # embedded, subset, unicode
    text = run("pdftotext", path, "-")
    assert "测试都市圈规划" in text and "Test metro plan" in text  # Chinese and English
    assert "第 1 版" in text.replace("第1版", "第 1 版") and "2024-05-01" in text  # the edition in the footer / cover
    assert ("目录 Contents" in text) is (kind != "onemap") and "示例内容" in text  # no contents box on a poster
    assert result.bad_lines == ()


@pytest.mark.parametrize("kind", KINDS)
def test_outline_page_numbers_and_fixed_date(built, kind):
    result, path = built[kind]
    info = run("pdfinfo", path)
    assert "CreationDate:    Wed May  1 00:00:00 2024" in info and f"coplan:{kind}:v1" in info
    assert b"/Outlines" in result.pdf and b"/Count" in result.pdf
    assert f"Pages:           {result.pages}" in info
    text = re.sub(r"\s+", "", run("pdftotext", path, "-"))  # poppler may drop the spaces
    numbered = re.search(r"第\d+页|—\d+—", text) is not None  # body pages are numbered apart
    assert numbered is (kind != "onemap")  # a poster is one sheet: no page number


def test_reader_pairs_chinese_with_english(built):
    text = run("pdftotext", "-layout", built["reader"][1], "-")
    line = next(t for t in text.splitlines() if "上海大都市圈由九市组成" in t)
    assert "The metropolitan area has nine cities" in line  # side by side on one line


def test_policy_has_maps_tables_and_section_ids(built):
    result, path = built["policy"]
    text = run("pdftotext", path, "-")
    assert result.maps == 6  # vision, S1, Z1, Z1.strategy.1 and the two city maps
    for words in ("牵头：苏州市", "参与：上海市", "虹桥枢纽", "附录二", "图中编号"):
        assert words in text, words


def test_rebuilds_are_byte_identical_in_process_and_across_processes(mini_path, built, tmp_path):
    from app.project.project import Project

    with Project.open(mini_path) as project:
        assert build(project, "reader", 1, dpi=DPI).pdf == built["reader"][0].pdf
    out = tmp_path / "again.pdf"
    subprocess.run([sys.executable, "-m", "app.cli", "report", str(mini_path), "--kind", "release",
                    "--version", "1", "--dpi", str(DPI), "--out", str(out)], cwd=REPO, check=True,
                   capture_output=True)
    assert out.read_bytes() == built["release"][0].pdf


@pytest.mark.parametrize("section_id", ["S1.action.1", "Z1.strategy.1", "S1.projects",
                                        "vision.innovation.goal.1.strategy.1", "Z1.goal"])
def test_an_edit_changes_exactly_the_outputs_containing_the_section(mini, built, section_id):
    body = mini.db.execute("SELECT body_zh FROM coplan_sections WHERE section_id = ?",
                           (section_id,)).fetchone()[0]
    update_section(mini, section_id, body_zh=body + "（修订）")
    rule = read_inputs(mini).template.outputs
    changed = {k for k in KINDS if build(mini, k, 1, dpi=DPI).pdf != built[k][0].pdf}
    assert changed == {k for k in KINDS if rule[k].includes(section_id)}


def test_the_build_is_a_job_that_can_be_cancelled(mini):
    job = iter_build(mini, "policy", 1, dpi=DPI)
    messages = []
    for progress in job:
        messages.append(progress.message)
        if progress.message.startswith("layout"):
            job.close()  # as a GUI's cancel button would
            break
    assert messages[0] == "reading the project" and any(m.startswith("map ") for m in messages)
    assert not any(t.name == "coplan-layout" for t in threading.enumerate())


def test_the_footer_names_local_data_as_local(built):
    # The mini project's features were never committed nor pushed: no server version to print.
    text = run("pdftotext", built["release"][1], "-")
    assert "数据版本 本地数据，未同步" in text and "data v0" not in text


@pytest.fixture
def city(mini):
    """The mini project as Suzhou's own copy."""
    mini.set_meta("party", "320500")
    mini.set_meta("role", "editor")
    return mini


def test_a_citys_copy_is_refused_unless_a_partial_draft_is_asked_for(city):
    with pytest.raises(PartialProject, match="苏州市's copy"):
        build(city, "release", 1, dpi=DPI, partial=False)


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_of_a_partial_draft_is_marked(city, kind, tmp_path):
    result = build(city, kind, 1, dpi=DPI, partial=True)
    path = write_pdf(result, output_path(result.edition, tmp_path / f"{kind}.pdf"))
    assert path.name == f"{kind}-partial.pdf" and result.edition.partial
    pages = run("pdftotext", path, "-").split("\f")[:-1]
    assert len(pages) == result.pages
    assert all("部分草稿（仅含本方内容）" in p for p in pages)
    english = "Partial draft (this party's content only)"
    assert all(english in p for p in pages) is (kind == "reader")
    info = run("pdfinfo", path)
    assert "第1版（部分草稿）" in info and "coplan:partial-draft" in info


def test_a_whole_edition_has_no_mark_and_keeps_its_file_name(built, tmp_path):
    result, path = built["policy"]
    assert not result.edition.partial and "部分草稿" not in run("pdftotext", path, "-")
    assert output_path(result.edition, tmp_path / "p.pdf") == tmp_path / "p.pdf"


def test_an_output_with_no_text_is_refused(mini):
    for (section_id,) in mini.db.execute("SELECT section_id FROM coplan_sections").fetchall():
        update_section(mini, section_id, body_zh="", body_en="")
    with pytest.raises(NothingToBuild, match="nothing to print: none of its .* sections"):
        build(mini, "policy", 1, dpi=DPI)


def test_check_publish_after_a_separate_build(mini):
    from app.project import history
    from app.reports.build import check_publish
    from app.reports.safeguards import NotPublishable

    built = build(mini, "release", 1, dpi=DPI)
    with pytest.raises(NotPublishable, match="uncommitted"):
        check_publish(mini, built.edition, [])
    history.commit(mini, "mini")
    mini.db.execute("UPDATE coplan_changesets SET state = 'pushed'")  # as a push would
    check_publish(mini, built.edition, [])
    update_section(mini, "S1", body_zh="修订。")
    history.commit(mini, "S1")
    mini.db.execute("UPDATE coplan_changesets SET state = 'pushed'")
    with pytest.raises(NotPublishable, match="changed since; build it again"):
        check_publish(mini, built.edition, [])


def test_a_one_map_with_nothing_to_draw_is_refused(mini):
    from app.content.model import Links

    update_section(mini, "vision", links=Links(layers=("LD", "STLD")))  # layers without features
    with pytest.raises(NothingToBuild, match="the one map has nothing to draw"):
        build(mini, "onemap", 1, dpi=DPI)
