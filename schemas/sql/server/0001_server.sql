-- The sync server's store. One row per accepted change set in `versions`; `features` holds the
-- current state (a deleted feature keeps its last row as a tombstone for ownership and restore).
CREATE TABLE projects (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created TEXT NOT NULL,
    head INTEGER NOT NULL DEFAULT 0,
    schema_version INTEGER NOT NULL,
    shared_layers TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE parties (
    project TEXT NOT NULL REFERENCES projects (id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('city', 'department', 'ministry', 'province', 'expert', 'public', 'office')),
    PRIMARY KEY (project, code)
);

CREATE TABLE users (
    name TEXT PRIMARY KEY,
    password_hash TEXT,
    created TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE memberships (
    project TEXT NOT NULL,
    user TEXT NOT NULL REFERENCES users (name),
    party TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('editor', 'coordinator', 'reviewer', 'publisher', 'observer')),
    PRIMARY KEY (project, user),
    FOREIGN KEY (project, party) REFERENCES parties (project, code)
);

-- A token is '<id>.<secret>'; only a SHA-256 of the secret is kept.
CREATE TABLE tokens (
    id TEXT PRIMARY KEY,
    user TEXT NOT NULL REFERENCES users (name),
    secret_hash TEXT NOT NULL,
    created TEXT NOT NULL,
    expires TEXT NOT NULL,
    label TEXT
);

CREATE TABLE versions (
    project TEXT NOT NULL REFERENCES projects (id),
    version INTEGER NOT NULL,
    changeset TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('push', 'resolve', 'revert')),
    party TEXT NOT NULL,
    author TEXT NOT NULL,
    user TEXT NOT NULL,
    message TEXT NOT NULL,
    created TEXT NOT NULL,
    received TEXT NOT NULL,
    base_version INTEGER NOT NULL,
    PRIMARY KEY (project, version),
    UNIQUE (project, changeset)
);

-- Idempotency: a request key (change-set id, ...) with the hash of its body and the answer given.
CREATE TABLE requests (
    project TEXT NOT NULL,
    key TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    response TEXT NOT NULL,
    PRIMARY KEY (project, key)
);

CREATE TABLE features (
    project TEXT NOT NULL,
    layer TEXT NOT NULL,
    uuid TEXT NOT NULL,
    owner TEXT,
    row TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL,
    PRIMARY KEY (project, layer, uuid)
) WITHOUT ROWID;

-- What each version changed on the server: {column: [old, new]}.
CREATE TABLE changes (
    project TEXT NOT NULL,
    version INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    layer TEXT NOT NULL,
    uuid TEXT NOT NULL,
    op TEXT NOT NULL,
    cols TEXT NOT NULL,
    PRIMARY KEY (project, version, idx)
);
CREATE INDEX changes_feature ON changes (project, layer, uuid);

-- Parts of pushed change sets that were not applied: true conflicts and refusals.
CREATE TABLE clashes (
    id INTEGER PRIMARY KEY,
    project TEXT NOT NULL,
    version INTEGER NOT NULL,
    changeset TEXT NOT NULL,
    party TEXT NOT NULL,
    layer TEXT NOT NULL,
    uuid TEXT NOT NULL,
    kind TEXT NOT NULL,
    cells TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    server_row TEXT,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolution TEXT,
    resolved_by TEXT,
    resolved_version INTEGER
);
CREATE INDEX clashes_open ON clashes (project, status);
