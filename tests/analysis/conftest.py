"""Hand-built feature layers for the analysis tests: two cities split at 121°E."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import shapely

from app.analysis.dataset import LayerData
from app.analysis.rules import load_rules, parse_rules
from app.model.catalogue import load_catalogue
from app.model.feature import Feature

SHANGHAI, SUZHOU = "310000", "320500"
BORDER = 121.0  # the two test cities meet along this meridian


def layer(code: str, *rows: tuple) -> LayerData:
    """A layer from (uuid, owner, attrs, geometry) rows."""
    return LayerData.from_features(code, [Feature(code, u, o, a, g) for u, o, a, g in rows])


@pytest.fixture
def make_layer():
    return layer


@pytest.fixture
def cities() -> LayerData:
    """XZQ: Shanghai west of 121°E, Suzhou east of it (boxes 0.1° wide, 0.2° tall)."""
    return layer("XZQ",
                 ("xzq-sh", SHANGHAI, {"XZQDM": SHANGHAI, "XZQMC": "上海市", "JB": "city"},
                  shapely.box(120.9, 30.9, BORDER, 31.1)),
                 ("xzq-sz", SUZHOU, {"XZQDM": SUZHOU, "XZQMC": "苏州市", "JB": "city"},
                  shapely.box(BORDER, 30.9, 121.1, 31.1)))


@pytest.fixture(scope="session")
def standard():
    return load_rules()


@pytest.fixture
def rules_from():
    """Parse a rule set from its JSON form (cities from XZQ)."""
    def make(*rules: dict, cities: dict | None = None):
        data = {"format": "coplan.conflict-rules/v1", "name": "test",
                "cities": cities or {"layer": "XZQ", "code_field": "XZQDM", "name_field": "XZQMC"},
                "rules": list(rules)}
        return parse_rules(data, load_catalogue())
    return make


# Required attributes of the layers the project-based tests write (values are placeholders).
DEFAULTS = {
    "XZQ": {"BSM": "1", "XZQMC": "城市", "JB": "city"},
    "STBHHX": {"BSM": "1", "XZQDM": SHANGHAI, "XZQMC": "上海市"},
    "CZKFBJ": {"BSM": "1", "XZQDM": SHANGHAI, "XZQMC": "上海市"},
    "GHYDYH": {"BSM": "1", "XZQDM": SHANGHAI, "XZQMC": "上海市", "YDYHFLDM": "0701",
               "YDYHFLMC": "居住用地"},
    "LD": {"LDBM": "G1", "LDMC": "绿道"},
    "XMK_LINE": {"XMBH": "P1", "XMMC": "沪苏湖铁路", "XMLX": "JT", "QTDW": "交通委",
                 "SJCS": SHANGHAI, "JSZT": "建成"},
}


def uid(n: int) -> str:
    """A fixed UUID for feature `n` of a test."""
    return str(uuid.UUID(int=n))


@pytest.fixture
def make_project(tmp_path):
    """Write a project for `party` holding (layer, n, owner, attrs, geometry) features."""
    from app.project.features import add_feature
    from app.project.project import Project

    def make(name: str, party: str, features, role: str = "editor") -> Path:
        path = tmp_path / f"{name}.sqlite"
        # Created as coordinator: a party's copy also holds features other parties own.
        with Project.create(path, party, role="coordinator", author="tester") as project:
            for code, n, owner, attrs, geom in features:
                add_feature(project, code, {**DEFAULTS[code], **attrs}, geom, owner=owner, uuid=uid(n))
            project.set_meta("role", role)
        return path
    return make


@pytest.fixture
def city_features():
    """The two test cities as XZQ features (n 1 and 2), each owned by itself."""
    return [("XZQ", 1, SHANGHAI, {"XZQDM": SHANGHAI, "XZQMC": "上海市"}, shapely.box(120.9, 30.9, BORDER, 31.1)),
            ("XZQ", 2, SUZHOU, {"XZQDM": SUZHOU, "XZQMC": "苏州市"}, shapely.box(BORDER, 30.9, 121.1, 31.1))]
