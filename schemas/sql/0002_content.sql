-- The plan's text: one row per section (app/content). The system columns match the layer
-- tables' (fid, uuid, owner, created_*, modified_*) so change capture can treat the table like
-- a layer without geometry; every other column is a scalar except `links` (JSON).
CREATE TABLE coplan_sections (
    fid INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    owner TEXT NOT NULL,
    created_by TEXT,
    created_at TEXT,
    modified_by TEXT,
    modified_at TEXT,
    section_id TEXT NOT NULL,
    parent_id TEXT,
    ord INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    participants TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'review', 'final')),
    title_zh TEXT NOT NULL DEFAULT '',
    title_en TEXT NOT NULL DEFAULT '',
    body_zh TEXT NOT NULL DEFAULT '',
    body_en TEXT NOT NULL DEFAULT '',
    links TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(links))
);
-- Section ids are unique, but the server enforces it (it refuses a second section with an id
-- in use): while a pull is applied, another party's new section may briefly share an id with
-- one of ours that the server refused and the pull then removes.
CREATE INDEX coplan_sections_id ON coplan_sections (section_id);
CREATE INDEX coplan_sections_parent ON coplan_sections (parent_id, ord);
CREATE INDEX coplan_sections_owner ON coplan_sections (owner);

-- Editions this replica published: what went into each (the server's registry has the PDF).
CREATE TABLE coplan_editions (
    kind TEXT NOT NULL CHECK (kind IN ('policy', 'release', 'reader', 'onemap')),
    version INTEGER NOT NULL CHECK (version >= 1),
    edition_date TEXT NOT NULL,
    publisher TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    base_version INTEGER NOT NULL,
    layers_hash TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    server TEXT,
    PRIMARY KEY (kind, version)
)
