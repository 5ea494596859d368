"""QC checks: each defect of the messy submission is found, with BSM, Chinese and English
text and a place; a tidy submission passes; the checks on plain data (check-in's input)."""

from __future__ import annotations

import re

import numpy as np
import pytest
import shapely

from app.model.catalogue import load_catalogue
from app.project.project import Project
from app.qc import areas
from app.qc.checks import CHECKS, Finding, project_findings, run_checks
from app.qc.cli import qc_findings
from app.qc.findings import Finding as SharedFinding

CAT = load_catalogue()


def of(findings: list[Finding], check: str, layer: str | None = None) -> list[Finding]:
    return [f for f in findings if f.check == check and (layer is None or f.layer == layer)]


def area_of(message: str) -> float:
    return float(re.search(r"([\d,]+\.\d\d) m²", message).group(1).replace(",", ""))


def test_finding_is_the_contracts_dataclass():
    assert Finding is SharedFinding
    f = Finding("ysdm", "error", "GHFQ", None, "1", "m", "中", (120.0, 31.0))
    with pytest.raises(AttributeError):
        f.check = "x"  # frozen
    assert f.to_json()["where"] == [120.0, 31.0]


def test_file_imported_twice_gives_duplicate_bsm(messy_findings):
    found, _ = messy_findings
    dup = of(found, "bsm_unique", "GHYDYH")
    assert sorted(f.bsm for f in dup) == sorted(["320500210001", "320500210002", "320500210003"] * 2)
    assert all(f.severity == "error" and "2 features" in f.message and "重复" in f.message_zh
               for f in dup)
    assert len({f.uuid for f in dup}) == 6


def test_overlapping_parcels_name_both_bsm_and_the_area(messy_findings):
    found, _ = messy_findings
    pair = [f for f in of(found, "overlap", "GHYDYH") if "BSM 320500210002" in f.message
            and f.bsm == "320500210001"]
    assert pair, "P1 overlaps P2 by half"
    # 0.005° × 0.01° at 31.3°N ≈ 476 m × 1,109 m.
    assert all(5.2e5 < area_of(f.message) < 5.35e5 for f in pair)
    assert "标识码为 320500210002 的要素重叠" in pair[0].message_zh
    x, y = pair[0].where
    assert 120.605 <= x <= 120.61 and 31.30 <= y <= 31.31  # on the overlap itself
    twins = [f for f in of(found, "overlap") if "same BSM" in f.message]
    assert {f.bsm for f in twins} == {"320500210001", "320500210002", "320500210003"}


def test_touching_parcels_and_slivers_are_not_overlaps():
    layer = CAT.layer("GHYDYH")
    geoms = np.array([shapely.box(120.60, 31.30, 120.61, 31.31),  # a neighbour sharing an edge
                      shapely.box(120.61, 31.30, 120.62, 31.31),
                      shapely.box(120.619999995, 31.30, 120.63, 31.31)], dtype=object)  # 0.05 m²
    rows = [{"uuid": f"u{n}", "owner": "320500", "BSM": f"B{n}", "YSDM": layer.ysdm} for n in range(3)]
    found = run_checks({"GHYDYH": (layer, rows, geoms)}, CAT, "320500", None)
    assert of(found, "overlap") == []


def test_wrong_fixed_feature_code(messy_findings):
    found, _ = messy_findings
    wrong = of(found, "ysdm", "GHYDYH")
    assert {f.bsm for f in wrong} == {"320500210003"}
    assert "2090020620" in wrong[0].message and "本图层应为 2090020620" in wrong[0].message_zh


def test_code_name_mismatch_by_code_list_and_by_the_usual_name(messy_findings):
    found, _ = messy_findings
    [land] = {f.bsm: f for f in of(found, "code_name", "GHYDYH")}.values()
    assert land.bsm == "320500210002" and "工业用地" in land.message_zh and "教育用地" in land.message_zh
    [zone] = of(found, "code_name", "GHFQ")
    assert "农田保护区" in zone.message_zh and "生态保护区" in zone.message_zh  # the GBK names read right


def test_planning_zone_code_must_be_digits(messy_findings):
    found, _ = messy_findings
    [bad] = of(found, "ghfq", "GHFQ")
    assert "'A1'" in bad.message and bad.bsm == "320500200007"


def test_gap_in_planning_zones(messy_findings):
    found, _ = messy_findings
    [gap] = of(found, "gap", "GHFQ")
    assert gap.uuid is None and gap.bsm is None
    assert 1.0e6 < area_of(gap.message) < 1.1e6  # the missing 0.01° cell
    assert shapely.box(120.71, 31.36, 120.72, 31.37).contains(shapely.Point(gap.where))


def test_point_in_seoul_is_outside_china(messy_findings):
    found, _ = messy_findings
    [abroad] = of(found, "outside_china")  # once, whether validation or QC said it
    assert abroad.layer == "XMK_POINT" and abroad.where == (126.9707, 37.5547)
    assert "China" in abroad.message


def test_run_checks_puts_seoul_and_pyongyang_abroad():
    layer = CAT.layer("XMK_POINT")
    rows = [{"uuid": n, "owner": "320500", "XMMC": n} for n in ("seoul", "pyongyang", "suzhou")]
    points = shapely.points([(126.9707, 37.5547), (125.75, 39.03), (120.62, 31.30)])
    found = run_checks({"XMK_POINT": (layer, rows, points)}, CAT, "320500", None)
    assert [f.uuid for f in of(found, "outside_china")] == ["seoul", "pyongyang"]
    assert "我国范围之外" in found[0].message_zh


