"""The plan's text in the desktop: what the content panel and the publish dialog send to the DB
worker (load the sections, save one, build outputs, upload them), and the Qt-free draft of the
section being edited.

Writes go through `app.content.store.update_section`, which refuses sections of other parties;
`can_edit` mirrors that rule so the panel can show a section as read-only before anyone types.
Builds iterate `app.reports.build.iter_build`, so the worker reports progress and can stop
between steps; the PDFs are written on the worker, never on the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path

from app.content.anchors import locate
from app.content.model import PARAGRAPH_BREAK, Content, Section, paragraphs
from app.content.store import load_content, may_edit, project_template, update_section
from app.editing.events import Event
from app.editing.jobs import remote_for
from app.errors import CoplanError, ProjectError
from app.model.jobs import Job, Progress
from app.project.project import Project
from app.reports import client
from app.reports.build import DPI, Built, check_publish, iter_build, output_path, write_pdf
from app.reports.edition import KINDS, next_version, record
from app.sync.client import Remote
from app.sync.credentials import token_for
from app.sync.replica import remote_of

log = logging.getLogger(__name__)

TEXT_FIELDS = ("title_zh", "title_en", "body_zh", "body_en")
DRAFT_FIELDS = (*TEXT_FIELDS, "status", "participants")  # what the editor changes
# The server's rule (app.reports.registry.UPLOADERS, a test keeps them equal); the registry
# module is server code, so the desktop only copies the rule to grey out the button early.
UPLOADERS = ("publisher", "coordinator")


can_edit = may_edit  # the store's owner rule, shown by the panel before a write is refused


def missing_fields(values: dict) -> tuple[str, ...]:
    """The titles and bodies (of TEXT_FIELDS) that are empty: a missing translation."""
    return tuple(name for name in TEXT_FIELDS if not str(values.get(name) or "").strip())


def section_values(section: Section) -> dict:
    """The editable values of a stored section."""
    return {name: getattr(section, name) for name in DRAFT_FIELDS}


def clause_position(body: str, paragraph: str, offset: int, quote: str) -> int | None:
    """Where words selected in a rendered paragraph (at `offset` in it) stand in the plain-text
    body, as a clause anchor's position; None when the quote is not in the body."""
    if not quote.strip():
        return None
    return locate(body, quote, paragraph_start(body, paragraph) + max(offset, 0))


def paragraph_start(body: str, paragraph: str) -> int:
    """Offset in `body` of the paragraph that renders as `paragraph` (0 if none does)."""
    start = 0
    for brk in [*PARAGRAPH_BREAK.finditer(body), None]:
        end = brk.start() if brk else len(body)
        raw = body[start:end]
        if paragraphs(raw) == [paragraph]:  # rendering joins a paragraph's inner lines
            return start + len(raw) - len(raw.lstrip())
        start = brk.end() if brk else end
    return 0


# --- loading --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ContentData:
    """What the content panel shows: the sections, names from the template, who looks."""

    content: Content
    party: str
    role: str
    parties: dict[str, tuple[str, str]] = field(default_factory=dict)  # code -> (zh, en)
    kinds: dict[str, tuple[str, str]] = field(default_factory=dict)  # kind -> (zh, en)
    started: bool = True  # False: the project has no content yet (`coplan content init`)

    def editable(self, section: Section) -> bool:
        return can_edit(section, self.party, self.role)

    def party_name(self, code: str, lang: str = "zh") -> str:
        names = self.parties.get(code)
        return code if names is None else names[0 if lang == "zh" else 1]

    def kind_name(self, kind: str, lang: str = "zh") -> str:
        names = self.kinds.get(kind)
        return kind if names is None else names[0 if lang == "zh" else 1]


def load_content_data(project: Project) -> ContentData:
    """Every section of the project with the template's party and kind names."""
    try:
        template = project_template(project)
    except ProjectError:  # no sections yet: not an error for the panel, a hint to start
        return ContentData(Content([]), project.party, project.role, started=False)
    return ContentData(load_content(project.db), project.party, project.role,
                       {c: (p.name_zh, p.name_en) for c, p in template.parties.items()},
                       {k: (v.name_zh, v.name_en) for k, v in template.kinds.items()})


# --- editing --------------------------------------------------------------------------------

class SectionDraft:
    """One section being edited: the stored section and the values typed since.

    Events: value_changed(name, value) when a value changes other than by `set` from the UI
    (revert, a save or undo landing), state_changed() after any change (dirty, missing)."""

    def __init__(self, section: Section, read_only: bool = False) -> None:
        self.section, self.read_only = section, read_only
        self.values = section_values(section)
        self.value_changed = Event()
        self.state_changed = Event()

    @property
    def dirty(self) -> bool:
        return bool(self.changes())

    def changes(self) -> dict:
        """The typed values that differ from the stored section."""
        saved = section_values(self.section)
        return {k: v for k, v in self.values.items() if saved[k] != v}

    def missing(self) -> tuple[str, ...]:
        return missing_fields(self.values)

    def set(self, name: str, value) -> None:
        """UI -> model: a typed value (ignored when read-only)."""
        value = tuple(value) if name == "participants" else value
        if self.read_only or self.values.get(name) == value:
            return
        self.values[name] = value
        self.state_changed.emit()

    def revert(self) -> None:
        """Back to the stored section (the editors follow by value_changed)."""
        self._show(section_values(self.section), self.changes())

    def replace_section(self, section: Section) -> None:
        """The stored section changed (a save or an undo landed, a pull): take it as the new
        baseline; values typed meanwhile are kept, the others follow the stored ones."""
        before, after = section_values(self.section), section_values(section)
        untouched = {k for k, v in self.values.items() if v == before[k]}
        self.section = section
        self._show(after, untouched)

    def _show(self, values: dict, names) -> None:
        for name in names:
            if self.values[name] != values[name]:
                self.values[name] = values[name]
                self.value_changed.emit(name, values[name])
        self.state_changed.emit()


