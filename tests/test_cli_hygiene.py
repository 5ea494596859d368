"""The `coplan` command as a well-behaved program: every command registered however it is
imported, quiet ends on a closed pipe and on Ctrl+C, one version that the CHANGELOG agrees with."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import app
from app import cli

REPO = Path(__file__).resolve().parents[1]
# A command that runs until it is interrupted: it says when it is running, then sleeps.
SLOW = """
import signal, sys, time
from app import cli
signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal, even if inherited off
@cli.command("layers")
def slow(args):
    print("running", flush=True)
    time.sleep(600)
sys.exit(cli.main([*sys.argv[1:], "layers", "x.sqlite"]))
"""


def python(*argv: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, *argv], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def test_a_fresh_interpreter_registers_every_command():
    code = (
        "import argparse, json, pathlib, sys\n"
        "from app.cli import COMMANDS, parser\n"
        "from app.extensions import extension_modules\n"
        "before = sorted(COMMANDS)\n"
        "sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))\n"
        "with_handlers = sorted(str(p.relative_to('.').with_suffix('')).replace('/', '.')\n"
        "    for p in pathlib.Path('app').rglob('*.py') if '@command(' in p.read_text())\n"
        "print(json.dumps({'before': before, 'after': sorted(COMMANDS),\n"
        "    'parsers': sorted(sub.choices), 'areas': extension_modules('cli'),\n"
        "    'modules': with_handlers, 'loaded': sorted(sys.modules)}))\n"
    )
    found = json.loads(subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True,
                                      capture_output=True, text=True, timeout=120).stdout)
    assert found["before"] == found["after"] == found["parsers"]  # nothing registers late
    assert len(found["before"]) == len(cli.COMMANDS) > 40
    # A new area's cli.py (or a module with @command handlers) must be in app.cli's list.
    assert set(found["areas"]) | set(found["modules"]) <= set(found["loaded"])


def test_areas_import_the_registry_not_app_cli():
    # The cycle that hid commands: an area importing app.cli while app.cli imports the areas.
    offenders = [str(p.relative_to(REPO)) for p in (REPO / "app").rglob("*.py")
                 if p != REPO / "app" / "cli.py" and re.search(
                     r"^(from app\.cli import|import app\.cli\b)", p.read_text("utf-8"), re.M)]
    assert offenders == []


def closed_pipe(*argv: str) -> tuple[int, str]:
    """Run `python -m app.cli ARGV | head -c 0`, the reader gone before anything is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run([sys.executable, "-m", "app.cli", *argv], cwd=REPO, stdout=write_end,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write_end)
    return done.returncode, done.stderr


def test_closed_pipe_ends_quietly(template_project):
    assert closed_pipe("layers", str(template_project)) == (cli.EXIT_BROKEN_PIPE, "")


def test_closed_pipe_on_help_ends_quietly():
    code, err = closed_pipe("--help")
    assert code in (0, cli.EXIT_BROKEN_PIPE) and err == ""  # argparse drops the failed write


def test_broken_pipe_inside_a_command_is_not_an_internal_error(monkeypatch, capsys):
    def writes_to_a_closed_pipe(args):
        raise BrokenPipeError(32, "Broken pipe")
    monkeypatch.setitem(cli.COMMANDS, "layers", writes_to_a_closed_pipe)
    assert cli.main(["layers", "x.sqlite"]) == cli.EXIT_BROKEN_PIPE
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("argv, said", [([], "coplan: interrupted\n"),
                                        (["--lang", "zh"], "coplan: 已中断\n")])
def test_ctrl_c_ends_a_running_command_with_one_line(argv, said):
    proc = python("-c", SLOW, *argv)
    assert proc.stdout.readline() == "running\n"
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == cli.EXIT_INTERRUPTED == 130
    assert err == said


def test_keyboard_interrupt_in_process(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt
    monkeypatch.setitem(cli.COMMANDS, "layers", interrupted)
    assert cli.main(["--lang", "en", "layers", "x.sqlite"]) == 130
    assert capsys.readouterr().err == "coplan: interrupted\n"


# --- one version -------------------------------------------------------------------------------

def released_versions() -> list[str]:
    """CHANGELOG.md's section headings below "## Unreleased", newest first."""
    headings = re.findall(r"^## (.+)$", (REPO / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert headings[0] == "Unreleased"  # the next release's lines go on top
    return [re.match(r"(\d+\.\d+\.\d+) — \d{4}-\d{2}-\d{2}$", h).group(1) for h in headings[1:]]


def test_version_flag(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"coplan {app.__version__}\n"


def test_version_agrees_with_the_changelog():
    result = subprocess.run([sys.executable, "-m", "app.cli", "--version"], cwd=REPO, check=True,
                            capture_output=True, text=True, timeout=120)
    assert re.fullmatch(r"coplan \d+\.\d+\.\d+\n", result.stdout)
    assert result.stdout == f"coplan {released_versions()[0]}\n"


def test_the_package_takes_its_version_from_app():
    from setuptools.config.pyprojecttoml import read_configuration
    with warnings.catch_warnings():  # [tool.setuptools] in pyproject is "beta" to setuptools
        warnings.simplefilter("ignore")
        config = read_configuration(REPO / "pyproject.toml")
    assert "version" in config["project"]["dynamic"]
    assert config["project"]["version"] == app.__version__
