"""The check-up chart: a matplotlib Figure with one panel per indicator, CJK labels."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from matplotlib.figure import Figure

from app.analysis.charts import CJK_FONT, checkup_figure, font_family
from app.analysis.checkup import FAILED, MET, NO_TARGET, CheckupReport, CheckupRow
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
