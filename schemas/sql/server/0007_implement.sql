-- Implementation tracking (共同实施, app/implement): one append-only event log per project, like
-- review_events. The server fills party, username and at from the acting membership and its
-- clock; `version` numbers a project's events 1, 2, 3 …; `id` is the client-made idempotency
-- key. `data` is the event's JSON (normalised by app.implement.commands.check).
CREATE TABLE implement_events (
    project TEXT NOT NULL REFERENCES projects (id),
    version INTEGER NOT NULL CHECK (version >= 1),
    id TEXT NOT NULL,
    kind TEXT NOT NULL,
    party TEXT NOT NULL,
    username TEXT NOT NULL,
    at TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (project, version),
    UNIQUE (project, id)
)
