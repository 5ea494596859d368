"""app.paths: one resource function for a checkout, an installed wheel and a PyInstaller bundle,
and the packaging rules (pyproject package-data) that put every resource into the wheel."""

from __future__ import annotations

import re
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from app.analysis.rules import standard_rules_path
from app.basemap.context import load_context
from app.content.template import default_template_path
from app.paths import REFERENCE, resource, resource_root, schemas_dir
from app.qc.areas import reference_cities
from app.reports.mapnames import EXTRA, english_names

ROOT = Path(__file__).resolve().parent.parent
# Built or generated files that stay in the checkout: the sample build's outputs and the
# translation source (the compiled .qm ships).
NOT_SHIPPED = ("*.sqlite", "*.sqlite-*", "*.ts", "shanghai-metro/review/*",
               "shanghai-metro/implement/*")


def test_the_root_of_a_checkout_is_the_folder_holding_app_and_schemas():
    assert resource_root() == ROOT
    assert resource("schemas", "sql") == ROOT / "schemas" / "sql"
    assert schemas_dir() == resource("schemas")


def test_resources_do_not_depend_on_the_current_directory(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert resource("schemas", "layers.json").is_file()
    assert resource(*REFERENCE).is_dir()


def test_a_bundle_is_found_through_meipass(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_root() == tmp_path
    assert resource("schemas", "sql", "server") == tmp_path / "schemas" / "sql" / "server"
    assert schemas_dir() == tmp_path / "schemas"


def named_resources() -> list[Path]:
    """Every resource the app names (files and folders), as the running code finds them."""
    from app.views import i18n  # the only Qt-side resource: the translation

    named = [schemas_dir() / "layers.json", schemas_dir() / "colours", schemas_dir() / "sql",
             schemas_dir() / "sql" / "server", schemas_dir() / "sql" / "server_pg",
             schemas_dir() / "indicators.json", standard_rules_path(), default_template_path(),
             i18n.qm_path("zh_CN")]
    named += [schemas_dir() / f"{name}.v1.schema.json" for name in
              ("changeset", "comment", "content-template", "conflict-rules", "indicators",
               "layer-catalogue", "review-event", "colour-table")]
    named += [resource(*REFERENCE, name) for name in
              ("schematic_city_polygons.geojson", "taihu_naturalearth.geojson", "cities.json",
               "metro_plan_1_8_5.json")]
    return named


def test_every_resource_the_app_names_exists():
    missing = [str(p) for p in named_resources() if not p.exists()]
    assert not missing


def test_the_reference_inputs_are_read_from_the_resources():
    assert "310000" in reference_cities()
    assert load_context().land and load_context().water
    assert len(english_names()) > len(EXTRA)  # cities and zones came from the sources


def package_data() -> tuple[list[str], dict[str, list[str]]]:
    """(package include patterns, package → data globs) from pyproject.toml."""
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    return setup["packages"]["find"]["include"], setup["package-data"]


def owning_package(path: Path) -> tuple[str, Path]:
    """The innermost package (a folder with __init__.py) holding `path`, and the path below it."""
    folder = path.parent
    while not (folder / "__init__.py").is_file():
        folder = folder.parent
    return ".".join(folder.relative_to(ROOT).parts), path.relative_to(folder)


def glob_match(path: str, glob: str) -> bool:
    """setuptools' package-data matching: `*` stays within one folder (unlike fnmatch)."""
    pattern = re.escape(glob).replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
    return re.fullmatch(pattern, path) is not None


def shipped(path: Path) -> bool:
    """Whether the wheel holds `path` (a data file), by pyproject's rules."""
    include, data = package_data()
    package, below = owning_package(path)
    return (any(fnmatch(package, pattern) for pattern in include)
            and any(glob_match(below.as_posix(), glob) for glob in data.get(package, [])))


def data_files(top: str) -> list[Path]:
    """The non-Python files below `top` that belong to the source (not built, not cached)."""
    return [p for p in (ROOT / top).rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
            and not any(fnmatch(p.relative_to(ROOT / top).as_posix(), g) for g in NOT_SHIPPED)]


@pytest.mark.parametrize("top", ["app", "schemas", "sample_projects"])
def test_every_data_file_ships_in_the_wheel(top):
    left_out = [str(p.relative_to(ROOT)) for p in data_files(top) if not shipped(p)]
    assert not left_out, "add them to [tool.setuptools.package-data] in pyproject.toml"


def test_every_named_file_ships_in_the_wheel():
    files = [p for p in named_resources() if p.is_file()]
    files += [f for p in named_resources() if p.is_dir() for f in p.iterdir() if f.is_file()]
    assert not [str(p) for p in files if not shipped(p)]


def test_no_module_finds_a_resource_relative_to_the_current_directory():
    # A path like Path("schemas") works only when run from the checkout.
    relative = re.compile(r"""(Path|open)\(\s*["'](schemas|sample_projects|app)\b""")
    offenders = [f"{p.relative_to(ROOT)}:{n}" for p in (ROOT / "app").rglob("*.py")
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if relative.search(line)]
    assert not offenders
