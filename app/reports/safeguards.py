"""What must hold before an output is built or published, so that no build is silently wrong.

- Scope: a party's own copy (a city's, a department's) holds that party's layers only; its
  outputs are partial drafts, refused unless asked for and then marked on every page.
- Sync: the data version an edition prints is the server version the copy is synced to, so
  layer edits not yet on the server make it local (marked; publishing refuses).
- Publishing refuses uncommitted or unpushed changes, sections with nothing but a heading,
  maps with nothing to draw, and a version number already published with other content.

Every check runs before anything is laid out or written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.content.model import Section
from app.errors import ConflictError, CoplanError, InvalidInput
from app.project import tracking
from app.project.project import Project
from app.project.sql import ident
from app.reports.annex import CITY_LAYERS
from app.reports.edition import Edition, Inputs, included
from app.reports.maps import MapSpec

log = logging.getLogger(__name__)

FULL_ROLES = ("coordinator",)  # a coordinator's project holds every party's work
FULL_PARTY_TYPES = ("office",)  # so does the coordinating office's copy (e.g. a publisher's)
PARTIAL_MARK_ZH = "部分草稿（仅含本方内容）"
PARTIAL_MARK_EN = "Partial draft (this party's content only)"


class PartialProject(CoplanError):
    """The project is one party's copy; its outputs would miss the other parties' work."""


class NotPublishable(CoplanError):
    """An edition that must not be published as it stands (changes, empty parts, a copy)."""


class NothingToBuild(InvalidInput):
    """The output would be empty: no text in any of its sections."""


class VersionTaken(ConflictError):
    """The version number is already published with other content."""


@dataclass(frozen=True)
class Scope:
    """Whose work a project holds."""

    party: str
    party_name: str
    partial: bool  # one party's copy, not the coordinator's whole project
    cities_without_data: tuple[str, ...]  # names of cities with no features in the control layers


@dataclass(frozen=True)
class SyncState:
    """What of a copy is not on the server yet."""

    uncommitted_content: int  # changed sections not committed
    uncommitted_data: int  # changed features not committed
    unpushed: int  # committed change sets the server has not acknowledged

    @property
    def data_local(self) -> bool:
        """True when the layers differ from the server version the copy is synced to."""
        return self.uncommitted_data > 0 or self.unpushed > 0


def scope_of(inputs: Inputs) -> Scope:
    """The scope of the project: partial unless it is the coordinator's or the office's."""
    project, template = inputs.project, inputs.template
    party = template.parties.get(project.party)
    full = project.role in FULL_ROLES or (party is not None and party.type in FULL_PARTY_TYPES)
    name = party.name_zh if party else (project.party_name or project.party)
    return Scope(project.party, name, not full, _cities_without_data(inputs))


def _cities_without_data(inputs: Inputs) -> tuple[str, ...]:
    cities = inputs.data.layer("XZQ")
    if cities is None:
        return ()
    # Owners by SQL, not through MapData: a release or reader build never loads these layers.
    present = {layer.code for layer in inputs.project.layers()}
    owners = {row[0] for code in CITY_LAYERS if code in present
              for row in inputs.project.db.execute(f"SELECT DISTINCT owner FROM {ident(code)}")}
    return tuple(str(a.get("XZQMC") or a.get("XZQDM")) for a in cities.attrs
                 if str(a.get("XZQDM")) not in owners)


def sync_state(project: Project) -> SyncState:
    """Uncommitted changes (content and layers apart) and unpushed change sets."""
    content = data = 0
    for layer in tracking.dirty_layers(project.db, project.tracked_layers()):
        count = tracking.dirty_count(project.db, layer)
        if layer.category == "content":
            content += count
        else:
            data += count
    unpushed = project.db.execute(
        "SELECT count(*) FROM coplan_changesets WHERE state = 'local'").fetchone()[0]
    return SyncState(content, data, unpushed)


def check_scope(inputs: Inputs, partial: bool | None) -> Scope:
    """The project's scope; PartialProject for one party's copy when `partial` is False
    (None: allow it, marked; True: the caller asked for a partial draft)."""
    scope = scope_of(inputs)
    if scope.partial and partial is False:
        if scope.cities_without_data:
            raise PartialProject(f"this is {scope.party_name}'s copy, with only its own part of "
                                 f"the plan; {len(scope.cities_without_data)} cities have no data "
                                 f"in it: build from the coordinator's project, or ask for a "
                                 f"partial draft (--partial)")
        raise PartialProject(f"this is {scope.party_name}'s copy, with only its own part of the "
                             f"plan: build from the coordinator's project, or ask for a partial "
                             f"draft (--partial)")
    return scope


def blank_sections(inputs: Inputs, kind: str) -> list[Section]:
    """Included sections that would print as a bare heading: no text and no included child."""
    sections = included(inputs, kind)
    parents = {s.parent for s in sections}
    langs = ("body_zh", "body_en") if kind == "reader" else ("body_zh",)
    return [s for s in sections
            if s.id not in parents and not s.links.projects
            and not all(getattr(s, f).strip() for f in langs)]


def check_not_empty(inputs: Inputs, kind: str) -> None:
    """NothingToBuild when none of the output's sections has any text."""
    sections = included(inputs, kind)
    if sections and not any(s.body_zh.strip() for s in sections):
        raise NothingToBuild(f"the {kind} output has nothing to print: none of its "
                             f"{len(sections)} sections has any text yet")


def empty_maps(inputs: Inputs, specs: Iterable[MapSpec]) -> list[MapSpec]:
    """Maps with nothing to draw: none of their layers has a feature, or the focus is missing."""
    out = []
    for spec in specs:
        drawn = [c for c in spec.layers if inputs.data.layer(c) is not None]
        if not drawn or (spec.focus is not None and inputs.data.focus(spec.focus) is None):
            out.append(spec)
    return out


def check_publishable(inputs: Inputs, kind: str, specs: Sequence[MapSpec],
                      sync: SyncState) -> None:
    """NotPublishable naming the first reason the output must not be published now."""
    if scope_of(inputs).partial:
        raise NotPublishable("a partial draft cannot be published: publish from the "
                             "coordinator's project")
    pending = sync.uncommitted_content + sync.uncommitted_data
    if pending:
        raise NotPublishable(f"the project has {pending} uncommitted change(s): commit and push "
                             f"them before publishing")
    if sync.unpushed:
        raise NotPublishable(f"{sync.unpushed} committed change set(s) are not on the server yet: "
                             f"push them before publishing")
    blank = blank_sections(inputs, kind)
    if blank:
        raise NotPublishable(f"{len(blank)} section(s) of the {kind} output have no text "
                             f"(first: {blank[0].title_zh or blank[0].id}): write them or leave "
                             f"them out of the output")
    empty = empty_maps(inputs, specs)
    if empty:
        raise NotPublishable(f"{len(empty)} map(s) of the {kind} output have nothing to draw "
                             f"(first: {empty[0].title_zh})")


def check_version_free(records: Iterable[dict], edition: Edition) -> None:
    """VersionTaken if the server holds this kind and version made from other inputs (the same
    inputs rebuild the same bytes, so publishing them again is a safe retry)."""
    for r in records:
        if (r["kind"], r["version"]) != (edition.kind, edition.version):
            continue
        same = (r["content_hash"], r["layers_hash"], r["base_version"]) == (
            edition.content_hash, edition.layers_hash, edition.base_version)
        if not same:
            raise VersionTaken(f"{edition.kind} version {edition.version} is already published "
                               f"with other content; publish it as a new version")
