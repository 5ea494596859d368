"""The shared sync server: an HTTP/JSON API over a store (SQLite by default)."""
