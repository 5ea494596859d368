-- Check-in of submitted data (质检入库, app/checkin): one row per submission of a party's data
-- version. The server fills everything from its own state: the party from the submitter's
-- membership, the QC findings from its features at `version`. An accepted submission tags its
-- version 入库. Status: pending (待质检) | accepted (已入库) | returned (已退回) | superseded
-- (a later submission of the same party replaced it while it was pending). `boundary` says
-- where the party's area for the outside-the-area check came from (app.qc.areas).
CREATE TABLE checkin_submissions (
    project TEXT NOT NULL REFERENCES projects (id),
    number INTEGER NOT NULL CHECK (number >= 1),
    party TEXT NOT NULL,
    username TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    submitted TEXT NOT NULL,
    note TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'returned', 'superseded')),
    features INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    findings TEXT NOT NULL,
    checked TEXT NOT NULL,
    boundary TEXT NOT NULL CHECK (boundary IN ('layer', 'reference', 'none')),
    decided_by TEXT,
    decided_at TEXT,
    decision_note TEXT,
    forced INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (project, number)
);
CREATE INDEX checkin_submissions_party ON checkin_submissions (project, party, number)
