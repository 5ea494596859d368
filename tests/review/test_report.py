"""Handling reports: fonts embedded, Chinese extractable, same bytes again, and sentences that
are true of the data: open items listed, quotes as written, map items by name, history,
evidence as the server resolved it, no line starting with closing punctuation, a signature
page only for this ledger; the CLI's --party and --out."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from app.cli import main
from app.errors import ConflictError
from app.reports.cjk import NO_START
from app.review.events import Event, write_jsonl
from app.review.ledger import compute
from app.review.report import Signatures, party_report, summary_report
from app.review.state import fold

PLAN = "上海大都市圈空间协同规划"
REVISION = "ab" * 32  # a frozen draft's hash
CHANGESET = "0190f3a2-6c1e-7b3a-9d2e-4f5a6b7c8d9e"
FEATURE = "4f1c9a22-0000-4000-8000-00000000beef"
POINT = "01010000000000000000005E400000000000003F40"  # POINT(120 31)


class Story:
    """A review written event by event, as a server would have accepted it."""

    def __init__(self):
        self.events: list[Event] = []

    def add(self, kind: str, data: dict, *, party: str = "office", user: str = "boss",
            at: str = "2026-03-01T01:00:00Z", round: int = 1, id: str | None = None) -> str:
        n = len(self.events) + 1
        event_id = id or f"00000000-0000-4000-8000-{n:012d}"
        self.events.append(Event(event_id, n, kind, round, party, user, at, data))
        return event_id

    def comment(self, n: int, party: str, name: str, text: str, anchors: list[dict],
                at: str) -> str:
        cid = f"c0000000-0000-4000-8000-{n:012d}"
        body = {"format": "coplan.comment/v1", "id": cid, "round": 1, "party": party,
                "author": "经办人", "channel": "app", "written": "2026-03-01T00:00:00Z",
                "body": {"zh": text}, "anchors": anchors}
        return self.add("comment", {"comment": body, "party_name": name, "party_type": "city",
                                    "author": f"{party}-user"},
                        party=party, user=f"{party}-user", at=at, id=cid)

    def answer(self, cid: str, disposition: str, text: str, changes: list[dict],
               at: str, reason: str | None = None) -> str:
        decision = self.add("decide", {"comments": [cid], "disposition": disposition,
                                       "reason": reason, "answer": {"zh": text},
                                       "changes": changes}, at=at)
        snapshot = {"decision": decision, "disposition": disposition, "reason": reason,
                    "answer": {"zh": text}, "changes": changes, "memo": None,
                    "by_party": "office", "by_user": "boss", "decided_at": at}
        return self.add("publish", {"answers": {cid: snapshot}}, at=at)


def story_events() -> list[Event]:
    s = Story()
    s.add("round.open", {"title": {"zh": "第1轮"}, "visibility": "sealed", "teams": {},
                         "due": "2026-04-01"})
    s.add("round.freeze", {"draft_hash": REVISION})
    for code, name in (("320500", "苏州市"), ("330400", "嘉兴市"), ("330500", "湖州市")):
        s.add("invite", {"party": code, "name": name, "type": "city", "due": "2026-04-01"})
    a = s.comment(1, "320500", "苏州市", "建议补充港口协作的具体时序。",
                  [{"type": "clause", "section": "S1.1", "quote": "港口协作", "position": 4},
                   {"type": "feature", "layer": "DSQ_ZLXTQ", "uuid": FEATURE, "label": "环太湖",
                    "geometry": POINT},
                   {"type": "feature", "layer": "XMK_POINT", "uuid": FEATURE.replace("beef", "cafe"),
                    "data_version": 3, "geometry": POINT}],
                  "2026-03-02T01:00:00Z")
    b = s.comment(2, "330400", "嘉兴市", "建议明确嘉兴段的生态廊道宽度。",
                  [{"type": "clause", "section": "S1.1", "quote": "各方协同", "position": 10}],
                  "2026-04-05T03:00:00Z")  # after the due date: late
    s.comment(3, "320500", "苏州市", "建议增加太湖科学城的内容，并与苏州市相关规划做好衔接，"
              "确保各方共同落实。", [], "2026-03-03T01:00:00Z")
    s.add("anchor.migrate", {"results": {a: [
        {"index": 0, "status": "moved", "score": 1.0,
         "anchor": {"type": "clause", "section": "S1.2", "quote": "港口协作联动", "position": 10}},
        {"index": 1, "status": "orphaned", "score": 0.0}]}})
    first = s.answer(a, "partially_adopted", "部分采纳，已补充原则性要求。",
                     [{"kind": "changeset", "id": CHANGESET, "version": 7, "party": "320500"}],
                     "2026-04-10T02:00:00Z")
    s.add("confirm", {"comment": a, "publication": first, "satisfied": False,
                      "note": "请补充具体时序。"}, party="320500", user="320500-user",
          at="2026-04-11T02:00:00Z")
    s.answer(a, "adopted", "采纳，已补充 2027 年前建成的时序要求。",
             [{"kind": "text", "section": "S1.1", "revision": REVISION,
               "before": "加强区域港口协作与联动。各方协同推进。",
               "after": "加强区域港口协作与联动，2027 年前建成联动机制。各方协同推进。"}],
             "2026-04-12T02:00:00Z")
    s.answer(b, "adopted", "采纳。", [{"kind": "text", "section": "NOSUCH.section",
                                     "revision": "whatever"}], "2026-04-12T03:00:00Z")
    return s.events


@pytest.fixture(scope="module")
def story():
    return fold(story_events())


def _run(*argv) -> str:
    return subprocess.run(argv, capture_output=True, text=True, check=True, timeout=60).stdout


def _text(pdf, layout: bool = False) -> str:
    return _run("pdftotext", *(["-layout"] if layout else []), str(pdf), "-")


def _flat(pdf) -> str:
    """The text with line breaks and spaces removed (a phrase may wrap in a table cell)."""
    return re.sub(r"\s+", "", _text(pdf))


@pytest.fixture(scope="module")
def pdfs(sample, tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    summary = summary_report(sample.state, folder / "summary.pdf", plan=PLAN)
    party = party_report(sample.state, "mnr", folder / "mnr.pdf", plan=PLAN)
    english = party_report(sample.state, "experts", folder / "experts-en.pdf", plan="Metro plan",
                           lang="en")
    return summary, party, english


@pytest.fixture(scope="module")
def story_pdfs(story, tmp_path_factory):
    folder = tmp_path_factory.mktemp("story")
    return (summary_report(story, folder / "summary.pdf", plan=PLAN),
            party_report(story, "320500", folder / "sz.pdf", plan=PLAN),
            party_report(story, "330400", folder / "jx.pdf", plan=PLAN))


def test_every_font_is_embedded(pdfs):
    for pdf in pdfs:
        lines = _run("pdffonts", str(pdf)).splitlines()[2:]
        assert lines and all(" yes yes yes " in line for line in lines), lines


def test_chinese_text_is_extractable(pdfs):
    summary, party, english = pdfs
    text = _text(party)
    assert "意见处理情况专报——自然资源部" in text and "会签页" in text and "采纳" in text
    assert "书面意见征询处理情况说明" in _text(summary)
    assert "Signature page" in _text(english)


def test_same_inputs_give_the_same_bytes(pdfs, sample, tmp_path):
    again = party_report(sample.state, "mnr", tmp_path / "again.pdf", plan=PLAN)
    assert again.read_bytes() == pdfs[1].read_bytes()


def test_all_answered_only_when_true(pdfs, story_pdfs):
    assert "均已逐条研究答复" in _flat(pdfs[0])  # the sample: every comment answered
    summary, suzhou, _ = (_flat(p) for p in story_pdfs)
    assert "均已逐条研究答复" not in summary and "均已答复" not in suzhou
    assert "意见3条，已发布答复2条，尚有1条未办结" in summary
    assert "未办结意见" in summary and "建议增加太湖科学城的内容" in summary and "待研究" in summary
    assert "贵单位共提出意见2条，已发布答复1条，尚有1条未办结" in suzhou


def test_quote_as_written_and_where_it_stands_now(story_pdfs):
    text = _flat(story_pdfs[1])
    assert "原文引用：S1.1「港口协作」" in text
    assert "现位置：S1.2第11字（条文已调整）" in text
    assert "S1.2「" not in text and "港口协作联动」" not in text  # never as what was quoted


def test_map_items_are_named_not_coded(story_pdfs):
    text = _flat(story_pdfs[1])
    assert "地图要素：战略协同区「环太湖」" in text and "现状：图斑已删除" in text
    assert "地图要素：项目库（点）（未命名图斑，数据第3版）" in text
    assert "DSQ_ZLXTQ" not in text and "XMK_POINT" not in text and FEATURE[:8] not in text


def test_history_shows_the_first_answer_and_the_note(story_pdfs):
    text = _flat(story_pdfs[1])
    assert "先前答复（2026-04-1010:00北京时间）：部分采纳。部分采纳，已补充原则性要求。" in text
    assert "单位反馈（2026-04-1110:00北京时间）：不满意——请补充具体时序。" in text
    assert text.index("采纳，已补充2027年前") < text.index("先前答复")  # under the current one


def test_evidence_as_resolved_by_the_server(story, tmp_path):
    from app.review.texts import evidence_lines
    a = story.comments["c0000000-0000-4000-8000-000000000001"]
    first = next(e for e in a.history if e.kind == "publish")
    from app.review.state import Answer
    old = Answer.of(first, first.data["answers"][a.id])
    assert evidence_lines(old, "zh", {"320500": "苏州市"}) == ["数据修改 第7版（苏州市）"]
    [line] = evidence_lines(a.published, "zh", {})
    assert line.startswith("文本修改 S1.1：修改前「") and "2027 年前建成" in line
    assert "→ 修改后「" in line and len(line) < 120
    text = _flat(party_report(story, "330400", tmp_path / "jx.pdf", plan=PLAN))
    assert "未核验的修改依据（NOSUCH.section@whatever）" in text
    assert "文本修改NOSUCH" not in text


def test_late_comment_and_beijing_times(story_pdfs):
    text = _flat(story_pdfs[2])
    assert "收到2026-04-0511:00北京时间·逾期" in text
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", _text(story_pdfs[2]))  # no raw UTC


def _chunks(pdf) -> list[str]:
    """Each run of text of a -layout page: lines split where columns are (2+ spaces)."""
    return [chunk for line in _text(pdf, layout=True).splitlines()
            for chunk in re.split(r"\s{2,}", line.strip()) if chunk]


def test_no_line_starts_with_closing_punctuation(sample, tmp_path, story_pdfs):
    bad_start = set(NO_START) - set(".%")  # '.' and '%' also end numbers like 93.5%
    pdfs = [summary_report(sample.state, tmp_path / "s.pdf", plan=PLAN),
            party_report(sample.state, "310000", tmp_path / "sh.pdf", plan=PLAN),
            party_report(sample.state, "mnr", tmp_path / "mnr.pdf", plan=PLAN), *story_pdfs]
    for pdf in pdfs:
        bad = [c for c in _chunks(pdf) if c[0] in bad_start]
        assert not bad, (pdf.name, bad[:5])


def _signatures(ledger_hash: str | None) -> Signatures:
    parties = [{"code": "320500", "name": "苏州市"}, {"code": "330400", "name": "嘉兴市"}]
    entry = {"signer": "张三", "key_id": "k1", "at": "2026-05-01T02:30:00Z",
             "signature": "A" * 40}
    return Signatures("f" * 64, parties, {"320500": entry}, ledger_hash)


def test_signature_page_labels_and_times(story, tmp_path):
    ledger = compute(story)
    pdf = summary_report(story, tmp_path / "s.pdf", plan=PLAN,
                         signatures=_signatures(ledger.hash()))
    page = _flat(pdf).split("会签页")[-1]
    assert "2026-05-0110:30北京时间" in page and "待签署" in page and "待答复" not in page
    assert ledger.hash() in page


def test_signature_page_for_another_ledger_is_refused(story, tmp_path):
    with pytest.raises(ConflictError, match="ledger differs"):
        summary_report(story, tmp_path / "s.pdf", plan=PLAN, signatures=_signatures("0" * 64))


# --- the CLI ---------------------------------------------------------------------------------

@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "events.jsonl"
    write_jsonl(story_events(), path)
    return path


def test_cli_silent_party_and_missing_out_folder(archive, tmp_path, capsys):
    out = tmp_path / "not" / "yet"
    assert main(["handling-report", str(archive), "--party", "330500", "--out", str(out)]) == 0
    text = _flat(out / "party-330500-zh.pdf")
    assert "贵单位在本次征询中未提出书面意见" in text and "未回复（截止2026-04-01）" in text


def test_cli_unknown_party_is_one_line(archive, tmp_path, capsys):
    code = main(["handling-report", str(archive), "--party", "nobody", "--out", str(tmp_path)])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.count("\n") == 0 and "nobody" in err and "not invited" in err


def _release(tmp_path, ledger: dict):
    """A release signed by both parties with deterministic keys; returns (folder, keyring)."""
    from app.review import release
    from app.review.signing import Keyring
    from sample_projects.review import sample_key

    keys = tmp_path / "keys"
    keys.mkdir()
    parties = [{"code": "320500", "name": "苏州市"}, {"code": "330400", "name": "嘉兴市"}]
    folder = tmp_path / "release"
    release.freeze(folder, project="p", title="会签稿", sections={"S1.1": "文本"},
                   data_version={"version": 1}, ledger=ledger, parties=parties,
                   quorum={"rule": "all"}, created="2026-05-01T00:00:00Z")
    signing = [sample_key(p["code"], p["name"], keys) for p in parties]
    for n, key in enumerate(signing):
        release.sign(folder, key, at=f"2026-05-0{n + 1}T02:30:00Z")
    ring = tmp_path / "keyring.json"
    ring.write_text(json.dumps(Keyring.of({k.public.key_id: k.public for k in signing})
                               .to_json()), encoding="utf-8")
    return folder, ring


def test_cli_signature_page_from_a_verified_release_of_this_ledger(archive, tmp_path):
    folder, ring = _release(tmp_path, compute(fold(story_events())).to_json())
    out = tmp_path / "out"
    assert main(["handling-report", str(archive), "--out", str(out), "--release", str(folder),
                 "--keyring", str(ring)]) == 0
    page = _flat(out / "summary-zh.pdf").split("会签页")[-1]
    assert "2026-05-0110:30北京时间" in page and "2026-05-0210:30北京时间" in page


def test_cli_refuses_a_release_of_another_ledger(archive, tmp_path, capsys):
    other = compute(fold(story_events()[:-2])).to_json()  # before the last answers
    folder, ring = _release(tmp_path, other)
    code = main(["handling-report", str(archive), "--out", str(tmp_path / "o"), "--release",
                 str(folder), "--keyring", str(ring)])
    assert code not in (0, 70) and "another ledger" in capsys.readouterr().err
    assert not (tmp_path / "o" / "summary-zh.pdf").exists()


def test_cli_refuses_a_release_that_does_not_verify(archive, tmp_path, capsys):
    folder, ring = _release(tmp_path, compute(fold(story_events())).to_json())
    ledger = folder / "ledger.json"
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("采纳", "未采纳"),
                      encoding="utf-8")
    code = main(["handling-report", str(archive), "--out", str(tmp_path / "o"), "--release",
                 str(folder), "--keyring", str(ring)])
    assert code not in (0, 70) and "does not verify" in capsys.readouterr().err


def test_a_report_of_one_round(sample, tmp_path, capsys):
    """`--round N`: round N's comments (with every answer since) and invitations only."""
    from app.review.state import of_round
    archive = tmp_path / "events.jsonl"
    write_jsonl(sample.log, archive)
    assert main(["handling-report", str(archive), "--out", str(tmp_path / "r2"), "--round", "2",
                 "--party", "mnr"]) == 0
    assert main(["handling-report", str(archive), "--out", str(tmp_path / "r2"),
                 "--round", "2"]) == 0
    second = compute(of_round(sample.state, 2))
    assert 0 < second.total.comments < compute(sample.state).total.comments
    assert {r["round"] for r in second.responses} == {2}
    text = _flat(tmp_path / "r2" / "summary-r2-zh.pdf")
    assert "第2轮书面意见征询处理情况说明" in text
    assert f"意见{second.total.comments}条" in text
    assert (tmp_path / "r2" / "party-mnr-r2-zh.pdf").exists()
    assert main(["handling-report", str(archive), "--out", str(tmp_path), "--round", "9"]) != 0
    assert "no round 9" in capsys.readouterr().err
