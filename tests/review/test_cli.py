"""`coplan ledger`, `coplan handling-report`, `coplan comment`, `coplan round`: thin wrappers,
one-line errors."""

from __future__ import annotations

import json

import pytest

from app.cli import main
from app.review.events import write_jsonl


@pytest.fixture(scope="module")
def archive(sample, tmp_path_factory):
    path = tmp_path_factory.mktemp("archive") / "events.jsonl"
    write_jsonl(sample.log, path)
    return path


def test_ledger_exports(archive, tmp_path, capsys):
    code = main(["ledger", str(archive), "--csv", str(tmp_path / "l.csv"), "--xlsx",
                 str(tmp_path / "l.xlsx"), "--chart", str(tmp_path / "l.png")])
    out = capsys.readouterr().out
    assert code == 0 and "total" in out and "647 comments" in out
    assert (tmp_path / "l.png").read_bytes()[:4] == b"\x89PNG"
    assert main(["ledger", str(archive), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["by_party_type"]["expert"]["comments"] == 98


def test_handling_report_for_one_party(archive, tmp_path, capsys):
    assert main(["handling-report", str(archive), "--party", "mnr", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "party-mnr-zh.pdf").read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize("argv, message", [
    (["ledger", "{tmp}/missing.jsonl"], "no review archive"),
    (["comment", "{project}", "--round", "1", "--text", "x", "--section", "S1"], "--quote"),
    (["comment", "{project}", "--round", "1", "--text", "x", "--section", "../etc",
      "--quote", "q"], "section"),
    (["comment", "{project}", "--round", "1", "--text", "x", "--quote", "q", "--position", "3"],
     "--position needs --section"),
    (["comment", "{project}", "--round", "1", "--text", "x", "--quote", "q"], "not in this copy"),
    (["round", "status", "{project}", "1"], "this project has no server"),
    (["verify", "{tmp}", "--keys", "{tmp}"], "use --keyring"),
])
def test_bad_input_is_one_line(argv, message, tmp_path, project_path, capsys):
    (tmp_path / "bad.jsonl").write_text("{}\n")
    code = main([a.format(tmp=tmp_path, project=project_path) for a in argv])
    err = capsys.readouterr().err
    assert code != 0 and message in err and err.count("\n") == 1


def test_bad_archive_line_is_named(tmp_path, capsys):
    (tmp_path / "bad.jsonl").write_text('{"format": "x"}\n')
    assert main(["ledger", str(tmp_path / "bad.jsonl")]) != 0
    assert "bad.jsonl:1" in capsys.readouterr().err
