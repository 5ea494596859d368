"""The check-in rows of a server store, as SQL both stores run (mixed into their sessions:
app/sync/server/sqlite_store.SqliteSession and pg_store.PgSession)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from app.sync.server.store import COLUMNS

TABLE = "checkin_submissions"
LISTED = tuple(c for c in COLUMNS[TABLE] if c not in ("project", "findings"))
UPDATABLE = ("status", "features", "errors", "warnings", "findings", "checked", "boundary",
             "decided_by", "decided_at", "decision_note", "forced")


if TYPE_CHECKING:  # a mixin of the stores' sessions
    from app.sync.server.sql import SqlSession as _Session
else:
    _Session = object


class CheckinSql(_Session):
    """Submissions of a project; `self` is a SqlSession (its `_x`, `_one`, `_all`, `load`)."""

    def next_submission(self, project: str) -> int:
        return self._one(f"SELECT coalesce(max(number), 0) + 1 FROM {TABLE} WHERE project = ?",
                         (project,))[0]

    def insert_submission(self, project: str, row: dict) -> None:
        self.load(TABLE, [{**row, "project": project}])

    def submissions(self, project: str, party: str | None = None) -> list[dict]:
        """Every submission (of `party` only, when given), newest first, without findings."""
        where, params = "project = ?", [project]
        if party is not None:
            where, params = where + " AND party = ?", [*params, party]
        rows = self._all(f"SELECT {', '.join(LISTED)} FROM {TABLE} WHERE {where} "
                         "ORDER BY number DESC", tuple(params))
        return [_listed(row) for row in rows]

    def submission(self, project: str, number: int) -> dict | None:
        """One submission with its findings."""
        row = self._one(f"SELECT {', '.join(LISTED)}, findings FROM {TABLE} WHERE project = ? "
                        "AND number = ?", (project, number))
        if row is None:
            return None
        return {**_listed(row[:-1]), "findings": json.loads(row[-1])}

    def update_submission(self, project: str, number: int, **fields) -> None:
        names = [n for n in fields if n in UPDATABLE]
        values = [json.dumps(fields[n], ensure_ascii=False) if n == "findings"
                  else bool(fields[n]) if n == "forced" else fields[n] for n in names]
        self._x(f"UPDATE {TABLE} SET {', '.join(f'{n} = ?' for n in names)} "
                "WHERE project = ? AND number = ?", (*values, project, number))

    def checkin_tags(self, project: str) -> list[dict]:
        """The versions tagged 入库 (accepted submissions), oldest first."""
        rows = self._all(f"SELECT number, version, party, decided_at FROM {TABLE} WHERE "
                         "project = ? AND status = 'accepted' ORDER BY version, number", (project,))
        return [{"version": v, "tag": "入库", "party": p, "submission": n, "at": at}
                for n, v, p, at in rows]


def _listed(row) -> dict:
    item = dict(zip(LISTED, row, strict=True))
    item["forced"] = bool(item["forced"])
    return item
