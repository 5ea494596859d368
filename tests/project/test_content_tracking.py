"""The plan's text is captured, committed, reverted and synced like a layer without geometry."""

from __future__ import annotations

import sqlite_utils
from pysqlite3 import dbapi2 as sqlite3

from app.content import store as content
from app.model.tables import SECTIONS
from app.paths import schemas_dir
from app.project import history as H
from app.project import storage, tracking
from app.project.migrations import _statements


def test_the_migration_is_what_tracking_installs():
    """schemas/sql/0004 was generated from tracking.install; it must not drift from it."""
    def objects(build) -> dict:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        for sql in _statements((schemas_dir() / "sql" / "0002_content.sql").read_text()):
            conn.execute(sql)
        conn.execute("CREATE TABLE coplan_state (id INTEGER PRIMARY KEY, capture INTEGER)")
        before = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        build(conn)
        return {name: sql for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL") if name not in before}

    def migrated(conn) -> None:
        for sql in _statements((schemas_dir() / "sql" / "0004_track_sections.sql").read_text()):
            conn.execute(sql)
        # What storage.upgrade then does to its layout (checksums, copy-on-write triggers).
        storage.create_sum_table(sqlite_utils.Database(conn), SECTIONS)
        tracking.install_capture(sqlite_utils.Database(conn), SECTIONS)

    from_file = objects(migrated)
    from_code = objects(lambda c: tracking.install(sqlite_utils.Database(c), SECTIONS))
    assert from_file == from_code and len(from_file) == 9


def test_section_edits_are_pending_and_commit(project):
    project.set_meta("role", "coordinator")
    content.init_content(project)
    H.commit(project, "text")
    content.update_section(project, "vision", body_zh="新的愿景。")
    [change] = H.pending(project)
    assert change.layer == "SECTIONS" and change.op == "update"
    assert change.cols["BODY_ZH"][1] == "新的愿景。" and "geom" not in change.cols
    cs = H.commit(project, "vision")
    H.revert(project, cs.id)
    assert content.get_section(project.db, "vision").body_zh != "新的愿景。"


def test_discard_restores_the_text(project):
    project.set_meta("role", "coordinator")
    content.init_content(project)
    H.commit(project, "text")
    before = content.get_section(project.db, "S1").title_zh
    content.update_section(project, "S1", title_zh="改")
    H.discard(project)
    assert content.get_section(project.db, "S1").title_zh == before
    assert H.pending(project) == []
