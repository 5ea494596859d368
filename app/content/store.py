"""Sections in the project file: the `coplan_sections` table (schemas/sql/0002_content.sql).

Reads return `Content`; every write checks the owner (a party edits its own sections, a
coordinator any) and runs in one transaction. The content template a project was started from
is kept in the project's metadata, so the file alone says how its outputs are put together.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import sqlite_utils

from app.content.model import (
    Content,
    Links,
    Section,
    check_section_id,
    check_status,
)
from app.content.template import Template, child_id, default_template_path, parse_template
from app.errors import ConflictError, InvalidInput, NotFound, PermissionDenied, ProjectError
from app.model.feature import utc_now
from app.model.ids import uuid7
from app.project.project import Project

log = logging.getLogger(__name__)

TABLE = "coplan_sections"
TEMPLATE_META = "content_template"  # coplan_meta key: the template's JSON
SYSTEM = ("uuid", "owner", "created_by", "created_at", "modified_by", "modified_at")
FIELDS = ("section_id", "parent_id", "ord", "kind", "participants", "status", "title_zh",
          "title_en", "body_zh", "body_en", "links")
EDITABLE = ("title_zh", "title_en", "body_zh", "body_en", "status", "participants", "links")


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    inserted: int
    updated: int
    unchanged: int


def _select() -> str:
    return f"SELECT {', '.join(SYSTEM + FIELDS)} FROM {TABLE}"


def _to_section(row: tuple) -> Section:
    uuid, owner, _cby, _cat, mby, mat, sid, parent, ord_, kind, parts, status, tz, te, bz, be, links = row
    return Section(uuid=uuid, id=sid, parent=parent, ord=ord_, kind=kind, owner=owner,
                   title_zh=tz, title_en=te, body_zh=bz, body_en=be, status=status,
                   participants=tuple(p for p in parts.split(",") if p),
                   links=Links.from_json(json.loads(links)), modified_at=mat or "",
                   modified_by=mby or "")


def load_content(db: sqlite_utils.Database) -> Content:
    """Every section of the project as a tree."""
    return Content([_to_section(row) for row in db.execute(_select() + " ORDER BY fid")])


def get_section(db: sqlite_utils.Database, section_id: str) -> Section:
    """One section; NotFound otherwise."""
    row = db.execute(_select() + " WHERE section_id = ?", (section_id,)).fetchone()
    if row is None:
        raise NotFound(f"no section {section_id!r} in this project")
    return _to_section(row)


def project_template(project: Project) -> Template:
    """The template the project's content was started from; ProjectError if it has none.

    Content that arrived from the server (synced sections, no local template record) follows
    the bundled template."""
    text = project.meta(TEMPLATE_META)
    if not text:
        if not project.db.execute(f"SELECT 1 FROM {TABLE} LIMIT 1").fetchone():
            raise ProjectError(f"{project.path} has no content yet; start it with: "
                               f"coplan content init {project.path}")
        text = default_template_path().read_text(encoding="utf-8")
    return parse_template(json.loads(text), f"{project.path} content template")


def init_content(project: Project, raw: dict | None = None, *, at: str | None = None) -> int:
    """Start the project's content from a template's JSON (default: the bundled 1+8+5);
    returns how many sections were added (sections already present are kept as they are).

    `at` fixes the creation time (the sample content uses it to stay reproducible)."""
    if raw is None:
        raw = json.loads(default_template_path().read_text(encoding="utf-8"))
    template = parse_template(raw)
    with project.db.atomic():
        project.set_meta(TEMPLATE_META, json.dumps(raw, ensure_ascii=False, sort_keys=True))
        present = {r[0] for r in project.db.execute(f"SELECT section_id FROM {TABLE}")}
        added = [s for s in template.sections if s.id not in present]
        for s in added:
            _insert(project, s, at or utc_now())
    log.info("content of %s started from template %s: %d section(s) added",
             project.path, template.id, len(added))
    return len(added)


def _row(s: Section) -> tuple:
    return (s.id, s.parent, s.ord, s.kind, ",".join(s.participants), s.status, s.title_zh,
            s.title_en, s.body_zh, s.body_en, json.dumps(s.links.to_json(), ensure_ascii=False))


def _insert(project: Project, s: Section, at: str) -> None:
    names = SYSTEM + FIELDS
    values = (s.uuid, s.owner, project.author, at, project.author, at, *_row(s))
    project.db.execute(f"INSERT INTO {TABLE} ({', '.join(names)}) "
                       f"VALUES ({', '.join('?' * len(names))})", values)


def may_edit(section: Section, party: str, role: str) -> bool:
    """True when `party` in `role` may change the section: its own, or any for a coordinator."""
    return section.owner == party or role == "coordinator"


def _check_owner(project: Project, section: Section) -> None:
    if not may_edit(section, project.party, project.role):
        raise PermissionDenied(f"section {section.id} belongs to party {section.owner}; "
                               f"party {project.party} may not change it")


def update_section(project: Project, section_id: str, **changes) -> Section:
    """Change a section's titles, bodies, status, participants or links; the new section."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"cannot change {', '.join(sorted(unknown))} of a section "
                           f"(editable: {', '.join(EDITABLE)})")
    current = get_section(project.db, section_id)
    _check_owner(project, current)
    if "status" in changes:
        check_status(changes["status"])
    if isinstance(changes.get("links"), dict):
        changes["links"] = Links.from_json(changes["links"])
    updated = current.edited(**{k: tuple(v) if k == "participants" else v
                                for k, v in changes.items()})
    if updated.digest() != current.digest():
        _write(project, updated, utc_now())
    return get_section(project.db, section_id)


