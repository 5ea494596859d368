"""Bring a project file made with an older layer catalogue up to the bundled one.

A new catalogue version only adds: layers, and fields of existing layers (tests/project/
test_upgrade.py checks it against the previous version, kept as a fixture). A file made before
lacks them, so opening it adds them: new layers as `create_layer` makes them (table, geometry,
spatial index, change tracking), new fields as NULL columns of the layer table and of its
`coplan_base_<L>` copy, with what lists a layer's columns brought up to date (the capture and
derive triggers, the committed checksums, shadow rows), so pending changes, audits and sync
see the same columns as in a new file. Adding is idempotent and happens in one transaction: a
failure leaves the file as it was. No feature changes, so nothing is captured as an edit.

Sync across versions: a replica still on an older catalogue cannot apply data that uses a new
layer or field; `refuse_unknown` says so, naming them, before anything is applied.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, replace

import sqlite_utils

from app.errors import NotFound, ProjectError, ReadOnlyProject
from app.model.catalogue import Catalogue, Field, Layer
from app.model.changes import Change
from app.model.feature import utc_now
from app.model.tables import tracked_layer
from app.project import integrity, storage, tracking
from app.project.layers import SQL_TYPES, create_layer
from app.project.sql import ident

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upgrade:
    """What a project file lacks of a catalogue."""

    catalogue_version: str
    layers: tuple[str, ...] = ()  # layer codes to create
    columns: tuple[tuple[str, str], ...] = ()  # (table, field): the layer's or its base table's

    @property
    def changed(self) -> bool:
        return bool(self.layers or self.columns)


def _columns(db: sqlite_utils.Database, table: str) -> set[str] | None:
    """Upper-case column names of `table`, or None when there is no such table."""
    rows = db.execute(f"PRAGMA table_info({ident(table)})").fetchall()
    return {row[1].upper() for row in rows} if rows else None


def _all_columns(db: sqlite_utils.Database) -> dict[str, set[str]]:
    """Upper-case column names of every table (by lower-case table name), in one query."""
    out: dict[str, set[str]] = {}
    for table, name in db.execute("SELECT m.name, p.name FROM sqlite_master m, "
                                  "pragma_table_info(m.name) p WHERE m.type = 'table'"):
        out.setdefault(table.lower(), set()).add(name.upper())
    return out


def pending(db: sqlite_utils.Database, catalogue: Catalogue) -> Upgrade:
    """What the file lacks of `catalogue`, without writing anything."""
    present = {row[0] for row in db.execute("SELECT code FROM coplan_layers")}
    tables = _all_columns(db)
    layers, columns = [], []
    for layer in catalogue.layers:
        if layer.code not in present:
            if tables.get(layer.table_name.lower()) is not None:
                raise ProjectError(
                    f"the project has a table {layer.table_name} that is not CoPlan's layer "
                    f"{layer.code} ({layer.name_en}); rename that table to open the project")
            layers.append(layer.code)
            continue
        for table in (layer.table_name, tracking.base_table(layer)):
            have = tables.get(table.lower())
            if have is None:
                continue  # a missing base table is the integrity audit's to restore
            columns += [(table, f.name) for f in layer.fields if f.name.upper() not in have]
    return Upgrade(catalogue.version, tuple(layers), tuple(columns))


def upgrade_catalogue(db: sqlite_utils.Database, catalogue: Catalogue, *,
                      read_only: str | None = None) -> Upgrade:
    """Add the layers and fields of `catalogue` the file lacks (none: nothing is written).
    A read-only file lacking fields cannot be read safely: ReadOnlyProject says why."""
    todo = pending(db, catalogue)
    if not todo.changed:
        return todo
    if read_only:
        if todo.columns:
            raise ReadOnlyProject(f"the project needs new catalogue fields ({_names(todo)}) but "
                                  f"is read-only: {read_only}")
        return todo  # layers it lacks are simply not shown
    with db.atomic():
        for code in todo.layers:
            create_layer(db, catalogue.layer(code))
            db.execute("INSERT INTO coplan_layers VALUES (?, ?, ?)", (code, catalogue.version, utc_now()))
        for code in dict.fromkeys(_code(table) for table, _ in todo.columns):
            _add_fields(db, catalogue.layer(code))
        db.execute("INSERT INTO coplan_meta VALUES ('catalogue_version', ?) ON CONFLICT (key) "
                   "DO UPDATE SET value = excluded.value", (catalogue.version,))
    log.info("upgraded the project to catalogue %s: layers %s, fields %s", catalogue.version,
             ", ".join(todo.layers) or "none", _names(todo) or "none")
    return todo


def _names(todo: Upgrade) -> str:
    return ", ".join(sorted({f"{table}.{name}" for table, name in todo.columns
                             if not table.startswith("coplan_base_")}))


def _code(table: str) -> str:
    """The layer code of a layer table or of its base copy."""
    return table.removeprefix("coplan_base_")


def _add_fields(db: sqlite_utils.Database, layer: Layer) -> None:
    """NULL columns for the fields the layer table and/or its base copy lack, and what lists
    the layer's columns brought up to date: triggers, checksums, shadow rows."""
    have = _columns(db, layer.table_name) or set()
    before = replace(layer, fields=tuple(f for f in layer.fields if f.name.upper() in have))
    for table in (layer.table_name, tracking.base_table(layer)):
        present = _columns(db, table)
        if present is None:
            continue
        for field in layer.fields:
            if field.name.upper() not in present:
                _add_column(db, table, field)
    if before.fields == layer.fields:
        return  # only the base copy lacked columns
    # The copy-on-write capture triggers list every column; the derive triggers the derived ones.
    integrity.install_all(db, layer)
    _refresh_checksums(db, before, layer)
    for field in layer.fields:
        if field not in before.fields:
            _add_to_shadow(db, layer, field.name)