@dataclass
class SaveSection:
    """Store changed values of one section; undo stores the values they replaced."""

    section_id: str
    before: dict  # the stored values of the changed fields
    after: dict

    @classmethod
    def of(cls, draft: SectionDraft) -> SaveSection:
        changes = draft.changes()
        saved = section_values(draft.section)
        return cls(draft.section.id, {k: saved[k] for k in changes}, changes)

    def text(self, lang: str) -> str:
        return f"保存章节 {self.section_id}" if lang == "zh" else f"Save section {self.section_id}"

    def do(self, project: Project) -> Section:
        return update_section(project, self.section_id, **self.after)

    def undo(self, project: Project) -> Section:
        return update_section(project, self.section_id, **self.before)


# --- publishing -----------------------------------------------------------------------------

@dataclass(frozen=True)
class PublishInfo:
    """What the publish dialog offers: next versions, and whether this login may upload."""

    versions: dict[str, int]  # kind -> next version (this project's record and the server's)
    server: str | None = None  # URL of the project's server; None: not synced with one
    role: str | None = None  # the login's role on that server; None: unknown
    problem: str = ""  # why the role is unknown (no server, offline, not logged in)

    @property
    def can_publish(self) -> bool:
        return self.role in UPLOADERS


def publish_info(project: Project) -> PublishInfo:
    """Next version of each output and the login's role on the project's server."""
    local = {kind: next_version(project, kind) for kind in KINDS}
    try:
        url, pid = remote_of(project)
    except ProjectError as exc:
        return PublishInfo(local, problem=exc.message)
    remote = Remote(url, token_for(url), retries=0, timeout=(3.0, 20.0))  # a quick look only
    try:
        role = remote.project(pid)["role"]
        records = client.list_editions(remote, pid)
    except CoplanError as exc:
        return PublishInfo(local, url, problem=exc.message)
    on_server = {kind: max((r["version"] for r in records if r["kind"] == kind), default=0)
                 for kind in KINDS}
    return PublishInfo({k: max(v, on_server[k] + 1) for k, v in local.items()}, url, role)


@dataclass(frozen=True)
class OutputProgress:
    """A step of one output's build, and which of the outputs being built it is."""

    kind: str
    number: int  # 1-based
    count: int
    step: Progress


@dataclass(frozen=True)
class BuiltOutput:
    """A built output and where its PDF was written."""

    kind: str
    path: str
    built: Built  # keeps the PDF bytes for an upload

    @property
    def version(self) -> int:
        return self.built.edition.version


# Share of an output's build each stage ends at: maps take about half, the layout the rest.
STAGE_SPANS = {"read": (0.0, 0.05), "map": (0.05, 0.55), "compose": (0.55, 0.6),
               "layout": (0.6, 1.0)}


def overall_fraction(progress: OutputProgress) -> float:
    """How far the whole build is (0–1), from a step of one of its outputs."""
    start, end = STAGE_SPANS.get(progress.step.stage, (0.0, 1.0))
    step = progress.step
    within = min(step.done / step.total, 1.0) if step.total else 0.0
    return (progress.number - 1 + start + (end - start) * within) / max(progress.count, 1)


def output_name(kind: str, version: int) -> str:
    """The file name of an output in the chosen folder."""
    return f"coplan-{kind}-v{version}.pdf"


def build_outputs(project: Project, versions: dict[str, int], folder: str,
                  dpi: int = DPI) -> Generator[OutputProgress, None, list[BuiltOutput]]:
    """Build each output at its version and write its PDF into `folder`, as steps."""
    if not versions:
        raise CoplanError("choose at least one output to build")
    out_dir = Path(folder)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CoplanError(f"cannot create {out_dir}: {exc.strerror or exc}") from exc
    results = []
    for number, (kind, version) in enumerate(versions.items(), 1):
        built = yield from _forward(iter_build(project, kind, version, dpi=dpi), kind, number,
                                    len(versions))
        path = write_pdf(built, output_path(built.edition,
                                            out_dir / output_name(kind, built.edition.version)))
        log.info("built %s v%d: %s", kind, built.edition.version, path)
        results.append(BuiltOutput(kind, str(path), built))
    return results


def _forward(job: Job[Built], kind: str, number: int, count: int):
    try:
        while True:
            try:
                step = next(job)
            except StopIteration as stop:
                return stop.value
            yield OutputProgress(kind, number, count, step)
    finally:
        job.close()  # a cancel closes us mid-build: stop the build's layout thread too


def publish_outputs(project: Project, outputs: list[BuiltOutput]) -> Job[list[dict]]:
    """Upload built outputs to the project's server and record each (as steps)."""
    remote, pid = remote_for(project)
    published = client.list_editions(remote, pid)
    for output in outputs:  # every check first: a refusal uploads none of them
        check_publish(project, output.built.edition, published)
    records = []
    for n, output in enumerate(outputs):
        yield Progress("upload", n, len(outputs), f"{output.kind} v{output.version}")
        built = output.built
        records.append(client.upload(remote, pid, built))
        record(project, built.edition, built.sha256, len(built.pdf), remote.url)
    return records
