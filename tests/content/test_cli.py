"""`coplan content`: init, list, show, status, export and import."""

from __future__ import annotations

import json

from app.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_content_commands(project_path, tmp_path, capsys):
    code, out, _ = run(capsys, "content", "init", project_path)
    assert code == 0 and "103 section(s) added" in out
    code, out, _ = run(capsys, "content", "list", project_path, "--json")
    assert code == 0 and len(json.loads(out)) == 103
    code, out, _ = run(capsys, "content", "show", project_path, "S1", "--lang", "en")
    assert code == 0 and out.startswith("Transport integration")
    code, _, err = run(capsys, "content", "status", project_path, "S1", "final")
    assert code == 3 and "belongs to party 310000-JTW" in err and err.count("\n") == 1
    code, out, _ = run(capsys, "content", "status", project_path, "vision.innovation", "review")
    assert code == 3  # the vision belongs to the office, not to Shanghai
    exported = tmp_path / "content.json"
    code, _, _ = run(capsys, "content", "export", project_path, exported)
    data = json.loads(exported.read_text(encoding="utf-8"))
    assert code == 0 and data["format"] == "coplan.content-template/v1"
    code, out, _ = run(capsys, "content", "import", project_path, exported)
    assert code == 0 and "0 added, 0 updated, 103 unchanged" in out


def test_content_bad_input_is_one_line(project_path, tmp_path, capsys):
    code, _, err = run(capsys, "content", "show", project_path, "Z1")
    assert code != 0 and "no section 'Z1'" in err and "Traceback" not in err
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    run(capsys, "content", "init", project_path)
    code, _, err = run(capsys, "content", "import", project_path, bad)
    assert code == 2 and "required property" in err and err.count("\n") == 1
