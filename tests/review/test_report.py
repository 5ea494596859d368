"""Handling reports: fonts embedded, Chinese extractable, a signature page, same bytes again."""

from __future__ import annotations

import subprocess

import pytest

from app.review.report import party_report, summary_report


@pytest.fixture(scope="module")
def pdfs(sample, tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    summary = summary_report(sample.state, folder / "summary.pdf", plan="上海大都市圈空间协同规划")
    party = party_report(sample.state, "mnr", folder / "mnr.pdf", plan="上海大都市圈空间协同规划")
    english = party_report(sample.state, "experts", folder / "experts-en.pdf", plan="Metro plan",
                           lang="en")
    return summary, party, english


def _run(*argv) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True, timeout=60).stdout


def test_every_font_is_embedded(pdfs):
    for pdf in pdfs:
        lines = _run("pdffonts", str(pdf)).splitlines()[2:]
        assert lines and all(" yes yes yes " in line for line in lines), lines


def test_chinese_text_is_extractable(pdfs):
    summary, party, english = pdfs
    text = _run("pdftotext", str(party), "-")
    assert "意见处理情况专报——自然资源部" in text and "会签页" in text and "采纳" in text
    assert "书面意见征询处理情况说明" in _run("pdftotext", str(summary), "-")
    assert "Signature page" in _run("pdftotext", str(english), "-")


def test_same_inputs_give_the_same_bytes(pdfs, sample, tmp_path):
    again = party_report(sample.state, "mnr", tmp_path / "again.pdf", plan="上海大都市圈空间协同规划")
    assert again.read_bytes() == pdfs[1].read_bytes()
