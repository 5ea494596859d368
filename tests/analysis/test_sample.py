"""The Shanghai metro sample: a small, plausible set of conflicts and a check-up report."""

from __future__ import annotations

import pytest

from app.analysis.charts import checkup_figure
from app.analysis.indicators import METRO, load_definitions
from app.analysis.projects import iter_check_projects, iter_checkup
from app.model.jobs import drive

CITIES = ("310000", "320200", "320400", "320500", "320600", "330200", "330400", "330500", "330900")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample projects, built into a scratch folder (the checked-out copy is left alone)."""
    build = pytest.importorskip("sample_projects.build")
    if any(not p.is_file() for p in build.input_files(build.DEFAULT_REFERENCE)):
        pytest.skip("sample reference files missing")
    out = tmp_path_factory.mktemp("sample")
    build.build(build.DEFAULT_REFERENCE, out, force=True, review=False)
    return out


def test_metro_check_finds_a_small_plausible_set(sample, standard):
    result = drive(iter_check_projects([sample / "metro.sqlite"], standard))
    assert 1 <= len(result.conflicts) <= 30
    for c in result.conflicts:
        assert (c.area_m2 or 0) > 0 or (c.length_m or 0) > 0
        assert set(c.cities) <= set(CITIES) and c.cities
    merged = drive(iter_check_projects([sample / f"{code}.sqlite" for code in CITIES], standard))
    assert [c.id for c in merged.conflicts] == [c.id for c in result.conflicts]
    shanghai = drive(iter_check_projects([sample / "310000.sqlite"], standard))
    assert {c.id for c in shanghai.conflicts} <= {c.id for c in result.conflicts}


def test_metro_checkup_report_and_chart(sample, tmp_path):
    report = drive(iter_checkup(sample / "metro.sqlite", 2025))
    red = {r.region: r.value for r in report.rows if r.indicator == "TJ001"}
    assert set(red) == {*CITIES, METRO} and all(v is not None and v >= 0 for v in red.values())
    # The schematic city polygons overlap a little: the metro union is a hair under the sum.
    assert red[METRO] == pytest.approx(sum(red[c] for c in CITIES), rel=1e-4)
    fig = checkup_figure(report, load_definitions())
    fig.savefig(tmp_path / "checkup.png", dpi=60)
    assert (tmp_path / "checkup.png").stat().st_size > 10_000
