"""`coplan checkin …` end to end over a real server: a party submits and reads its history, a
coordinator returns and accepts, a stranger is refused."""

from __future__ import annotations

import json

import openpyxl

from app.cli import main
from app.project import features as F
from app.project.project import Project
from tests.checkin.conftest import clone, push_red_lines, red_line


def run(capsys, monkeypatch, server, user: str, *argv) -> tuple[int, str, str]:
    monkeypatch.setenv("COPLAN_TOKEN", server.tokens[user])
    code = main(["checkin", *(str(a) for a in argv)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_checkin_commands(server, tmp_path, capsys, monkeypatch):
    sh = clone(server, tmp_path, "sh")
    version = push_red_lines(server, sh, "sh", [red_line("1", 121.5), red_line("1", 121.7)])
    boss = clone(server, tmp_path, "boss")
    sh_path, boss_path = sh.path, boss.path
    sh.close(), boss.close()

    code, out, _ = run(capsys, monkeypatch, server, "sh", "submit", sh_path, "--note", "第一次")
    assert code == 0 and f"submitted version {version} of party 310000" in out
    assert "submission 1" in out and "2 error(s)" in out
    code, out, _ = run(capsys, monkeypatch, server, "sh", "list", sh_path)
    assert code == 0 and "#1" in out and "待质检" in out and "北京时间" in out and "第一次" in out

    code, _, err = run(capsys, monkeypatch, server, "boss", "accept", boss_path, "1")
    assert code == 1 and "--force" in err
    code, _, err = run(capsys, monkeypatch, server, "sz", "accept", boss_path, "1", "--force")
    assert code == 3 and "only coordinators" in err
    report = tmp_path / "退回报告"
    code, out, _ = run(capsys, monkeypatch, server, "boss", "return", boss_path, "1",
                       "--note", "标识码重复", "--pdf", report.with_suffix(".pdf"),
                       "--xlsx", report.with_suffix(".xlsx"))
    assert code == 0 and "已退回 returned" in out
    assert report.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    listed = openpyxl.load_workbook(report.with_suffix(".xlsx")).worksheets[-1]
    bsms = [row[3] for row in listed.iter_rows(min_row=2, values_only=True) if row[0]]
    assert len(bsms) >= 2 and set(bsms) == {"1"}  # each finding a row, with its BSM
    code, out, _ = run(capsys, monkeypatch, server, "sh", "show", sh_path, "1", "--pdf",
                       tmp_path / "mine.pdf")
    assert code == 0 and (tmp_path / "mine.pdf").stat().st_size > 1000

    code, out, _ = run(capsys, monkeypatch, server, "sh", "show", sh_path, "1")
    assert code == 0 and "bsm_unique" in out and "标识码重复" in out and "已退回" in out
    code, out, _ = run(capsys, monkeypatch, server, "sh", "show", sh_path, "1", "--json")
    shown = json.loads(out)
    assert shown["status"] == "returned" and len(shown["findings"]) >= 2
    code, _, err = run(capsys, monkeypatch, server, "sz", "show", sh_path, "1")
    assert code == 1 and "no submission 1" in err

    with Project.open(sh_path) as project:
        F.add_feature(project, "STBHHX", *red_line("2", 121.9))
    code, _, err = run(capsys, monkeypatch, server, "sh", "submit", sh_path)
    assert code == 1 and "uncommitted changes" in err
    code, out, _ = run(capsys, monkeypatch, server, "sh", "list", sh_path, "--json")
    assert [s["number"] for s in json.loads(out)] == [1]  # nothing was submitted
