-- Implementation tracking in the party's copy (app/implement/outbox.py): progress reports,
-- issues, indicator values and check-ups written offline wait in an outbox and are sent on the
-- next sync. An item keeps its UUID (the event id) from the moment it is written, so a send
-- that was cut off is simply sent again: the server answers with its first event. An item the
-- server refuses is kept as 'refused' with the reason; the others still go.
CREATE TABLE coplan_implement_outbox (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    body TEXT NOT NULL,            -- the event's data (JSON), as written
    state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('draft', 'queued', 'sent', 'refused')),
    created TEXT NOT NULL,
    sent TEXT,
    answer TEXT                    -- the server's event (JSON), or {"error": message}
);

-- Evidence files of an outbox item, kept in the project until uploaded (as review attachments).
CREATE TABLE coplan_implement_files (
    id TEXT PRIMARY KEY,           -- the attachment id a report line names
    outbox_id TEXT NOT NULL,
    media_type TEXT NOT NULL,
    data BLOB NOT NULL,
    uploaded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX coplan_implement_files_by_item ON coplan_implement_files (outbox_id);

-- The server's event log as last pulled (every member reads it whole): folded locally, so
-- dashboards and reports work offline.
CREATE TABLE coplan_implement_events (
    version INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    party TEXT NOT NULL,
    username TEXT NOT NULL,
    at TEXT NOT NULL,
    data TEXT NOT NULL
)
