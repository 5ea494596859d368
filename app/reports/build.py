"""Building an output: a job (a generator yielding progress) from an open project to PDF bytes.

    built = build(project, "policy")            # runs the job to the end
    for progress in (job := iter_build(...)):   # a GUI worker iterates and forwards progress

Same project content, same version → byte-identical PDF.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from app.errors import CoplanError, InvalidInput
from app.model.jobs import Job, Progress, drive
from app.project.project import Project
from app.reports import onemap, outputs
from app.reports.compose import Composer
from app.reports.document import EditionDoc, PageInfo, PdfMeta, cover_band, iter_layout
from app.reports.edition import KINDS, Edition, Inputs, edition_for, next_version, read_inputs
from app.reports.maps import MapSpec, render

log = logging.getLogger(__name__)

DPI = 150  # map resolution for print; tests pass less


@dataclass(frozen=True)
class Built:
    """A finished output."""

    edition: Edition
    pdf: bytes
    pages: int
    maps: int
    bad_lines: tuple[str, ...]  # lines that broke a Chinese line-breaking rule (expected none)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def build(project: Project, kind: str, version: int | None = None, *, dpi: int = DPI) -> Built:
    """Build output `kind` of `project` (default version: the next unpublished one)."""
    return drive(iter_build(project, kind, version, dpi=dpi))


def iter_build(project: Project, kind: str, version: int | None = None, *,
               dpi: int = DPI) -> Job[Built]:
    """The build as a job: reading, each map, composing and each layout pass report progress."""
    if kind not in KINDS:
        raise InvalidInput(f"output kind must be one of {', '.join(KINDS)}, not {kind!r}")
    yield Progress("read", 0, 0, "reading the project")
    inputs = read_inputs(project)
    version = next_version(project, kind) if version is None else version
    edition = edition_for(inputs, kind, version)
    specs = _specs(inputs, kind)
    maps = {}
    for n, spec in enumerate(specs):
        yield Progress("map", n, len(specs), f"map {spec.key}")
        maps[spec.key] = render(spec, inputs.data, dpi)
    if kind == "onemap":
        return (yield from _iter_poster(inputs, edition, maps, specs[0]))
    composer = Composer(inputs, edition, maps, {s.key: s for s in specs}, outputs.FRAME_MM * mm)
    story = yield from _iter_story(composer, kind)
    doc = _document(inputs, edition)
    pdf = yield from iter_layout(doc, story)
    _warn(doc.bad_lines)
    return Built(edition, pdf, doc.pages, len(maps), tuple(doc.bad_lines))


def _specs(inputs: Inputs, kind: str) -> list[MapSpec]:
    if kind != "onemap":
        return outputs.map_specs(inputs, kind)
    rule = inputs.template.output("onemap")
    drawn = [s for s in inputs.content if rule.draws_map(s)]
    if not drawn:
        raise CoplanError("the one map needs a section with map layers (the template's "
                          "onemap rule names which)")
    return [onemap.map_spec(drawn[0], outputs.focus_of(inputs, drawn[0]))]


def _iter_story(c: Composer, kind: str) -> Job[list]:
    yield Progress("compose", 0, 0, "composing")
    if kind == "policy":
        return (yield from outputs.iter_policy(c))
    return outputs.release_story(c) if kind == "release" else outputs.reader_story(c)


def _info(inputs: Inputs, edition: Edition) -> tuple[PageInfo, PdfMeta]:
    t = inputs.template
    notice = "示例内容 Sample content" if t.notice_zh else ""
    page = PageInfo(f"{t.title_zh} · {edition.name_zh}", edition.label(), notice)
    meta = PdfMeta(title=f"{t.title_zh} {edition.name_zh} 第{edition.version}版",
                   author=edition.publisher_name,
                   subject=f"{t.title_en} — {edition.name_en}, version {edition.version}",
                   keywords=f"coplan:{edition.kind}:v{edition.version} content:{edition.content_hash}"
                            f" data:v{edition.base_version}:{edition.layers_hash}",
                   date=edition.date)
    return page, meta


def _document(inputs: Inputs, edition: Edition, pagesize=A4) -> EditionDoc:
    page, meta = _info(inputs, edition)
    return EditionDoc(page, meta, pagesize, cover=cover_band())


def _iter_poster(inputs: Inputs, edition: Edition, maps: dict, spec: MapSpec) -> Job[Built]:
    """The one map at the largest text size that fits one page."""
    page, meta = _info(inputs, edition)
    for scale in onemap.SCALES:
        doc = EditionDoc(page, meta, onemap.PAGE)
        doc.pageTemplates = []  # the poster page only
        doc.addPageTemplates([onemap.poster_page(doc)])
        c = Composer(inputs, edition, maps, {spec.key: spec}, onemap.PAGE[0], scale)
        pdf = yield from iter_layout(doc, onemap.story(c, spec))
        if doc.pages == 1:
            _warn(doc.bad_lines)
            return Built(edition, pdf, 1, 1, tuple(doc.bad_lines))
        log.debug("one map at text scale %.2f needs %d pages; smaller", scale, doc.pages)
    raise CoplanError("the one map's text does not fit one A1 page even at the smallest size; "
                      "shorten the vision, goals or project lists")


def _warn(bad_lines: list[str]) -> None:
    for line in bad_lines:
        log.warning("line starts with a character that may not begin a line: %r", line[:20])


def write_pdf(built: Built, path: str | Path) -> Path:
    """Write the PDF atomically (a temporary file renamed into place)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(built.pdf)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise CoplanError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path
