"""The check-up chart: a matplotlib Figure with one panel per indicator, CJK labels."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from matplotlib.figure import Figure

from app.analysis.charts import CJK_FONT, checkup_figure, evaluation_figure, font_family
from app.analysis.checkup import FAILED, MET, NO_TARGET, CheckupReport, CheckupRow
from app.analysis.evaluation import AHEAD, BEHIND, GOAL, EvaluationReport, EvaluationRow
from app.analysis.indicators import load_definitions

REPO = Path(__file__).resolve().parents[2]


def report() -> CheckupReport:
    rows = (CheckupRow("TJ001", "310000", 333.4, "computed", 300.0, 2035, MET, previous=340.0),
            CheckupRow("TJ001", "320500", 96.1, "computed", 180.0, 2035, FAILED, previous=178.7),
            CheckupRow("TJ001", "metro", 429.5, "computed"),
            CheckupRow("TJ002", "310000", 16.5, "computed", status=NO_TARGET),
            CheckupRow("TJ003", "310000", None, "missing"))
    return CheckupReport(2025, rows, {"310000": "上海市", "320500": "苏州市", "metro": "都市圈全域"},
                         2024, "note")


def test_a_panel_per_indicator_with_values(tmp_path):
    fig = checkup_figure(report(), load_definitions())
    assert isinstance(fig, Figure)
    assert [ax.get_title(loc="left").split()[0] for ax in fig.axes] == ["TJ001", "TJ002"]
    assert "全域 429.5" in fig.axes[0].get_title(loc="left")  # the metro value in the title
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["上海市", "苏州市"]
    path = tmp_path / "checkup.png"
    fig.savefig(path, dpi=60)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_every_indicator_is_drawn_beyond_nine(tmp_path):
    definitions = load_definitions()
    ids = [i.id for i in definitions.items][-14:]  # ends with MT091, failing, as once dropped
    rows = tuple(CheckupRow(i, "310000", 10.0 + k, "computed", 5.0, 2035,
                            FAILED if i == "MT091" else MET) for k, i in enumerate(ids))
    fig = checkup_figure(CheckupReport(2025, rows, {"310000": "上海市"}, None, "note"), definitions)
    assert [ax.get_title(loc="left").split()[0] for ax in fig.axes] == ids
    fig.savefig(tmp_path / "many.png", dpi=40)


def test_evaluation_draws_every_evaluated_indicator(tmp_path):
    definitions = load_definitions()
    ids = [i.id for i in definitions.items][:12]
    rows = []
    for k, i in enumerate(ids):
        rows += [EvaluationRow(i, "310000", 20.0 + k, 10.0, 40.0, GOAL, (10.0 + k) / 30, 1 / 3,
                               (10.0 + k) / 30 - 1 / 3, AHEAD, 1.0, 25.0, "达标"),
                 EvaluationRow(i, "metro", 12.0, 10.0, 40.0, GOAL, 2 / 30, 1 / 3, 2 / 30 - 1 / 3,
                               BEHIND, 0.1, 200.0, "未达标")]  # projection far off the axis
    rows.append(EvaluationRow("MT091", "310000", 5.0, None, None, None, None, 1 / 3, None, "无基期值",
                              None, None, None))
    report = EvaluationReport(2025, 2020, tuple(rows), {"310000": "上海市", "metro": "都市圈全域"}, "note")
    fig = evaluation_figure(report, definitions)
    assert [ax.get_title(loc="left").split()[0] for ax in fig.axes] == ids
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["上海市", "都市圈全域"]
    assert "另有 1 项指标" in fig.legends[0].get_title().get_text()  # MT091: said, not hidden
    fig.savefig(tmp_path / "evaluation.png", dpi=40)


def test_cjk_font_is_registered_when_installed():
    family = font_family()
    if CJK_FONT.is_file():
        assert family[0] == "WenQuanYi Micro Hei"
    assert family[-1] == "DejaVu Sans"


def test_drawing_does_not_load_pyplot():
    code = ("import sys\nfrom app.analysis import charts\n"
            "print(any(m.startswith('matplotlib.pyplot') for m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                            timeout=120)
    assert result.stdout.strip() == "False", result.stderr
