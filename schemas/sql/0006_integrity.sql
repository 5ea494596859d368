-- The project file keeps itself right whatever writes to it (app/project/integrity.py).
-- `derive` = 0 while CoPlan writes exact geodesic areas/lengths itself, inside its own
-- transaction; any other writer (QGIS, ogr2ogr, SQL) sees 1 and the layer triggers recompute
-- derived fields with SpatiaLite's formulas.
ALTER TABLE coplan_state ADD COLUMN derive INTEGER NOT NULL DEFAULT 1;

-- Features whose derived fields a trigger computed with SpatiaLite's ellipsoid formula: CoPlan
-- replaces those values with its exact geodesic ones the next time it opens, audits or commits.
CREATE TABLE coplan_rederive (
    layer TEXT NOT NULL,
    fid INTEGER NOT NULL,
    PRIMARY KEY (layer, fid)
) WITHOUT ROWID;

-- Features written by anything but CoPlan's checked edits and imports (QGIS, ogr2ogr, SQL,
-- a revert): `commit` checks these again; what CoPlan validated when writing is not re-read.
CREATE TABLE coplan_unchecked (
    layer TEXT NOT NULL,
    fid INTEGER NOT NULL,
    PRIMARY KEY (layer, fid)
) WITHOUT ROWID;

-- A change set committed by a coordinator over failed checks (commit --force): the number of
-- problems overridden; NULL for an ordinary commit.
ALTER TABLE coplan_changesets ADD COLUMN forced INTEGER;
