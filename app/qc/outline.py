"""China's outline, to tell a point in China from one abroad (Seoul, Tokyo) where a bounding box
cannot: the box 73–136°E, 3–54°N holds both Koreas and western Japan.

Source: Natural Earth 1:110m Admin 0 countries (public domain), the features China (with
Hainan) and Taiwan, rounded to 0.001°. That scale draws coasts some km off and leaves out small
islands (the mouth of Hangzhou Bay is drawn 60 km inland of 嵊泗), so `china()` adds the finer
land the caller has (the metro's schematic city polygons, from Natural Earth 1:10m), widens
both by `MARGIN` (the territorial sea) and adds the South China Sea islands (南海诸岛) and the
Diaoyu Islands as app.model.china draws them. The rings are app.model.china's (one copy). It is
a plausibility check, not a boundary.
"""

from __future__ import annotations

import shapely

from app.model.china import DIAOYU, RINGS, SOUTH_CHINA_SEA

MARGIN = 0.3  # degrees, about 30 km: the outline's generalisation plus the territorial sea


def china(finer: tuple[shapely.Geometry, ...] = ()) -> shapely.Geometry:
    """China's widened outline with the `finer` land added (see the module docstring),
    prepared for many tests."""
    land = shapely.union_all([*(shapely.Polygon(ring) for ring in RINGS), *finer])
    islands = [shapely.Polygon(SOUTH_CHINA_SEA), shapely.Polygon(DIAOYU)]  # loose, as in app.model.china
    area = shapely.union_all([shapely.buffer(land, MARGIN, quad_segs=4), *islands])
    shapely.prepare(area)
    return area
