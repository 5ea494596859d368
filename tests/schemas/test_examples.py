"""Each `schemas/<name>.v1.schema.json` accepts its valid examples and rejects its invalid ones.

Examples live in `schemas/examples/<name>/`: `*.valid.json` must validate, `*.invalid-<why>.json`
must not. New schemas are picked up automatically.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
SUFFIX = ".v1.schema.json"


def _schema_paths() -> list[Path]:
    return sorted(SCHEMAS.glob("*" + SUFFIX))


def _examples(pattern: str) -> list[tuple[Path, Path]]:
    """(schema, example) pairs for every schema's examples matching `pattern`."""
    pairs = []
    for schema in _schema_paths():
        folder = SCHEMAS / "examples" / schema.name.removesuffix(SUFFIX)
        pairs += [(schema, example) for example in sorted(folder.glob(pattern))]
    return pairs


def _id(pair: tuple[Path, Path]) -> str:
    return f"{pair[1].parent.name}/{pair[1].name}"


def _validator(schema: Path) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema.read_text(encoding="utf-8")))


def _load(path: Path) -> object:
    return json.loads(path.read_text(encoding="utf-8"))


def test_there_are_schemas_to_check():
    assert _schema_paths(), f"no *{SUFFIX} in {SCHEMAS}"


@pytest.mark.parametrize("schema", _schema_paths(), ids=lambda p: p.name)
def test_schema_is_a_valid_draft_2020_12_schema(schema):
    data = _load(schema)
    Draft202012Validator.check_schema(data)
    assert data.get("$schema") == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("schema", _schema_paths(), ids=lambda p: p.name)
def test_schema_has_valid_and_invalid_examples(schema):
    folder = SCHEMAS / "examples" / schema.name.removesuffix(SUFFIX)
    assert list(folder.glob("*.valid.json")), f"no *.valid.json in {folder}"
    assert list(folder.glob("*.invalid-*.json")), f"no *.invalid-<why>.json in {folder}"


@pytest.mark.parametrize("pair", _examples("*.valid.json"), ids=_id)
def test_valid_example_validates(pair):
    schema, example = pair
    errors = [e.message for e in _validator(schema).iter_errors(_load(example))]
    assert errors == []


@pytest.mark.parametrize("pair", _examples("*.invalid-*.json"), ids=_id)
def test_invalid_example_fails(pair):
    schema, example = pair
    assert not _validator(schema).is_valid(_load(example)), f"{example.name} unexpectedly validates"
