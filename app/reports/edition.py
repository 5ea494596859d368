"""Editions: what one published output was made from, and the local record of publishing.

An output's inputs are the sections its template rule includes and the project's layers, so
its edition metadata is: the content hash of exactly those sections, their newest edit date
(printed as the edition's date: no clock is read, so a rebuild gives the same bytes), the
data version (the server version the project is synced to, `base_version`, and a hash of the
layer content), the version number and the publishing party.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from app.content.model import STATUSES, Content, Section
from app.content.store import load_content, project_template
from app.content.template import Template
from app.errors import InvalidInput
from app.model.feature import utc_now
from app.project.project import Project
from app.reports.mapdata import MapData, layers_digest

log = logging.getLogger(__name__)

KINDS = {"policy": ("政策文件", "Policy set"), "release": ("发布文件", "Release edition"),
         "reader": ("公众读本", "Public reader"), "onemap": ("一张图", "One map")}
STATUS_NAMES = {"draft": ("草稿", "Draft"), "review": ("征求意见稿", "For review"),
                "final": ("定稿", "Final")}


@dataclass
class Inputs:
    """Everything outputs are made from, read once from an open project."""

    project: Project
    template: Template
    content: Content
    data: MapData
    layers_hash: str

    @property
    def path(self) -> Path:
        return self.project.path


def read_inputs(project: Project) -> Inputs:
    """The content, template and layers of `project`; ProjectError if it has no content."""
    template = project_template(project)
    return Inputs(project, template, load_content(project.db), MapData(project),
                  layers_digest(project))


@dataclass(frozen=True)
class Edition:
    """The identity of one output: what it is, which version, and what it was made from."""

    kind: str  # policy | release | reader | onemap
    version: int
    date: str  # YYYY-MM-DD: the newest edit of the included sections
    publisher: str  # party code
    publisher_name: str
    content_hash: str  # SHA-256 over the included sections and the template rule
    base_version: int  # server version the project's data is synced to
    layers_hash: str  # SHA-256 of the project's layer content
    template: str  # template id and version
    sections: int  # how many sections the output includes
    status: str  # the least mature status among them
    partial: bool = False  # built from one party's copy: a partial draft, never published
    data_local: bool = False  # the layers hold changes not on the server (base_version + local)

    @property
    def name_zh(self) -> str:
        return KINDS[self.kind][0]

    @property
    def name_en(self) -> str:
        return KINDS[self.kind][1]

    def label(self) -> str:
        """The footer line: output, version, date, data version (the server version the
        layers come from; hashes stay in the metadata)."""
        return (f"{self.name_zh} {self.name_en} · 第 {self.version} 版 v{self.version} · "
                f"{self.date} · {self.data_label()}")

    def data_label(self) -> str:
        """The data version as printed: local changes are said, never passed off as v{n}."""
        if self.data_local and self.base_version == 0:  # never synced: there is no server version
            return "数据版本 本地数据，未同步 data: local, not on a server"
        local = "（含未同步的本地修改 with local changes）" if self.data_local else ""
        return f"数据版本 data v{self.base_version}{local}"

    def to_json(self) -> dict:
        return asdict(self)


def included(inputs: Inputs, kind: str) -> list[Section]:
    """The sections output `kind` includes, in reading order."""
    rule = inputs.template.output(kind)
    return [s for s in inputs.content if rule.includes(s.id)]


def edition_for(inputs: Inputs, kind: str, version: int, *, partial: bool = False,
                data_local: bool = False) -> Edition:
    """The edition metadata of output `kind` at `version`; InvalidInput if it has no content.
    `partial` and `data_local` come from app.reports.safeguards (scope and sync state)."""
    if kind not in KINDS:
        raise InvalidInput(f"output kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if version < 1:
        raise InvalidInput(f"version must be 1 or more, not {version}")
    sections = included(inputs, kind)
    if not sections:
        raise InvalidInput(f"the project has no sections for the {kind} output")
    rule = inputs.template.output(kind)
    digest = hashlib.sha256(json.dumps([inputs.template.id, inputs.template.version,
                                        list(rule.include), list(rule.maps or ())]).encode())
    digest.update(inputs.content.digest([s.id for s in sections]).encode())
    project = inputs.project
    party = project.party
    return Edition(kind=kind, version=version, date=max(s.modified_at for s in sections)[:10],
                   publisher=party, publisher_name=_party_name(inputs, party),
                   content_hash=digest.hexdigest(), base_version=project.base_version,
                   layers_hash=inputs.layers_hash,
                   template=f"{inputs.template.id}@{inputs.template.version}",
                   sections=len(sections), status=min((s.status for s in sections),
                                                      key=STATUSES.index),
                   partial=partial, data_local=data_local)


def _party_name(inputs: Inputs, party: str) -> str:
    known = inputs.template.parties.get(party)
    return known.name_zh if known else (inputs.project.party_name or party)


def next_version(project: Project, kind: str) -> int:
    """One more than the last version of `kind` this project published (1 for the first)."""
    row = project.db.execute("SELECT max(version) FROM coplan_editions WHERE kind = ?",
                             (kind,)).fetchone()
    return (row[0] or 0) + 1


def record(project: Project, edition: Edition, sha256: str, size: int,
           server: str | None) -> None:
    """Remember that `edition` was published (and where)."""
    with project.db.atomic():
        project.db.execute(
            "INSERT OR REPLACE INTO coplan_editions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (edition.kind, edition.version, edition.date, edition.publisher,
             edition.content_hash, edition.base_version, edition.layers_hash, sha256, size,
             utc_now(), project.author, server))


def published(project: Project) -> list[dict]:
    """Editions this project published, newest first."""
    cols = ("kind", "version", "edition_date", "publisher", "content_hash", "base_version",
            "layers_hash", "sha256", "size", "published_at", "published_by", "server")
    rows = project.db.execute(f"SELECT {', '.join(cols)} FROM coplan_editions "
                              "ORDER BY published_at DESC, kind, version DESC")
    return [dict(zip(cols, row, strict=True)) for row in rows]
