"""Write the sample's features into one project per city plus the coordinating office's."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.model.catalogue import load_catalogue
from app.project.features import add_feature
from app.project.history import commit
from app.project.project import Project
from sample_projects.content import add_sample_content
from sample_projects.metro_layers import shared_seeds
from sample_projects.seeds import OFFICE, Seed
from sample_projects.sources import Sources, load_sources
from sample_projects.synthetic import synthetic_seeds

log = logging.getLogger(__name__)

AUTHOR = "coplan-sample"
MESSAGE = "示例数据 / sample data"
OFFICE_NAME = "上海大都市圈规划协同办公室"
META_KEY = "sample_build"  # project metadata: fingerprint of the build's inputs


@dataclass(frozen=True)
class Target:
    """One project file to write."""

    file: str  # file name inside the output folder
    party: str
    name: str
    role: str


def targets(sources: Sources) -> list[Target]:
    """The nine city projects and the office's metro project."""
    cities = [Target(f"{c.code}.sqlite", c.code, c.name_zh, "editor") for c in sources.cities]
    return [*cities, Target("metro.sqlite", OFFICE, OFFICE_NAME, "coordinator")]


def all_seeds(sources: Sources) -> list[Seed]:
    """Every feature of the sample: shared layers, then each city's synthetic layers."""
    catalogue = load_catalogue()
    synthetic = [s for city in sources.cities for s in synthetic_seeds(city, catalogue)]
    return [*shared_seeds(sources), *synthetic]


def write_project(path: Path, target: Target, seeds: list[Seed], fingerprint: str) -> None:
    """Create `path` holding `seeds`, with everything committed as one change set."""
    # Created as coordinator because a city's copy also holds features other parties own
    # (their boundaries, the office's projects); add_feature refuses that to an editor.
    project = Project.create(path, target.party, target.name, role="coordinator", author=AUTHOR)
    try:
        for seed in seeds:
            if seed.city is None or target.party in (seed.city, OFFICE):
                add_feature(project, seed.layer, seed.attrs, seed.geom, owner=seed.owner,
                            uuid=seed.uuid)
        add_sample_content(project)  # the 1+8+5 text, owned by its lead parties
        project.set_meta("role", target.role)
        project.set_meta(META_KEY, fingerprint)
        commit(project, MESSAGE)
    finally:
        project.close()


def write_all(reference: Path, out: Path, fingerprint: str) -> list[Path]:
    """Build every project into a scratch folder, then move each into `out` whole."""
    sources = load_sources(reference)
    seeds = all_seeds(sources)
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".build-", dir=out))
    try:
        written = []
        for target in targets(sources):
            write_project(scratch / target.file, target, seeds, fingerprint)
            written.append(_move(scratch / target.file, out / target.file))
            log.info("wrote %s (%s %s)", out / target.file, target.party, target.name)
        return written
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _move(source: Path, dest: Path) -> Path:
    # A stale WAL next to the old file would be replayed into the new one: remove it first.
    for leftover in (Path(f"{dest}-wal"), Path(f"{dest}-shm")):
        leftover.unlink(missing_ok=True)
    os.replace(source, dest)
    return dest
