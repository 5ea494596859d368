"""The domain operations both stores run as the same SQL: written once with `?` placeholders,
turned into `%s` for PostgreSQL. Each store's session (sqlite_store.SqliteSession,
pg_store.PgSession) adds what differs: how a feature's state is kept (one JSON text, or PostGIS
geometry and jsonb), locks, bulk statements and the values JSON columns take."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from app.sync.server.store import (
    ADDED_COLUMNS,
    BOOL_COLUMNS,
    COLUMNS,
    JSON_COLUMNS,
    ProjectRow,
    dumps,
)

VERSION_KEYS = ("version", "changeset", "kind", "party", "author", "message", "created",
                "base_version", "username", "forced")
CLASH_KEYS = ("id", "layer", "uuid", "kind", "cells", "reason", "server_row", "status",
              "version", "changeset", "party")
EVENT = "id, version, kind, round, party, username, at, data"
ATTACHMENT = ("project", "id", "party", "username", "name", "media_type", "size", "sha256",
              "created")
CLASH_FIELDS = ("cells", "server_row", "status", "resolution", "resolved_by", "resolved_version")


def _json(value):
    """A JSON column's value: text is parsed (SQLite, and text columns of PostgreSQL), jsonb
    arrives parsed."""
    return json.loads(value) if isinstance(value, str) else value


class SqlSession:
    """One transaction on a DB-API connection `db` (sqlite3 or psycopg)."""

    PARAM = "?"
    LOCK = ""  # appended to the project's SELECT when a write locks it
    NO_LIMIT: int | None = -1  # what LIMIT takes for "no limit"

    def __init__(self, db):
        self.db = db

    # --- what differs ---------------------------------------------------------------------

    def _sql(self, sql: str) -> str:
        return sql if self.PARAM == "?" else sql.replace("?", self.PARAM)

    def _x(self, sql: str, params=()):
        return self.db.execute(self._sql(sql), params)

    def _one(self, sql: str, params=()):
        return self._x(sql, params).fetchone()

    def _all(self, sql: str, params=()):
        return self._x(sql, params).fetchall()

    def _many(self, sql: str, rows: Iterable[tuple]) -> None:
        raise NotImplementedError

    def _json_param(self, table: str, column: str, value):
        """A value for a JSON column of `table`."""
        return None if value is None else dumps(value)

    def _stream(self, sql: str) -> Iterator[tuple]:
        """The rows of a query, fetched a batch at a time."""
        yield from self._x(sql)

    # --- projects, parties, users, memberships, tokens ------------------------------------

    def project(self, project: str, lock: bool = False) -> ProjectRow | None:
        row = self._one("SELECT id, name, head, schema_version, shared_layers FROM projects "
                        "WHERE id = ?" + (self.LOCK if lock else ""), (project,))
        return ProjectRow(row[0], row[1], row[2], row[3], _json(row[4])) if row else None

    def insert_project(self, row: ProjectRow, created: str) -> None:
        self._x("INSERT INTO projects (id, name, created, head, schema_version, shared_layers) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (row.id, row.name, created, row.head, row.schema_version,
                 self._json_param("projects", "shared_layers", row.shared_layers)))

    def parties(self, project: str) -> list[tuple[str, str, str]]:
        return [tuple(r) for r in self._all("SELECT code, name, type FROM parties WHERE "
                                            "project = ? ORDER BY code", (project,))]

    def put_party(self, project: str, code: str, name: str, kind: str) -> None:
        self._x("INSERT INTO parties (project, code, name, type) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (project, code) DO UPDATE SET name = excluded.name, "
                "type = excluded.type", (project, code, name, kind))

    def user(self, name: str) -> tuple[str | None, bool] | None:
        row = self._one("SELECT password_hash, disabled FROM users WHERE name = ?", (name,))
        return (row[0], bool(row[1])) if row else None

    def insert_user(self, name: str, password_hash: str | None, created: str) -> None:
        self._x("INSERT INTO users (name, password_hash, created) VALUES (?, ?, ?)",
                (name, password_hash, created))

    def put_membership(self, project: str, user: str, party: str, role: str) -> None:
        self._x("INSERT INTO memberships (project, username, party, role) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (project, username) DO UPDATE SET party = excluded.party, "
                "role = excluded.role", (project, user, party, role))

    def membership(self, project: str, user: str) -> tuple[str, str] | None:
        row = self._one("SELECT party, role FROM memberships WHERE project = ? AND username = ?",
                        (project, user))
        return tuple(row) if row else None

    def memberships_of(self, user: str) -> list[dict]:
        rows = self._all("SELECT p.id, p.name, p.head, m.party, m.role FROM memberships m "
                         "JOIN projects p ON p.id = m.project WHERE m.username = ? ORDER BY p.id",
                         (user,))
        return [{"id": i, "name": n, "head": h, "party": pa, "role": r} for i, n, h, pa, r in rows]

    def insert_token(self, token_id: str, user: str, secret_hash: str, created: str,
                     expires: str, label: str) -> None:
        self._x("INSERT INTO tokens (id, username, secret_hash, created, expires, label) "
                "VALUES (?, ?, ?, ?, ?, ?)", (token_id, user, secret_hash, created, expires, label))

    def token(self, token_id: str) -> tuple[str, str, str, bool] | None:
        row = self._one("SELECT t.username, t.secret_hash, t.expires, u.disabled FROM tokens t "
                        "JOIN users u ON u.name = t.username WHERE t.id = ?", (token_id,))
        return (row[0], row[1], row[2], bool(row[3])) if row else None

    # --- versions -------------------------------------------------------------------------

    def request(self, project: str, key: str) -> tuple[str, dict] | None:
        row = self._one("SELECT body_hash, response FROM requests WHERE project = ? AND key = ?",
                        (project, key))
        return (row[0], json.loads(row[1])) if row else None

    def insert_request(self, project: str, key: str, body_hash: str, response: dict) -> None:
        self._x("INSERT INTO requests (project, key, body_hash, response) VALUES (?, ?, ?, ?)",
                (project, key, body_hash, dumps(response)))

    def changeset(self, project: str, changeset: str) -> tuple[int, str, str] | None:
        row = self._one("SELECT version, party, message FROM versions WHERE project = ? AND "
                        "changeset = ?", (project, changeset))
        return tuple(row) if row else None

    def append_version(self, project: str, version: dict, changes: list[tuple],
                       clashes: list[dict]) -> list[int]:
        """The version row, its changes (layer, uuid, op, cols), its clashes; moves the head.
        Returns the clashes' ids."""
        v = version
        self._x("INSERT INTO versions (project, version, changeset, kind, party, author, username, "
                "message, created, received, base_version, forced) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (project, v["version"], v["changeset"], v["kind"], v["party"], v["author"],
                 v["username"], v["message"], v["created"], v["received"], v["base_version"],
                 bool(v.get("forced"))))
        if changes:
            self._many("INSERT INTO changes (project, version, idx, layer, uuid, op, cols) VALUES "
                       "(?, ?, ?, ?, ?, ?, ?)",
                       [(project, v["version"], i, la, u, op, dumps(cols))
                        for i, (la, u, op, cols) in enumerate(changes)])
        ids = [self._one(
            "INSERT INTO clashes (project, version, changeset, party, layer, uuid, kind, cells, "
            "reason, server_row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            (project, v["version"], v["changeset"], v["party"], c["layer"], c["uuid"], c["kind"],
             dumps(c["cells"]), c["reason"],
             None if c["server_row"] is None else dumps(c["server_row"])))[0] for c in clashes]
        self._x("UPDATE projects SET head = ? WHERE id = ?", (v["version"], project))
        return ids

    def versions(self, project: str, since: int, limit: int) -> list[tuple[dict, int, int]]:
        """(version, its number of changes, the length of their text) after `since`."""
        rows = self._all(
            f"SELECT {', '.join('v.' + k for k in VERSION_KEYS)}, count(c.idx), "
            "coalesce(sum(length(c.cols)), 0) FROM versions v LEFT JOIN changes c ON "
            "c.project = v.project AND c.version = v.version WHERE v.project = ? AND "
            "v.version > ? GROUP BY v.project, v.version ORDER BY v.version LIMIT ?",
            (project, since, limit))
        n = len(VERSION_KEYS)
        return [({**dict(zip(VERSION_KEYS, r[:n], strict=True)), "forced": bool(r[n - 1])}, r[n],
                 int(r[n + 1])) for r in rows]

    def version_changes(self, project: str, version: int) -> list[dict]:
        return [{"layer": la, "uuid": u, "op": op, "cols": json.loads(cols)} for la, u, op, cols in
                self._all("SELECT layer, uuid, op, cols FROM changes WHERE project = ? AND "
                          "version = ? ORDER BY idx", (project, version))]

    def version_clashes(self, project: str, version: int) -> list[dict]:
        return self._clashes("project = ? AND version = ?", (project, version))

    def _clashes(self, where: str, params: tuple) -> list[dict]:
        out = []
        for row in self._all(f"SELECT {', '.join(CLASH_KEYS)} FROM clashes WHERE {where} "
                             "ORDER BY id", params):
            item = dict(zip(CLASH_KEYS, row, strict=True))
            item["cells"], item["server_row"] = json.loads(item["cells"]), _json(item["server_row"])
            out.append(item)
        return out

    def clashes(self, project: str, status: str | None, clash_id: int | None = None) -> list[dict]:
        where = "project = ?"
        params: list[object] = [project]
        if status:
            where, params = where + " AND status = ?", [*params, status]
        if clash_id is not None:
            where, params = where + " AND id = ?", [*params, clash_id]
        return self._clashes(where, tuple(params))

    def update_clash(self, project: str, clash_id: int, **fields) -> None:
        names = [n for n in fields if n in CLASH_FIELDS]
        values = [dumps(fields[n]) if n in ("cells", "server_row") and fields[n] is not None
                  else fields[n] for n in names]
        self._x(f"UPDATE clashes SET {', '.join(f'{n} = ?' for n in names)} "
                "WHERE project = ? AND id = ?", (*values, project, clash_id))

    def count_features(self, project: str) -> int:
        return self._one("SELECT count(*) FROM features WHERE project = ? AND NOT deleted",
                         (project,))[0]

    def history(self, project: str, layer: str, uuid: str) -> list[dict]:
        rows = self._all(
            "SELECT c.version, c.op, c.cols, v.party, v.author, v.created, v.message, v.kind "
            "FROM changes c JOIN versions v ON v.project = c.project AND v.version = c.version "
            "WHERE c.project = ? AND c.layer = ? AND c.uuid = ? ORDER BY c.version, c.idx",
            (project, layer, uuid))
        return [{"version": v, "op": op, "cols": json.loads(cols), "party": p, "author": a,
                 "created": cr, "message": m, "kind": k} for v, op, cols, p, a, cr, m, k in rows]

    # --- comment rounds -------------------------------------------------------------------

    def review_events(self, project: str, since: int, limit: int | None = None) -> list[tuple]:
        return [tuple(r) for r in self._all(
            f"SELECT {EVENT} FROM review_events WHERE project = ? AND version > ? "
            "ORDER BY version LIMIT ?", (project, since, self.NO_LIMIT if limit is None else limit))]

    def review_event(self, project: str, event_id: str) -> tuple | None:
        row = self._one(f"SELECT {EVENT} FROM review_events WHERE project = ? AND id = ?",
                        (project, event_id))
        return tuple(row) if row else None

    def next_review_version(self, project: str) -> int:
        return self._one("SELECT coalesce(max(version), 0) + 1 FROM review_events "
                         "WHERE project = ?", (project,))[0]

    def insert_review_event(self, project: str, row: tuple) -> None:
        self._x(f"INSERT INTO review_events (project, {EVENT}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (project, *row))

    def draft(self, project: str, draft_hash: str) -> dict | None:
        row = self._one("SELECT sections FROM review_drafts WHERE project = ? AND hash = ?",
                        (project, draft_hash))
        return json.loads(row[0]) if row else None

    def save_draft(self, project: str, draft_hash: str, sections: dict) -> None:
        self._x("INSERT INTO review_drafts (project, hash, sections) VALUES (?, ?, ?) "
                "ON CONFLICT (project, hash) DO NOTHING",
                (project, draft_hash, json.dumps(sections, ensure_ascii=False)))

    def known_changesets(self, project: str, ids: list[str]) -> set[str]:
        return {i for i in ids if self.changeset(project, i)}

    def attachment(self, project: str, attachment_id: str) -> dict | None:
        row = self._one(f"SELECT {', '.join(ATTACHMENT)} FROM review_attachments "
                        "WHERE project = ? AND id = ?", (project, attachment_id))
        return dict(zip(ATTACHMENT, row, strict=True)) if row else None

    def insert_attachment(self, project: str, row: dict) -> None:
        self.load("review_attachments", [{**row, "project": project}])

    # --- editions -------------------------------------------------------------------------

    def edition(self, project: str, kind: str, version: int) -> dict | None:
        cols = COLUMNS["editions"][1:]
        row = self._one(f"SELECT {', '.join(cols)} FROM editions WHERE project = ? AND "
                        "kind = ? AND version = ?", (project, kind, version))
        return dict(zip(cols, row, strict=True)) if row else None

    def editions(self, project: str) -> list[dict]:
        cols = COLUMNS["editions"][1:]
        rows = self._all(f"SELECT {', '.join(cols)} FROM editions WHERE project = ? "
                         "ORDER BY kind, version", (project,))
        return [dict(zip(cols, row, strict=True)) for row in rows]

    def insert_edition(self, project: str, row: dict) -> None:
        self.load("editions", [{**row, "project": project}])

    # --- backup and migration -------------------------------------------------------------

    def dump(self, table: str) -> Iterator[dict]:
        """Every row of a table in the form both stores share (streamed)."""
        cols = COLUMNS[table]
        js, bools = JSON_COLUMNS.get(table, ()), BOOL_COLUMNS.get(table, ())
        for row in self._stream(f"SELECT {', '.join(cols)} FROM {table}"):
            item = dict(zip(cols, row, strict=True))
            for c in js:
                item[c] = _json(item[c])
            for c in bools:
                item[c] = bool(item[c])
            yield item

    def _insert(self, table: str) -> tuple[str, tuple[str, ...]]:
        """The INSERT statement of `table` and the columns its parameters name."""
        cols = COLUMNS[table]
        return (f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
                f"({', '.join('?' * len(cols))})"), cols

    def load(self, table: str, rows: Iterable[dict]) -> int:
        """Insert rows of the shared form (a restore or a migration into an empty store)."""
        sql, cols = self._insert(table)
        js, bools = JSON_COLUMNS.get(table, ()), BOOL_COLUMNS.get(table, ())
        n, batch = 0, []
        for r in rows:
            r = _with_added(table, r)
            batch.append(tuple(self._json_param(table, c, r[c]) if c in js
                               else bool(r[c]) if c in bools else r[c] for c in cols))
            if len(batch) == 5000:
                self._many(sql, batch)
                n, batch = n + len(batch), []
        if batch:
            self._many(sql, batch)
        return n + len(batch)


def _with_added(table: str, row: dict) -> dict:
    """`row` with the columns added since an older backup was written, at their old value."""
    missing = {c: v for (t, c), v in ADDED_COLUMNS.items() if t == table and c not in row}
    return {**row, **missing} if missing else row