def _write(project: Project, s: Section, at: str) -> None:
    sets = ", ".join(f"{name} = ?" for name in FIELDS)
    with project.db.atomic():
        project.db.execute(f"UPDATE {TABLE} SET owner = ?, {sets}, modified_by = ?, "
                           "modified_at = ? WHERE uuid = ?",
                           (s.owner, *_row(s), project.author, at, s.uuid))


def add_section(project: Project, parent_id: str, kind: str, title_zh: str, title_en: str,
                body_zh: str = "", body_en: str = "") -> Section:
    """Add a child of a kind the parent's kind allows; its id is PARENT.KIND.N."""
    template = project_template(project)
    parent = get_section(project.db, parent_id)
    _check_owner(project, parent)
    if kind not in template.kind(parent.kind).children:
        raise InvalidInput(f"a {parent.kind} section cannot contain a {kind} section "
                           f"(allowed: {', '.join(template.kind(parent.kind).children) or 'none'})")
    siblings = load_content(project.db).children(parent_id)
    n = 1 + sum(1 for s in siblings if s.kind == kind)
    while child_id(parent_id, kind, n) in {s.id for s in siblings}:
        n += 1
    section = Section(uuid=uuid7(), id=check_section_id(child_id(parent_id, kind, n)),
                      parent=parent_id, ord=1 + max((s.ord for s in siblings), default=-1),
                      kind=kind, owner=parent.owner, title_zh=title_zh, title_en=title_en,
                      body_zh=body_zh, body_en=body_en)
    with project.db.atomic():
        _insert(project, section, utc_now())
    return get_section(project.db, section.id)


def delete_section(project: Project, section_id: str) -> None:
    """Delete a section without children that the template does not define."""
    section = get_section(project.db, section_id)
    _check_owner(project, section)
    if load_content(project.db).children(section_id):
        raise ConflictError(f"section {section_id} has sections under it; delete those first")
    if section_id in {s.id for s in project_template(project).sections}:
        raise ConflictError(f"section {section_id} is part of the content template")
    with project.db.atomic():
        project.db.execute(f"DELETE FROM {TABLE} WHERE uuid = ?", (section.uuid,))


def import_content(project: Project, template: Template, *, at: str | None = None) -> ImportReport:
    """Insert or update every section of a filled-in template (matched by section id).

    `at` fixes the edit time (the sample content uses it to stay reproducible)."""
    project_template(project)  # content must be started first: outputs need its rules
    at = at or utc_now()
    current = {s.id: s for s in load_content(project.db)}
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    with project.db.atomic():
        for s in template.sections:
            old = current.get(s.id)
            if old is None:
                _check_owner(project, s)
                _insert(project, s, at)
                counts["inserted"] += 1
            elif old.digest() != s.edited(owner=old.owner).digest():
                _check_owner(project, old)  # the owner stays: reassigning is not an edit
                _write(project, s.edited(uuid=old.uuid, owner=old.owner), at)
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
    return ImportReport(**counts)


def export_template(template: Template, sections) -> dict:
    """`sections` in the template format (nested), with `template`'s parties, kinds, outputs."""
    sections = list(sections)
    by_parent: dict[str | None, list[Section]] = {}
    ids = {s.id for s in sections}
    for s in sections:
        by_parent.setdefault(s.parent if s.parent in ids else None, []).append(s)
    return {"format": "coplan.content-template/v1", "id": template.id,
            "version": template.version, "title_zh": template.title_zh,
            "title_en": template.title_en,
            **({"notice_zh": template.notice_zh} if template.notice_zh else {}),
            **({"notice_en": template.notice_en} if template.notice_en else {}),
            "parties": [{"code": p.code, "type": p.type, "name_zh": p.name_zh,
                         "name_en": p.name_en} for p in template.parties.values()],
            "kinds": {k: {"name_zh": v.name_zh, "name_en": v.name_en,
                          "children": list(v.children), **({"lead": True} if v.lead else {})}
                      for k, v in template.kinds.items()},
            "outputs": {k: {"include": list(v.include),
                            **({"maps": list(v.maps)} if v.maps is not None else {})}
                        for k, v in template.outputs.items()},
            "sections": [_nested(s, by_parent) for s in by_parent.get(None, [])]}


def _nested(s: Section, by_parent: dict) -> dict:
    links = {k: v for k, v in s.links.to_json().items() if v}
    out: dict[str, object] = {"id": s.id, "kind": s.kind, "owner": s.owner, "status": s.status,
           "title_zh": s.title_zh, "title_en": s.title_en, "body_zh": s.body_zh,
           "body_en": s.body_en}
    if s.participants:
        out["participants"] = list(s.participants)
    if links:
        out["links"] = links
    children = sorted(by_parent.get(s.id, []), key=lambda c: (c.ord, c.id))
    if children:
        out["children"] = [_nested(c, by_parent) for c in children]
    return out


def export_content(project: Project) -> dict:
    """The project's content as a filled-in template (for review, editing and import)."""
    return export_template(project_template(project), load_content(project.db))
