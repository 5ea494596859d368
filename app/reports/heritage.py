"""The water towns of 江南 (Jiangnan) as context for culture maps: the sample project's
heritage layers (LSWHBHX, LSWHJQ) are empty, and a culture map without its subject tells a
reader nothing. Positions are approximate town centres (±3 km), drawn as 示意 symbols.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pyproj

from app.reports.mapdata import DRAW_EPSG

# name_zh, name_en, lon, lat (CGCS2000): China's famous historic water towns of the plan area
TOWNS = (("周庄", "Zhouzhuang", 120.85, 31.12), ("同里", "Tongli", 120.72, 31.16),
         ("甪直", "Luzhi", 120.87, 31.26), ("锦溪", "Jinxi", 120.91, 31.18),
         ("千灯", "Qiandeng", 120.99, 31.27), ("朱家角", "Zhujiajiao", 121.05, 31.11),
         ("枫泾", "Fengjing", 121.01, 30.89), ("西塘", "Xitang", 120.89, 30.95),
         ("乌镇", "Wuzhen", 120.49, 30.75), ("南浔", "Nanxun", 120.43, 30.88))
COLOUR = "#6D4C41"
LEGEND_ZH, LEGEND_EN = "江南水乡古镇（位置示意）", "Historic water towns (approximate)"


@lru_cache(maxsize=1)
def towns() -> tuple[tuple[str, str, float, float], ...]:
    """(name_zh, name_en, x, y) of the towns in the drawing CRS (EPSG:4549 metres)."""
    t = pyproj.Transformer.from_crs(4490, DRAW_EPSG, always_xy=True)
    xs, ys = t.transform(np.array([r[2] for r in TOWNS]), np.array([r[3] for r in TOWNS]))
    return tuple((zh, en, float(x), float(y)) for (zh, en, _, _), x, y in zip(TOWNS, xs, ys,
                                                                             strict=True))
