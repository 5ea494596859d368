-- Comments written offline (app/review/outbox.py). A draft can be edited; once queued it is sent
-- as is, and its UUID makes a repeated send harmless (the server answers with the first event).
-- An item the server refuses (e.g. the round has closed) is kept as 'refused' with the reason.
CREATE TABLE coplan_review_outbox (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('comment', 'no_comment', 'confirm', 'withdraw')),
    round INTEGER NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'queued', 'sent', 'refused')),
    created TEXT NOT NULL,
    sent TEXT,
    answer TEXT
);

-- Files to attach to a comment, kept in the project until uploaded.
CREATE TABLE coplan_review_files (
    id TEXT PRIMARY KEY,
    comment TEXT NOT NULL,
    media_type TEXT NOT NULL,
    data BLOB NOT NULL,
    uploaded INTEGER NOT NULL DEFAULT 0
);

-- The comments and answers this party may see, as last pulled from the server.
CREATE TABLE coplan_review_comments (
    id TEXT PRIMARY KEY,
    round INTEGER NOT NULL,
    party TEXT NOT NULL,
    status TEXT NOT NULL,
    view TEXT NOT NULL,
    pulled TEXT NOT NULL
)
