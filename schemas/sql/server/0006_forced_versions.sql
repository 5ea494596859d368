-- A version pushed from a coordinator's commit --force (over failed validation) says so.
ALTER TABLE versions ADD COLUMN forced INTEGER NOT NULL DEFAULT 0;
