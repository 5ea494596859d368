"""English names of what maps label, for the reader's English and bilingual maps.

Layers carry Chinese names only (XZQMC, ZQMC, …); the English ones live in the sample's
sources: the cities (cities.json) and the plan's zones (metro_plan_1_8_5.json). A name with no
English entry stays Chinese, which is better than no label.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache

from app.paths import REFERENCE, resource

log = logging.getLogger(__name__)

# Names the sources give in Chinese only: the demonstration zone's official English name and
# the town circles in pinyin.
EXTRA = {"长三角生态绿色一体化发展示范区（青浦·吴江·嘉善）":
         "Yangtze River Delta Eco-Green Integrated Development Demonstration Zone\n"
         "(Qingpu · Wujiang · Jiashan)",
         "安亭—花桥—白鹤": "Anting–Huaqiao–Baihe", "枫泾—新浜—嘉善—新埭": "Fengjing–Xinbang–Jiashan–Xindai",
         "东平—海永—启隆": "Dongping–Haiyong–Qilong"}


@lru_cache(maxsize=1)
def english_names() -> dict[str, str]:
    """Chinese name → English name for the cities and zones (empty when the sources are gone)."""
    folder = resource(*REFERENCE)
    names: dict[str, str] = dict(EXTRA)
    try:
        cities = json.loads((folder / "cities.json").read_text(encoding="utf-8"))["cities"]
        names.update({c["name_zh"]: c["name_en"] for c in cities})
        plan = json.loads((folder / "metro_plan_1_8_5.json").read_text(encoding="utf-8"))
        names.update({z["zh"]: z["en"].replace("strategic coordination zone", "zone")
                      for z in plan["spatial_sections"]})
    except (OSError, ValueError, KeyError) as exc:
        log.warning("no English map names: %s", exc)
    return names


def label_text(name_zh: str, lang: str, name_en: str = "") -> str:
    """A label in the map's language: zh, en, or both (Chinese over English)."""
    en = name_en or english_names().get(name_zh, "")
    if lang == "en":
        return en or name_zh
    if lang == "both" and en:
        return f"{name_zh}\n{en}"
    return name_zh
