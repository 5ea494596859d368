"""Every interface string of the views has a Chinese translation: pyside6-lupdate, run on a copy
of the catalogue, finds no new or unfinished message, and the compiled .qm holds the new ones."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
I18N = REPO / "app" / "views" / "i18n"
LUPDATE = Path(sys.executable).parent / "pyside6-lupdate"


def test_every_string_is_translated(tmp_path):
    copy = I18N / f".check-{tmp_path.name}.ts"  # beside the original: same relative locations
    shutil.copy(I18N / "coplan_zh_CN.ts", copy)
    try:
        sources = sorted(str(p) for p in (REPO / "app" / "views").glob("*.py"))
        subprocess.run([str(LUPDATE), *sources, "-ts", str(copy)], check=True, capture_output=True,
                       timeout=60)
        messages = list(ET.parse(copy).iter("message"))
    finally:
        copy.unlink(missing_ok=True)
    untranslated = [m.findtext("source") for m in messages
                    if m.find("translation").get("type") == "unfinished"
                    or not (m.findtext("translation") or "").strip()]
    assert messages and untranslated == []


def test_compiled_catalogue_has_the_review_strings(qtbot):
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    assert translator.load(str(I18N / "coplan_zh_CN.qm"))
    for source, chinese in (("Review sync", "意见同步"), ("Run check-up", "运行体检"),
                            ("Joint sign-off", "会签")):
        assert translator.translate("", source) == chinese
