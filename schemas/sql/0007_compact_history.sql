-- Compact storage of the change log (app/project/storage.py): the values of a change set's
-- changes in one compressed blob (geometry as raw WKB) instead of a JSON object with hex WKB
-- per change; coplan_changes keeps one row per change (cols = an empty blob) for lookups by
-- feature. Rows written before keep their JSON and are read as they are.
CREATE TABLE coplan_change_data (
    changeset TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
CREATE TRIGGER coplan_change_data_gone AFTER DELETE ON coplan_changesets
BEGIN DELETE FROM coplan_change_data WHERE changeset = OLD.id; END;

-- The shadow of features with unechoed edits of ours, clustered on its key (no second copy of
-- every (layer, uuid) in a separate index: half the size after a big commit).
CREATE TABLE coplan_shadow_compact (
    layer TEXT NOT NULL,
    uuid TEXT NOT NULL,
    row TEXT,
    PRIMARY KEY (layer, uuid)
) WITHOUT ROWID;
INSERT INTO coplan_shadow_compact (layer, uuid, row) SELECT layer, uuid, row FROM coplan_shadow;
DROP TABLE coplan_shadow;
ALTER TABLE coplan_shadow_compact RENAME TO coplan_shadow;