def test_parcel_in_shanghai_is_outside_the_party(messy_findings):
    found, source = messy_findings
    assert source == "reference"  # no XZQ feature of 320500 in the messy project
    [outside] = of(found, "outside_party")
    [code] = of(found, "xzqdm_party")
    assert outside.bsm == code.bsm == "320500210004" and outside.severity == "error"
    assert "310101" in code.message_zh


def test_findings_come_in_check_order_and_have_both_languages(messy_findings):
    found, _ = messy_findings
    order = list(CHECKS)
    assert [order.index(f.check) for f in found] == sorted(order.index(f.check) for f in found)
    assert all(f.message and f.message_zh and f.severity in ("error", "warning") for f in found)


def test_tidy_submission_passes(clean_path):
    with Project.open(clean_path) as project:
        found, source = qc_findings(project)
        assert project_findings(project) == []
    assert source == "layer" and found == []


def test_planning_zones_must_cover_the_partys_own_area():
    xzq, ghfq = CAT.layer("XZQ"), CAT.layer("GHFQ")
    city = [{"uuid": "x", "owner": "320500", "XZQDM": "320500", "XZQMC": "苏州市", "JB": "city"}]
    zones = [{"uuid": f"z{n}", "owner": "320500", "BSM": f"Z{n}", "YSDM": ghfq.ysdm, "XZQDM": "320506",
              "GHFQDM": "01", "GHFQMC": "生态保护区"} for n in range(3)]
    cells = [shapely.box(120.6 + 0.01 * (n % 2), 31.3 + 0.01 * (n // 2), 120.61 + 0.01 * (n % 2),
                         31.31 + 0.01 * (n // 2)) for n in range(3)]  # the north-east quarter is missing
    features = {"XZQ": (xzq, city, np.array([shapely.box(120.6, 31.3, 120.62, 31.32)], dtype=object)),
                "GHFQ": (ghfq, zones, np.array(cells, dtype=object))}
    boundary, source = areas.party_boundary("320500", features)
    [gap] = of(run_checks(features, CAT, "320500", boundary), "gap")
    assert source == "layer" and 1.0e6 < area_of(gap.message) < 1.1e6
    assert "本单位辖区" in gap.message_zh
    assert shapely.box(120.61, 31.31, 120.62, 31.32).contains(shapely.Point(gap.where))


def test_bsm_across_layers_and_xzqdm_rules():
    ghfq, cslx = CAT.layer("GHFQ"), CAT.layer("CSLX")
    a = [{"uuid": "a", "owner": "320500", "BSM": "X1", "YSDM": ghfq.ysdm, "XZQDM": "3205",
          "GHFQDM": "01", "GHFQMC": "生态保护区"}]
    b = [{"uuid": "b", "owner": "320500", "BSM": "X1", "YSDM": cslx.ysdm, "XZQDM": "320500",
          "XZQMC": "苏州"},
         {"uuid": "c", "owner": "310000", "BSM": "X2", "YSDM": cslx.ysdm, "XZQDM": "310101"}]
    g = np.array([shapely.box(120.6, 31.3, 120.61, 31.31)], dtype=object)
    features = {"GHFQ": (ghfq, a, g), "CSLX": (cslx, b, np.repeat(g, 2))}
    found = run_checks(features, CAT, "320500", None)
    assert {(f.layer, f.uuid) for f in of(found, "bsm_across")} == {("GHFQ", "a"), ("CSLX", "b")}
    assert [f.uuid for f in of(found, "xzqdm_format")] == ["a"]
    assert of(found, "xzqdm_party") == []  # c belongs to another party: not this one's to answer
    [name] = of(found, "code_name", "CSLX")
    assert name.uuid == "b" and "苏州市" in name.message_zh  # the reference name of 320500


def test_party_area_from_the_projects_own_boundary():
    xzq = CAT.layer("XZQ")
    rows = [{"uuid": "x", "owner": "320500", "XZQDM": "320500", "XZQMC": "苏州市"}]
    boundary, source = areas.party_boundary(
        "320500", {"XZQ": (xzq, rows, np.array([shapely.box(120, 31, 121, 32)], dtype=object))})
    assert source == "layer" and boundary.contains(shapely.Point(120.5, 31.5))
    assert not boundary.contains(shapely.Point(121.1, 31.5))
    assert areas.party_boundary("320500", {})[1] == "reference"
    assert areas.party_boundary("zj-office", {}) == (None, "none")


@pytest.mark.parametrize("party, prefix", [("320500", "3205"), ("310000", "31"), ("320506", "320506"),
                                           ("office", None)])
def test_division_prefix(party, prefix):
    assert areas.division_prefix(party) == prefix


@pytest.mark.parametrize("place, lon, lat, inside", [
    ("Seoul", 126.978, 37.566, False), ("Pyongyang", 125.75, 39.03, False),
    ("Tokyo", 139.69, 35.69, False), ("Hanoi", 105.85, 21.03, False),
    ("Shanghai", 121.47, 31.23, True), ("嵊泗", 122.45, 30.72, True),
    ("三沙", 112.34, 16.83, True), ("Taipei", 121.5, 25.03, True), ("Kashgar", 75.99, 39.47, True),
])
def test_china_outline(place, lon, lat, inside):
    assert areas.china_area().contains(shapely.Point(lon, lat)) is inside, place
