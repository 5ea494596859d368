"""The direction and limit of every indicator read as its meaning (issue #16 review)."""

from __future__ import annotations

import pytest

from app.analysis.checkup import FAILED, MET, status_of
from app.analysis.indicators import load_definitions

# What plans cap, and what they must keep or raise (the review recorded in status_note).
CAPS = ("TJ004", "TJ007", "TJ008", "TJ014", "TJ018", "TJ019", "TJ021", "TJ034", "TJ038", "TJ045",
        "TJ046", "TJ070", "MT081", "MT088", "MT091")
FLOORS = ("TJ001", "TJ002", "TJ003", "TJ006", "TJ013", "TJ042", "TJ075", "MT086", "MT087")


@pytest.fixture(scope="module")
def definitions():
    return load_definitions()


def test_water_use_over_its_cap_fails(definitions):
    item = definitions.get("TJ007")
    assert status_of(item, 120.0, 105.0, definitions) == FAILED
    assert status_of(item, 90.0, 105.0, definitions) == MET


@pytest.mark.parametrize("indicator", CAPS)
def test_caps_are_maxima(definitions, indicator):
    assert definitions.get(indicator).limit == "max"


@pytest.mark.parametrize("indicator", FLOORS)
def test_floors_are_minima(definitions, indicator):
    assert definitions.get(indicator).limit == "min"


def test_direction_and_limit_agree(definitions):
    expected = {"+": {"min"}, "-": {"max"}, "=": {"band"}, "c": {"min", "max"}}
    wrong = [i.id for i in definitions.items if i.limit not in expected[i.direction]]
    assert wrong == []


def test_the_review_is_recorded_without_claiming_verification(definitions):
    assert "Direction review (issue #16" in definitions.status_note
    assert "not verified" in definitions.status_note
    assert {i.status for i in definitions.items} <= {"S", "app"}  # no definition became V
