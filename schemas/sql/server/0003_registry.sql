-- The registry of published editions (app/reports/registry.py): one row per uploaded PDF.
-- The file lives under the store folder in editions/<project>/ with a name the server makes;
-- publisher_party is the uploader's party (from their membership, never from the request).
CREATE TABLE editions (
    project TEXT NOT NULL REFERENCES projects (id),
    kind TEXT NOT NULL CHECK (kind IN ('policy', 'release', 'reader', 'onemap')),
    version INTEGER NOT NULL CHECK (version >= 1),
    file TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    edition_date TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    base_version INTEGER NOT NULL,
    layers_hash TEXT NOT NULL,
    publisher_party TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    PRIMARY KEY (project, kind, version)
)
