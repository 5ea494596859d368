-- Comment rounds (app/review): every accepted fact of a review is one immutable event; the
-- review's state and ledger are computed from them. `id` is the caller's idempotency key (a
-- comment's UUID); `version` orders a project's events.
CREATE TABLE review_events (
    project TEXT NOT NULL REFERENCES projects (id),
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    kind TEXT NOT NULL,
    round INTEGER NOT NULL,
    party TEXT NOT NULL,
    user TEXT NOT NULL,
    at TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (project, id),
    UNIQUE (project, version)
);

-- Frozen drafts: section id -> text (JSON), by content hash; anchors migrate between them.
CREATE TABLE review_drafts (
    project TEXT NOT NULL REFERENCES projects (id),
    hash TEXT NOT NULL,
    sections TEXT NOT NULL,
    PRIMARY KEY (project, hash)
);

-- Files attached to comments. `id` is the uploader's UUID (idempotency key); `name` is made by
-- the server, never taken from the upload.
CREATE TABLE review_attachments (
    project TEXT NOT NULL REFERENCES projects (id),
    id TEXT NOT NULL,
    party TEXT NOT NULL,
    user TEXT NOT NULL,
    name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    created TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (project, id)
)
