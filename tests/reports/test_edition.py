"""Edition metadata: exactly the included sections decide an output's hash and date."""

from __future__ import annotations

import pytest

from app.content.store import update_section
from app.errors import InvalidInput
from app.project.features import update_feature
from app.reports.edition import (
    edition_for,
    included,
    next_version,
    published,
    read_inputs,
    record,
)
from tests.reports.conftest import P1


def test_edition_of_each_output(mini):
    inputs = read_inputs(mini)
    editions = {k: edition_for(inputs, k, 3) for k in ("policy", "release", "reader", "onemap")}
    assert len({e.content_hash for e in editions.values()}) == 4
    policy = editions["policy"]
    assert (policy.version, policy.date, policy.status, policy.publisher) == (3, "2024-05-01",
                                                                              "review", "310000")
    assert policy.sections == len(inputs.content) > editions["release"].sections
    assert "S1.action.1" not in {s.id for s in included(inputs, "release")}
    with pytest.raises(InvalidInput):
        edition_for(inputs, "poster", 1)
    with pytest.raises(InvalidInput):
        edition_for(inputs, "policy", 0)


def test_an_edit_moves_the_date_and_hash_of_including_outputs_only(mini):
    before = read_inputs(mini)
    update_section(mini, "S1.action.1", body_zh="修订后的行动正文。", status="draft")
    after = read_inputs(mini)
    for kind, changes in (("policy", True), ("release", False), ("onemap", False)):
        a, b = edition_for(before, kind, 1), edition_for(after, kind, 1)
        assert (a.content_hash != b.content_hash) is changes and (a.date != b.date) is changes
    assert edition_for(after, "policy", 1).status == "draft"


def test_layer_edits_change_the_data_hash(mini):
    before = read_inputs(mini).layers_hash
    update_feature(mini, "XMK_POINT", P1, {"JSZT": "建成"})
    assert read_inputs(mini).layers_hash != before


def test_published_editions_are_recorded(mini):
    edition = edition_for(read_inputs(mini), "release", next_version(mini, "release"))
    assert edition.version == 1
    record(mini, edition, "ab" * 32, 1234, "http://server")
    assert next_version(mini, "release") == 2 and next_version(mini, "policy") == 1
    [row] = published(mini)
    assert (row["kind"], row["version"], row["server"]) == ("release", 1, "http://server")


def test_the_printed_data_version_is_the_server_version_or_says_local(mini):
    from dataclasses import replace

    edition = edition_for(read_inputs(mini), "release", 1)
    synced = replace(edition, base_version=4)
    assert synced.data_label() == "数据版本 data v4" and synced.layers_hash[:8] not in synced.label()
    assert "v4（含未同步的本地修改" in replace(synced, data_local=True).data_label()
    never = replace(edition, base_version=0, data_local=True).data_label()
    assert "本地数据，未同步" in never and "v0" not in never
