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
from app.reports.metadata import production_of
from app.reports.safeguards import (
    PARTIAL_MARK_EN,
    PARTIAL_MARK_ZH,
    NothingToBuild,
    NotPublishable,
    check_not_empty,
    check_publishable,
    check_scope,
    check_version_free,
    empty_maps,
    sync_state,
)

log = logging.getLogger(__name__)

DPI = 150  # map resolution for print; tests pass less
PARTIAL_KEYWORD = "coplan:partial-draft"  # in the PDF's keywords; the registry refuses such files


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


def build(project: Project, kind: str, version: int | None = None, *, dpi: int = DPI,
          partial: bool | None = None) -> Built:
    """Build output `kind` of `project` (default version: the next unpublished one)."""
    return drive(iter_build(project, kind, version, dpi=dpi, partial=partial))


def iter_build(project: Project, kind: str, version: int | None = None, *, dpi: int = DPI,
               partial: bool | None = None, publish: list[dict] | None = None) -> Job[Built]:
    """The build as a job: reading, each map, composing and each layout pass report progress.

    `partial`: for one party's copy, False refuses (PartialProject), True or None build a
    partial draft marked on every page. `publish`: the server's edition records; the edition
    is checked to be publishable (app.reports.safeguards) before anything is drawn."""
    if kind not in KINDS:
        raise InvalidInput(f"output kind must be one of {', '.join(KINDS)}, not {kind!r}")
    yield Progress("read", 0, 0, "reading the project")
    inputs = read_inputs(project)
    scope = check_scope(inputs, partial)
    version = next_version(project, kind) if version is None else version
    sync = sync_state(project)
    edition = edition_for(inputs, kind, version, partial=scope.partial,
                          data_local=sync.data_local)
    check_not_empty(inputs, kind)
    specs = _specs(inputs, kind)
    if publish is not None:
        yield Progress("check", 0, 0, "checking the edition can be published")
        check_publishable(inputs, kind, specs, sync)
        check_version_free(publish, edition)
    if kind == "onemap":  # its one map is drawn with the poster's own layers and labels
        yield Progress("map", 0, 1, f"map {specs[0].key}")
        return (yield from _iter_poster(inputs, edition, specs[0], dpi))
    maps = {}
    for n, spec in enumerate(specs):
        yield Progress("map", n, len(specs), f"map {spec.key}")
        maps[spec.key] = render(spec, inputs.data, dpi)
    composer = Composer(inputs, edition, maps, {s.key: s for s in specs}, outputs.FRAME_MM * mm)
    story = yield from _iter_story(composer, kind)
    doc = _document(inputs, edition)
    pdf = yield from iter_layout(doc, story)
    _warn(doc.bad_lines)
    return Built(edition, pdf, doc.pages, len(maps), tuple(doc.bad_lines))


def check_publish(project: Project, edition: Edition, records: list[dict]) -> None:
    """For a publish step after a separate build (the desktop's): the checks of `iter_build(...,
    publish=records)` against the project as it is now, and that the edition was built from it."""
    inputs = read_inputs(project)
    check_publishable(inputs, edition.kind, _specs(inputs, edition.kind), sync_state(project))
    check_version_free(records, edition)
    now = edition_for(inputs, edition.kind, edition.version)
    if (now.content_hash, now.layers_hash, now.base_version) != (
            edition.content_hash, edition.layers_hash, edition.base_version):
        raise NotPublishable(f"{edition.kind} version {edition.version} was built from content "
                             f"that has changed since; build it again before publishing")


def _specs(inputs: Inputs, kind: str) -> list[MapSpec]:
    if kind != "onemap":
        return outputs.map_specs(inputs, kind)
    rule = inputs.template.output("onemap")
    drawn = [s for s in inputs.content if rule.draws_map(s)]
    if not drawn:
        raise CoplanError("the one map needs a section with map layers (the template's "
                          "onemap rule names which)")
    spec = onemap.map_spec(drawn[0], outputs.focus_of(inputs, drawn[0]))
    if empty_maps(inputs, [spec]):
        raise NothingToBuild("the one map has nothing to draw: none of its layers has a "
                             "feature in this project")
    return [spec]


def _iter_story(c: Composer, kind: str) -> Job[list]:
    yield Progress("compose", 0, 0, "composing")
    if kind == "policy":
        return (yield from outputs.iter_policy(c))
    return outputs.release_story(c) if kind == "release" else outputs.reader_story(c)


def _info(inputs: Inputs, edition: Edition) -> tuple[PageInfo, PdfMeta]:
    t = inputs.template
    notice = "示例内容 Sample content" if t.notice_zh else ""
    page = PageInfo(f"{t.title_zh} · {edition.name_zh}", edition.label(), notice,
                    mark=partial_mark(edition))
    draft_zh, draft_en = ("（部分草稿）", " (partial draft)") if edition.partial else ("", "")
    meta = PdfMeta(title=f"{t.title_zh} {edition.name_zh} 第{edition.version}版{draft_zh}",
                   author=edition.publisher_name,
                   subject=f"{t.title_en} — {edition.name_en}, version {edition.version}{draft_en}",
                   keywords=f"coplan:{edition.kind}:v{edition.version} content:{edition.content_hash}"
                            f" data:v{edition.base_version}:{edition.layers_hash}"
                            + (f" {PARTIAL_KEYWORD}" if edition.partial else "")
                            + (" data:local" if edition.data_local else ""),
                   date=edition.date)
    return page, meta


def partial_mark(edition: Edition) -> str:
    """The mark on every page of a partial draft ("" for a whole edition); bilingual in the
    reader."""
    if not edition.partial:
        return ""
    return f"{PARTIAL_MARK_ZH} {PARTIAL_MARK_EN}" if edition.kind == "reader" else PARTIAL_MARK_ZH


def output_path(edition: Edition, path: str | Path) -> Path:
    """Where to write an edition: a partial draft's file name says so ("-partial" added)."""
    path = Path(path)
    if edition.partial and "partial" not in path.name.lower():
        path = path.with_name(f"{path.stem}-partial{path.suffix or '.pdf'}")
    return path


def _document(inputs: Inputs, edition: Edition, pagesize=A4) -> EditionDoc:
    page, meta = _info(inputs, edition)
    return EditionDoc(page, meta, pagesize, cover=cover_band(),
                      production=production_of(inputs, edition))


def _iter_poster(inputs: Inputs, edition: Edition, spec: MapSpec, dpi: int) -> Job[Built]:
    """The one map at the largest text size that fits one page."""
    page, meta = _info(inputs, edition)
    for scale in onemap.SCALES:
        doc = EditionDoc(page, meta, onemap.PAGE, production=production_of(inputs, edition))
        doc.pageTemplates = []  # the poster page only
        doc.addPageTemplates([onemap.poster_page(doc)])
        c = Composer(inputs, edition, {}, {spec.key: spec}, onemap.PAGE[0], scale)
        pdf = yield from iter_layout(doc, onemap.story(c, spec, dpi))
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
