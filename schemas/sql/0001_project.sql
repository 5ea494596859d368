-- The project's own tables. Layer tables are made from the layer catalogue, not here.
CREATE TABLE coplan_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row; capture = 0 while remote changes are applied, inside the same transaction.
CREATE TABLE coplan_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    capture INTEGER NOT NULL DEFAULT 1
);
INSERT INTO coplan_state (id, capture) VALUES (1, 1);

CREATE TABLE coplan_layers (
    code TEXT PRIMARY KEY,
    catalogue_version TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Committed change sets of this replica: 'local' until the server acknowledges them.
CREATE TABLE coplan_changesets (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    party TEXT NOT NULL,
    author TEXT NOT NULL,
    message TEXT NOT NULL,
    created TEXT NOT NULL,
    base_version INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'local' CHECK (state IN ('local', 'pushed', 'remote')),
    server_version INTEGER
);

-- Column-level changes: cols is a JSON object {column: [old, new]}, geometry as hex WKB.
CREATE TABLE coplan_changes (
    changeset TEXT NOT NULL REFERENCES coplan_changesets (id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    layer TEXT NOT NULL,
    uuid TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('insert', 'update', 'delete')),
    cols TEXT NOT NULL,
    PRIMARY KEY (changeset, idx)
);
CREATE INDEX coplan_changes_feature ON coplan_changes (layer, uuid);
