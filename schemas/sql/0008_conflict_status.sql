-- The lifecycle of conflict-check results (app/analysis/lifecycle.py): a coordinator's decisions,
-- kept in the project so they survive every re-run. A conflict's id is the UUIDv5 of its key
-- (rule and the features involved), so the same clash has the same row run after run.
CREATE TABLE coplan_conflict_status (
    conflict_id TEXT PRIMARY KEY,
    key TEXT NOT NULL,             -- rule/feature/feature…: what the id was derived from
    rule TEXT NOT NULL,
    scope TEXT NOT NULL,           -- rule set and parties of the run that last saw it
    status TEXT NOT NULL CHECK (status IN ('open', 'accepted', 'resolved')),
    first_seen TEXT NOT NULL,      -- UTC, ISO 8601
    last_seen TEXT NOT NULL,
    size REAL,                     -- m² or m when last seen (an accepted one: when accepted)
    memo TEXT,                     -- approving memo of an accepted exception, e.g. 纪要编号
    memo_date TEXT,                -- date of that memo (YYYY-MM-DD)
    decided_by TEXT,               -- who accepted, resolved or reopened it
    decided_at TEXT,
    change_set TEXT,               -- the change set that resolved it, if one did
    resolution TEXT                -- gone (no longer found) | change_set
);

-- Every transition, never rewritten: who decided what and when (the status timeline).
CREATE TABLE coplan_conflict_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    conflict_id TEXT NOT NULL,
    at TEXT NOT NULL,
    by TEXT,
    action TEXT NOT NULL,          -- found | reappeared | gone | accepted | reopened | resolved
    memo TEXT,
    change_set TEXT
);
CREATE INDEX coplan_conflict_events_by_conflict ON coplan_conflict_events (conflict_id, seq);
