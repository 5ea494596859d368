-- Sync replays every server version and rebases local edits on top (app/sync/rebase.py).
-- `echoed` = 0 while a committed change set of ours has not come back from the server in a
-- pull: its edits are an overlay on the server's state. `refusal` keeps the server's answer
-- when it refused a push outright (e.g. a role that may not push), so the user can drop it.
ALTER TABLE coplan_changesets ADD COLUMN echoed INTEGER NOT NULL DEFAULT 1;
ALTER TABLE coplan_changesets ADD COLUMN refusal TEXT;
UPDATE coplan_changesets SET echoed = 0
 WHERE state = 'local'
    OR (state = 'pushed' AND server_version > (SELECT CAST(value AS INTEGER) FROM coplan_meta
                                               WHERE key = 'base_version'));

-- The server's state of each feature that carries an overlay of unechoed change sets of ours:
-- its tracked columns as a JSON object (geometry as hex WKB), NULL when the server has none.
-- Without it, dropping a refused change set or replaying the server's versions over local
-- edits would have to guess what the server holds.
CREATE TABLE coplan_shadow (
    layer TEXT NOT NULL,
    uuid TEXT NOT NULL,
    row TEXT,
    PRIMARY KEY (layer, uuid)
);
