"""The meeting memo PDF: number, level, date, attendees, agenda and every decision, no uuid,
fonts embedded. One small log made here (three issues decided three ways), built once."""

from __future__ import annotations

import json
import subprocess
import uuid
from pathlib import Path

import pytest

from app.errors import NotFound
from app.implement.events import Event, parse_data
from app.implement.items import items_from_content
from app.implement.memo import memo_pdf
from app.implement.model import LEVELS
from app.implement.report import Names
from app.implement.state import fold, item_to_json

TEMPLATE = json.loads(Path("schemas/content/metro-1-8-5.json").read_text(encoding="utf-8"))
MEETING = "5f0c7a54-0c1e-4f57-9d0c-3a1c2b7e0001"
ISSUES = [str(uuid.UUID(int=n + 1)) for n in range(3)]


def _event(n: int, kind: str, data: dict, party: str = "office") -> Event:
    return Event(str(uuid.UUID(int=1000 + n)), n, kind, party, "coordinator",
                 f"2026-11-{n + 1:02d}T02:00:00.000Z", parse_data(kind, data))


def _log() -> list[Event]:
    items = [item_to_json(i) for i in items_from_content(TEMPLATE)]
    events = [_event(1, "items", {"items": items})]
    titles = [("太浦河清水走廊水质监测数据共享滞后", "Water-quality data sharing lags"),
              ("沪苏湖铁路站点周边用地审批待协调", "Land approval near the new stations"),
              ("环太湖绿道贯通节点资金未落实", "Funding for the Taihu greenway link")]
    for n, (iid, (zh, en)) in enumerate(zip(ISSUES, titles, strict=True)):
        events.append(_event(2 + n, "issue", {
            "issue": iid, "title_zh": zh, "title_en": en, "owner": ["320500", "310000-JTW",
                                                                    "320200"][n],
            "due": "2026-11-20", "level": 2, "item": None,
            "source": {"kind": "manual", "ref": ""}}))
    events.append(_event(5, "meeting", {
        "meeting": MEETING, "level": 2, "date": "2026-11-25", "title_zh": "十一月部门销项会",
        "title_en": "November issue-closing meeting", "attendees": ["office", "320500",
                                                                    "310000-JTW", "320200"],
        "agenda": ISSUES}))
    events.append(_event(6, "memo", {
        "meeting": MEETING, "number": "沪都协纪〔2026〕11号", "text_zh": "会议听取了各单位汇报。\n合成示例。",
        "text_en": "The meeting heard the parties.\nSynthetic sample.",
        "decisions": [{"issue": ISSUES[0], "action": "close", "note": "数据已共享", "due": None},
                      {"issue": ISSUES[1], "action": "escalate", "note": "提请领导小组", "due": None},
                      {"issue": ISSUES[2], "action": "keep", "note": "年底前落实",
                       "due": "2026-12-31"}]}))
    return events


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    state = fold(_log())
    folder = tmp_path_factory.mktemp("memo")
    out = {}
    for lang in ("zh", "en"):
        path = folder / f"memo-{lang}.pdf"
        path.write_bytes(memo_pdf(state, MEETING, lang=lang, names=Names.from_template(TEMPLATE)))
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
        out[lang] = (path, text)
    return out


def test_memo_lists_number_level_date_and_attendees(pdfs):
    text = pdfs["zh"][1]
    assert "沪都协纪〔2026〕11号" in text
    assert LEVELS[2][0] in text and "2026-11-25" in text
    assert "苏州市" in text and "上海市交通委" in text


def test_memo_lists_every_decision(pdfs):
    zh, en = pdfs["zh"][1], pdfs["en"][1]
    assert "销项（关闭）" in zh
    assert f"升级至3级（{LEVELS[3][0]}）" in zh
    assert "保留，期限调整为 2026-12-31" in zh
    assert "closed" in en and "escalated to level 3" in en and "kept, new due date 2026-12-31" in en
    for n in (1, 2, 3):  # short numbers in the order the issues were opened
        assert zh.count(f"#{n}") >= 2  # on the agenda and among the decisions


def test_memo_prints_no_uuid_nor_none(pdfs):
    for _, text in pdfs.values():
        assert "None" not in text
        assert all(iid not in text for iid in [*ISSUES, MEETING])


def test_memo_fonts_are_embedded(pdfs):
    fonts = subprocess.run(["pdffonts", str(pdfs["zh"][0])], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)


def test_unknown_meeting_is_not_found():
    with pytest.raises(NotFound):
        memo_pdf(fold([]), MEETING)


def test_meeting_without_memo_prints_its_agenda_with_due_dates(tmp_path):
    state = fold(e for e in _log() if e.kind != "memo")
    path = tmp_path / "agenda.pdf"
    path.write_bytes(memo_pdf(state, MEETING, names=Names.from_template(TEMPLATE)))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "纪要待录入" in text and "三、议定事项" not in text
    assert text.count("2026-11-20") == 3  # every issue's due date before any decision
