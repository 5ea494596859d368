"""Reading one project or the merged metro state from several."""

from __future__ import annotations

import pytest
import shapely

from app.analysis.engine import check
from app.analysis.projects import iter_check_projects
from app.analysis.sources import iter_read, load
from app.model.jobs import Progress, drive

SHANGHAI, SUZHOU = "310000", "320500"


@pytest.fixture
def two_parties(make_project, city_features):
    """Shanghai's project with a parcel across the border; Suzhou's with a red line under it."""
    parcel = ("GHYDYH", 10, SHANGHAI, {"YDYHFLDM": "0801"}, shapely.box(120.99, 31.0, 121.005, 31.005))
    red = ("STBHHX", 20, SUZHOU, {"XZQDM": SUZHOU, "XZQMC": "苏州市"},
           shapely.box(120.995, 30.99, 121.02, 31.02))
    # Suzhou's copy of its own boundary is newer than the copy Shanghai holds.
    moved = ("XZQ", 2, SUZHOU, {"XZQDM": SUZHOU, "XZQMC": "苏州市（新）"}, shapely.box(121.0, 30.9, 121.2, 31.1))
    sh = make_project("sh", SHANGHAI, [*city_features, parcel])
    sz = make_project("sz", SUZHOU, [city_features[0], moved, red])
    return sh, sz


def test_merged_features_by_uuid_owner_copy_wins(two_parties):
    dataset = load(list(two_parties), ["XZQ", "GHYDYH", "STBHHX", "LD"])
    xzq = dataset.layer("XZQ")
    assert len(xzq) == 2 and list(xzq.attrs["XZQMC"]) == ["上海市", "苏州市（新）"]
    assert len(dataset.layer("GHYDYH")) == 1 and len(dataset.layer("STBHHX")) == 1
    assert len(dataset.layer("LD")) == 0 and dataset.parties == (SHANGHAI, SUZHOU)
    reversed_ = load(list(reversed(two_parties)), ["XZQ"])
    assert list(reversed_.layer("XZQ").attrs["XZQMC"]) == ["上海市", "苏州市（新）"]


def test_a_conflict_between_two_parties_appears_only_in_the_merged_state(two_parties, standard):
    sh, sz = two_parties
    alone = drive(iter_check_projects([sh], standard))
    merged = drive(iter_check_projects([sh, sz], standard))
    assert alone.conflicts == () and alone.parties == (SHANGHAI,)
    [c] = merged.conflicts
    assert c.rule == "construction-in-red-line" and c.cities == (SHANGHAI, SUZHOU)
    assert c.owners == (SHANGHAI, SUZHOU) and merged.parties == (SHANGHAI, SUZHOU)
    again = check(load([sz, sh], standard.layers), standard)
    assert [x.id for x in again.conflicts] == [c.id]


def test_reading_reports_progress_per_layer(two_parties):
    job = iter_read(list(two_parties), ["XZQ", "STBHHX"])
    assert [p.message for p in job if isinstance(p, Progress)] == ["reading STBHHX", "reading XZQ"]
