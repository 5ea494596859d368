import pytest

from app.model import units


def test_lengths_switch_from_metres_to_kilometres_at_one_km():
    assert units.format_length(850.34, "en") == "850.3 m"
    assert units.format_length(999.9, "zh") == "999.9 米"
    assert units.format_length(1000.0, "en") == "1.000 km"
    assert units.format_length(12_345.6, "zh") == "12.346 千米"


def test_one_mu_is_a_fifteenth_of_a_hectare():
    assert units.M2_PER_MU == pytest.approx(666.67, abs=0.005)
    assert units.format_area_unit(10_000, "mu", "zh") == "15.00 亩"
    assert units.format_area_unit(10_000, "ha", "en") == "1.0000 ha"


def test_small_areas_in_square_metres_hectares_and_mu():
    assert units.format_area(12_345.6, "zh") == "12,345.6 平方米 = 1.2346 公顷 = 18.52 亩"
    assert [unit for _, unit in units.area_parts(999_999)] == ["m2", "ha", "mu"]


def test_large_areas_add_square_kilometres():
    text = units.format_area(2_500_000, "en")
    assert text == "2,500,000.0 m² = 250.0000 ha = 3,750.00 mu = 2.500 km²"


def test_unit_names_in_both_languages():
    assert [units.unit_name(u, "zh") for u in units.UNIT_NAMES] == ["米", "千米", "平方米", "公顷", "亩", "平方千米"]
    assert [units.unit_name(u, "en") for u in units.UNIT_NAMES] == ["m", "km", "m²", "ha", "mu", "km²"]
