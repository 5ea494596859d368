"""Read the layers the analysis needs from one or several projects (the only I/O of the engine).

Several projects make the merged metro state: shared features appear in every party's copy,
so features are merged by UUID, and the copy in the owner's own project wins because the
owner is the one who edits it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from pathlib import Path

from app.analysis.dataset import Dataset, LayerData
from app.errors import NotFound
from app.model.feature import Feature
from app.model.jobs import Job, Progress, drive
from app.project.features import iter_features
from app.project.project import Project

log = logging.getLogger(__name__)


def read_layer(projects: Sequence[Project], code: str) -> LayerData:
    """Layer `code` merged across `projects` by UUID, owners' copies first; sorted by UUID."""
    chosen: dict[str, Feature] = {}
    for project in projects:
        for feature in _features(project, code):
            if feature.uuid not in chosen or feature.owner == project.party:
                chosen[feature.uuid] = feature
    # Sorted so results do not depend on which project was named first.
    return LayerData.from_features(code, (chosen[u] for u in sorted(chosen)))


def _features(project: Project, code: str) -> Iterator[Feature]:
    try:
        yield from iter_features(project, code)
    except NotFound:  # an older catalogue without this layer: nothing to read
        log.info("%s has no layer %s", project.path, code)


def read_dataset(projects: Sequence[Project], codes: Iterable[str]) -> Dataset:
    """Every layer of `codes` from `projects`."""
    layers = {code: read_layer(projects, code) for code in sorted(set(codes))}
    return Dataset(layers, tuple(sorted({p.party for p in projects})))


def iter_read(paths: Sequence[str | Path], codes: Iterable[str]) -> Job[Dataset]:
    """Open `paths` and read `codes` layer by layer, yielding progress; returns the Dataset."""
    codes = sorted(set(codes))
    with ExitStack() as stack:
        projects = [stack.enter_context(Project.open(path)) for path in paths]
        layers = {}
        for done, code in enumerate(codes):
            yield Progress("read", done, len(codes), f"reading {code}")
            layers[code] = read_layer(projects, code)
        return Dataset(layers, tuple(sorted({p.party for p in projects})))


def load(paths: Sequence[str | Path], codes: Iterable[str]) -> Dataset:
    """`iter_read` run to the end."""
    return drive(iter_read(paths, codes))
