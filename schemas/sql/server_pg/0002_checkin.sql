-- Check-in of submitted data (质检入库, app/checkin): the same table as the SQLite store's
-- (schemas/sql/server/0005_checkin.sql). `findings` stays JSON text like review_events.data.
CREATE TABLE checkin_submissions (
    project TEXT COLLATE "C" NOT NULL REFERENCES projects (id),
    number BIGINT NOT NULL CHECK (number >= 1),
    party TEXT COLLATE "C" NOT NULL,
    username TEXT NOT NULL,
    version BIGINT NOT NULL CHECK (version >= 1),
    submitted TEXT NOT NULL,
    note TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'returned', 'superseded')),
    features BIGINT NOT NULL,
    errors BIGINT NOT NULL,
    warnings BIGINT NOT NULL,
    findings TEXT NOT NULL,
    checked TEXT NOT NULL,
    boundary TEXT NOT NULL CHECK (boundary IN ('layer', 'reference', 'none')),
    decided_by TEXT,
    decided_at TEXT,
    decision_note TEXT,
    forced BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (project, number)
);
CREATE INDEX checkin_submissions_party ON checkin_submissions (project, party, number);
