"""The Shanghai metro sample publishes all four outputs with the real 1+8+5 structure: a
policy set of 120+ pages with 40+ maps (the five zone maps among them) and the project library."""

from __future__ import annotations

import pytest

from app.reports.build import build, write_pdf
from app.reports.outputs import map_specs
from tests.reports.conftest import open_sample, run

pytestmark = pytest.mark.slow
DPI = 30  # the layout does not depend on the map resolution


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The office's metro project of the sample, with the sample content."""
    project = open_sample(tmp_path_factory.mktemp("sample") / "metro.sqlite")
    yield project
    project.close()


@pytest.fixture(scope="module")
def policy(sample, tmp_path_factory):
    built = build(sample, "policy", 1, dpi=DPI)
    return built, write_pdf(built, tmp_path_factory.mktemp("out") / "policy.pdf")


def test_policy_set_is_long_illustrated_and_complete(sample, policy):
    built, path = policy
    assert built.pages >= 120 and built.maps >= 40 and built.bad_lines == ()
    from app.reports.edition import read_inputs

    keys = {s.key for s in map_specs(read_inputs(sample), "policy")}
    assert {f"Z{n}" for n in range(1, 6)} <= keys and {f"S{n}" for n in range(1, 9)} <= keys
    text = run("pdftotext", path, "-")
    for words in ("环太湖战略协同区", "牵头：无锡市", "沪苏湖铁路", "洋山深水港", "项目库总表",
                  "示例内容", "核心指标"):
        assert words in text, words
    fonts = run("pdffonts", path).splitlines()[2:]
    assert all(" yes yes yes " in f for f in fonts)


@pytest.mark.parametrize("kind, pages", [("release", (10, 60)), ("reader", (20, 120)),
                                         ("onemap", (1, 1))])
def test_other_outputs_of_the_sample(sample, kind, pages):
    built = build(sample, kind, 1, dpi=DPI)
    assert pages[0] <= built.pages <= pages[1] and built.bad_lines == ()
    assert built.edition.date == "2022-01-20"  # the sample content's fixed edit date
