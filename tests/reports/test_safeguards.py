"""The checks before a build or a publish: whose copy it is, what is not on the server, which
sections print as a bare heading, which maps have nothing to draw, a version already taken."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.content.store import update_section
from app.project import history
from app.project.features import update_feature
from app.reports.edition import edition_for, read_inputs
from app.reports.outputs import map_specs
from app.reports.safeguards import (
    NotPublishable,
    PartialProject,
    SyncState,
    VersionTaken,
    blank_sections,
    check_publishable,
    check_scope,
    check_version_free,
    empty_maps,
    scope_of,
    sync_state,
)
from tests.reports.conftest import P1

SYNCED = SyncState(0, 0, 0)


def as_party(project, party: str, role: str) -> None:
    project.set_meta("party", party)
    project.set_meta("role", role)


def test_the_coordinators_project_is_whole_and_a_citys_copy_is_partial(mini):
    assert not scope_of(read_inputs(mini)).partial  # role coordinator
    as_party(mini, "320500", "editor")
    scope = check_scope(read_inputs(mini), True)
    assert scope.partial and scope.party_name == "苏州市"
    assert check_scope(read_inputs(mini), None).partial  # allowed, to be marked
    with pytest.raises(PartialProject, match="苏州市's copy.*--partial"):
        check_scope(read_inputs(mini), False)
    as_party(mini, "office", "observer")  # e.g. a publisher's replica of the whole project
    assert not scope_of(read_inputs(mini)).partial


def test_cities_without_data_are_named(mini):
    # The mini project has no control-layer features at all: both cities lack data.
    assert set(scope_of(read_inputs(mini)).cities_without_data) == {"上海市", "苏州市"}


def test_sync_state_counts_uncommitted_content_data_and_unpushed(mini):
    start = sync_state(mini)
    assert start.uncommitted_data > 0 and start.uncommitted_content > 0 and start.data_local
    history.commit(mini, "mini")
    committed = sync_state(mini)
    assert (committed.uncommitted_content, committed.uncommitted_data) == (0, 0)
    assert committed.unpushed == 1 and committed.data_local  # still not on the server
    update_section(mini, "S1.action.1", body_zh="修订。")
    assert sync_state(mini).uncommitted_content == 1 and sync_state(mini).uncommitted_data == 0
    update_feature(mini, "XMK_POINT", P1, {"JSZT": "建成"})
    assert sync_state(mini).uncommitted_data == 1


def test_publishing_refuses_uncommitted_and_unpushed_changes(mini):
    inputs = read_inputs(mini)
    specs = map_specs(inputs, "release")
    check_publishable(inputs, "release", specs, SYNCED)
    for state, words in ((SyncState(103, 0, 0), "103 uncommitted change"),
                         (SyncState(0, 2, 0), "2 uncommitted change"),
                         (SyncState(0, 0, 1), "not on the server yet")):
        with pytest.raises(NotPublishable, match=words):
            check_publishable(inputs, "release", specs, state)


def test_a_bare_heading_section_is_not_publishable(mini):
    update_section(mini, "Z1.goal", body_zh="  ")
    inputs = read_inputs(mini)
    assert [s.id for s in blank_sections(inputs, "release")] == ["Z1.goal"]
    assert blank_sections(inputs, "policy") == [inputs.content.get("Z1.goal")]
    with pytest.raises(NotPublishable, match="1 section.*no text.*板块目标标题"):
        check_publishable(inputs, "release", map_specs(inputs, "release"), SYNCED)


def test_parents_with_text_in_their_children_are_not_blank(mini):
    update_section(mini, "systems", body_zh="")  # a part heading over its system actions
    assert blank_sections(read_inputs(mini), "policy") == []


def test_the_reader_needs_english_too(mini):
    update_section(mini, "Z1.goal", body_en="")
    inputs = read_inputs(mini)
    assert [s.id for s in blank_sections(inputs, "reader")] == ["Z1.goal"]
    assert blank_sections(inputs, "release") == []


def test_maps_with_nothing_to_draw(mini):
    inputs = read_inputs(mini)
    specs = map_specs(inputs, "reader")
    assert empty_maps(inputs, specs) == []
    nothing = replace(specs[0], layers=("LD", "STLD"))  # layers without features
    lost = replace(specs[0], focus=replace(specs[0].focus or specs[-1].focus, value="Z9"))
    assert empty_maps(inputs, [nothing, lost, specs[0]]) == [nothing, lost]
    with pytest.raises(NotPublishable, match="1 map.*nothing to draw"):
        check_publishable(inputs, "reader", [nothing], SYNCED)


def test_a_partial_copy_is_not_publishable(mini):
    as_party(mini, "320500", "editor")
    inputs = read_inputs(mini)
    with pytest.raises(NotPublishable, match="partial draft cannot be published"):
        check_publishable(inputs, "release", map_specs(inputs, "release"), SYNCED)


def test_a_version_published_with_other_content_is_taken(mini):
    edition = edition_for(read_inputs(mini), "release", 2)
    same = {"kind": "release", "version": 2, "content_hash": edition.content_hash,
            "layers_hash": edition.layers_hash, "base_version": edition.base_version}
    check_version_free([same, {**same, "version": 1, "content_hash": "0" * 64}], edition)
    check_version_free([{**same, "kind": "policy", "content_hash": "0" * 64}], edition)
    for other in ({"content_hash": "0" * 64}, {"layers_hash": "0" * 64}, {"base_version": 9}):
        with pytest.raises(VersionTaken, match="release version 2 is already published"):
            check_version_free([{**same, **other}], edition)
