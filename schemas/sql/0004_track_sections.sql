-- Change capture of the plan's text (app/model/tables.py SECTIONS): like every layer, a base
-- table (the state of the last commit or sync), a table of touched keys, and triggers that
-- mark touched rows unless capture is suppressed. Generated from app/project/tracking.py;
-- tests/project/test_content_tracking.py checks it stays the same.

CREATE TABLE "coplan_base_SECTIONS" (fid INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, owner TEXT NOT NULL, created_by TEXT, created_at TEXT, modified_by TEXT, modified_at TEXT, "SECTION_ID" TEXT, "PARENT_ID" TEXT, "ORD" INTEGER, "KIND" TEXT, "PARTICIPANTS" TEXT, "STATUS" TEXT, "TITLE_ZH" TEXT, "TITLE_EN" TEXT, "BODY_ZH" TEXT, "BODY_EN" TEXT, "LINKS" TEXT);

CREATE TABLE "coplan_dirty_SECTIONS" (fid INTEGER PRIMARY KEY);

INSERT INTO "coplan_base_SECTIONS" ("fid", "uuid", "owner", "created_by", "created_at", "modified_by", "modified_at", "SECTION_ID", "PARENT_ID", "ORD", "KIND", "PARTICIPANTS", "STATUS", "TITLE_ZH", "TITLE_EN", "BODY_ZH", "BODY_EN", "LINKS") SELECT "fid", "uuid", "owner", "created_by", "created_at", "modified_by", "modified_at", "SECTION_ID", "PARENT_ID", "ORD", "KIND", "PARTICIPANTS", "STATUS", "TITLE_ZH", "TITLE_EN", "BODY_ZH", "BODY_EN", "LINKS" FROM coplan_sections;

CREATE TRIGGER "coplan_capture_SECTIONS_delete" AFTER DELETE ON "coplan_sections" WHEN (SELECT capture FROM coplan_state WHERE id = 1) BEGIN INSERT OR IGNORE INTO "coplan_dirty_SECTIONS" (fid) VALUES (OLD.fid); END;

CREATE TRIGGER "coplan_capture_SECTIONS_insert" AFTER INSERT ON "coplan_sections" WHEN (SELECT capture FROM coplan_state WHERE id = 1) BEGIN INSERT OR IGNORE INTO "coplan_dirty_SECTIONS" (fid) VALUES (NEW.fid); END;

CREATE TRIGGER "coplan_capture_SECTIONS_refid" AFTER UPDATE OF fid ON "coplan_sections" WHEN (SELECT capture FROM coplan_state WHERE id = 1) BEGIN INSERT OR IGNORE INTO "coplan_dirty_SECTIONS" (fid) VALUES (NEW.fid); END;

CREATE TRIGGER "coplan_capture_SECTIONS_update" AFTER UPDATE ON "coplan_sections" WHEN (SELECT capture FROM coplan_state WHERE id = 1) BEGIN INSERT OR IGNORE INTO "coplan_dirty_SECTIONS" (fid) VALUES (OLD.fid); END;
