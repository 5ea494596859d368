"""The implementation-tracking rows of a server store (the `implement_events` log), as SQL both
stores run (mixed into their sessions: app/sync/server/sqlite_store.SqliteSession and
pg_store.PgSession, like app/checkin/sql.CheckinSql)."""

from __future__ import annotations

from typing import TYPE_CHECKING

TABLE = "implement_events"
EVENT = "id, version, kind, party, username, at, data"  # the order of an event row's values


if TYPE_CHECKING:  # a mixin of the stores' sessions
    from app.sync.server.sql import SqlSession as _Session
else:
    _Session = object


class ImplementSql(_Session):
    """A project's implementation events; `self` is a SqlSession (its `_x`, `_one`, `_all`)."""

    def implement_events(self, project: str, since: int, limit: int | None = None) -> list[tuple]:
        """Rows (id, version, kind, party, username, at, data text) after `since`, in order."""
        return [tuple(r) for r in self._all(
            f"SELECT {EVENT} FROM {TABLE} WHERE project = ? AND version > ? ORDER BY version "
            "LIMIT ?", (project, since, self.NO_LIMIT if limit is None else limit))]

    def implement_event(self, project: str, event_id: str) -> tuple | None:
        row = self._one(f"SELECT {EVENT} FROM {TABLE} WHERE project = ? AND id = ?",
                        (project, event_id))
        return tuple(row) if row else None

    def implement_head(self, project: str) -> int:
        """The project's last event version (0 when it has none)."""
        return self._one(f"SELECT coalesce(max(version), 0) FROM {TABLE} WHERE project = ?",
                         (project,))[0]

    def insert_implement_event(self, project: str, row: tuple) -> None:
        """row: (id, version, kind, party, username, at, data text)."""
        self._x(f"INSERT INTO {TABLE} (project, {EVENT}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (project, *row))
