"""The `coplan` command: each subcommand wraps the library; bad input → one line, non-zero exit."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from app.cli import COMMANDS, main, parser

README = Path(__file__).resolve().parents[1] / "README.md"
POINT = {"type": "FeatureCollection", "features": [{
    "type": "Feature", "geometry": {"type": "Point", "coordinates": [121.3, 31.2]},
    "properties": {"XMBH": "P1", "XMMC": "虹桥枢纽", "XMLX": "JT", "QTDW": "交通委",
                   "SJCS": "310000", "JSZT": "建成"}}]}


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_init_layers_and_json(tmp_path, capsys):
    path = tmp_path / "sz.sqlite"
    code, out, _ = run(capsys, "init", path, "--party", "320500", "--name", "苏州市")
    assert code == 0 and "320500" in out
    code, out, _ = run(capsys, "layers", path, "--json")
    rows = json.loads(out)
    assert code == 0 and {r["code"] for r in rows} >= {"XZQ", "STBHHX", "XMK_POINT"}
    assert all(r["features"] == 0 for r in rows)


def test_edit_commit_log_diff_revert_flow(project_path, capsys):
    import shapely

    from app.project import features as F
    from app.project.project import Project

    with Project.open(project_path) as project:
        F.add_feature(project, "XMK_POINT", POINT["features"][0]["properties"], shapely.Point(121.3, 31.2))
    code, out, _ = run(capsys, "diff", project_path)
    assert code == 0 and out.startswith("+ XMK_POINT") and "1 pending change(s)" in out
    code, out, _ = run(capsys, "commit", project_path, "-m", "虹桥")
    assert code == 0 and "committed" in out
    code, out, _ = run(capsys, "log", project_path, "--json")
    [entry] = json.loads(out)
    assert entry["message"] == "虹桥" and entry["counts"] == {"insert": 1}
    code, out, _ = run(capsys, "revert", project_path, entry["id"])
    assert code == 0 and "Revert" in out
    code, out, _ = run(capsys, "features", project_path, "XMK_POINT", "--json")
    assert json.loads(out) == []


def test_validate_exit_code(project_path, capsys):
    code, out, _ = run(capsys, "validate", project_path, "--json")
    assert code == 0 and json.loads(out) == []


def test_validate_speaks_the_chosen_language(project_path, capsys):
    import shapely

    from app.project import features as F
    from app.project.project import Project

    with Project.open(project_path) as project:
        F.add_feature(project, "XMK_POINT", POINT["features"][0]["properties"], shapely.Point(121.3, 31.2))
        with project.db.atomic():  # as another tool would write it
            project.db.execute("UPDATE XMK_POINT SET JSZT = '停滞'")
    code, out, _ = run(capsys, "--lang", "zh", "validate", project_path)
    assert code == 1 and "停滞" in out and "建设状态" in out and out.rstrip().endswith("共 1 个问题")
    code, out, _ = run(capsys, "--lang", "en", "validate", project_path)
    assert code == 1 and "JSZT" in out and out.rstrip().endswith("1 problem(s)")


@pytest.mark.parametrize("argv, message", [
    (["layers", "{tmp}/missing.sqlite"], "no such project file"),
    (["features", "{project}", "NOPE"], "unknown layer"),
    (["commit", "{project}", "-m", "x"], "nothing to commit"),
    (["revert", "{project}", "0123456789"], "no change set"),
    (["init", "{project}", "--party", "310000"], "already exists"),
    (["init", "{tmp}/x.sqlite", "--party", "a b"], "party code"),
])
def test_bad_input_is_one_line_without_traceback(project_path, tmp_path, capsys, argv, message):
    argv = [a.format(tmp=tmp_path, project=project_path) for a in argv]
    code, _, err = run(capsys, *argv)
    assert code != 0
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_every_command_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    documented = set(re.findall(r"coplan ([\w-]+)", text))
    assert set(COMMANDS) <= documented, set(COMMANDS) - documented


def test_every_command_is_registered_on_import():
    # However this file runs (alone, first, in a worker), the check above sees every command:
    # app.cli imports each area's handlers, it does not wait for the parser to be built.
    registered = set(COMMANDS)  # before the parser is built
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert registered == set(sub.choices) and len(registered) > 40


@pytest.mark.parametrize("argv, env, expected", [
    (["--lang", "zh"], {}, "coplan: 错误：找不到项目文件"),
    ([], {"LANG": "zh_CN.UTF-8"}, "coplan: 错误：找不到项目文件"),
    ([], {"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "coplan: error: no such project file"),
    (["--lang", "en"], {"LC_ALL": "zh_CN.GB18030"}, "coplan: error: no such project file"),
])
def test_messages_follow_lang_or_the_locale(tmp_path, capsys, monkeypatch, argv, env, expected):
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, _, err = run(capsys, *argv, "layers", tmp_path / "none.sqlite")
    assert code != 0 and err.startswith(expected)