def _add_column(db: sqlite_utils.Database, table: str, field: Field) -> None:
    db.execute(f"ALTER TABLE {ident(table)} ADD COLUMN {ident(field.name)} {SQL_TYPES[field.type]}")


def _refresh_checksums(db: sqlite_utils.Database, before: Layer, layer: Layer) -> None:
    """Committed checksums cover every tracked column: a feature whose checksum matched its
    committed row before gets the checksum of that row with the new (NULL) columns, so an
    audit does not take the upgrade for writes made outside CoPlan. A mismatch stays one."""
    sums = storage.sum_table(layer)
    if _columns(db, sums) is None:
        return  # the file has no checksums yet: storage.upgrade computes them afterwards
    # The committed row: the old copy of a touched feature, else its row in the layer table.
    for source, extra in ((tracking.base_table(layer), ""),
                          (layer.table_name, f" AND uuid NOT IN (SELECT uuid FROM "
                                             f"{ident(tracking.base_table(layer))})")):
        old, new = (storage.checksum_sql(lay, "c") for lay in (before, layer))
        row = f"FROM {ident(source)} c WHERE c.uuid = s.uuid"
        db.execute(f"UPDATE {ident(sums)} AS s SET sum = (SELECT {new} {row}) "
                   f"WHERE sum = (SELECT {old} {row}){extra}")


def _add_to_shadow(db: sqlite_utils.Database, layer: Layer, name: str) -> None:
    """Shadow rows hold a feature's tracked columns as the server had them: the new column was
    NULL there too, and readers expect every tracked column."""
    db.execute("UPDATE coplan_shadow SET row = json_set(row, ?, NULL) WHERE layer = ? AND "
               "row IS NOT NULL AND json_type(row, ?) IS NULL",
               (f"$.{name}", layer.code, f"$.{name}"))


# --- data from a newer catalogue ---------------------------------------------------------------


class NewerCatalogue(ProjectError):
    """Changes naming layers or fields this CoPlan's catalogue lacks: CoPlan must be updated."""


def unknown_to(catalogue: Catalogue, changes: Iterable[Change]) -> list[str]:
    """The layers ("ZRBHD") and fields ("LSWHJQ.PZRQ") the changes name that `catalogue` lacks."""
    unknown: set[str] = set()
    for change in changes:
        try:
            layer = tracked_layer(catalogue, change.layer)
        except NotFound:
            unknown.add(change.layer)
            continue
        known = set(tracking.tracked_columns(layer))
        unknown.update(f"{layer.code}.{name}" for name in change.cols if name not in known)
    return sorted(unknown)


def refuse_unknown(catalogue: Catalogue, changes: Iterable[Change], source: str) -> None:
    """NewerCatalogue when the changes from `source` (e.g. "server version 12") name layers or
    fields `catalogue` lacks: applying them would lose those values or fail half-way."""
    unknown = unknown_to(catalogue, changes)
    if unknown:
        raise NewerCatalogue(f"{source} uses {', '.join(unknown)}, which this CoPlan's layer "
                             f"catalogue ({catalogue.version}) does not have: update CoPlan, "
                             "then sync again")
