-- Implementation tracking (共同实施, app/implement): the same table as the SQLite store's
-- (schemas/sql/server/0007_implement.sql). `data` stays JSON text like review_events.data.
CREATE TABLE implement_events (
    project TEXT COLLATE "C" NOT NULL REFERENCES projects (id),
    version BIGINT NOT NULL CHECK (version >= 1),
    id TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    party TEXT COLLATE "C" NOT NULL,
    username TEXT NOT NULL,
    at TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (project, version),
    UNIQUE (project, id)
);
