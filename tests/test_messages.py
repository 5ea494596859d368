"""The core's messages in Chinese: templates, captured parts, bilingual messages, GEOS reasons
and foreign exceptions turned into clean CoplanErrors."""

from __future__ import annotations

import re
import sqlite3

import pytest
import requests
import shapely
from hypothesis import given
from hypothesis import strategies as st

from app.errors import CoplanError, InvalidInput, ProjectError, ReadOnlyProject, SyncError
from app.message_catalogue import CATALOGUE, EN_DESKTOP
from app.messages import as_coplan, has_cjk, localize


def test_a_formatted_message_comes_out_in_chinese():
    assert localize("no such project file: /tmp/x.sqlite", "zh") == "找不到项目文件：/tmp/x.sqlite"
    assert localize("no such project file: /tmp/x.sqlite", "en") == "no such project file: /tmp/x.sqlite"


def test_parts_can_be_reordered_and_are_localized_in_turn():
    assert localize("no feature abc in layer SY", "zh") == "图层 SY 中没有要素 abc"
    assert localize("server error 500: wrong user name or password", "zh") == "服务器错误（500）：用户名或密码错误"


def test_an_unknown_message_comes_back_as_it_is():
    assert localize("something nobody wrote down", "zh") == "something nobody wrote down"


def test_a_bilingual_message_gives_the_half_in_the_language():
    message = "the server is busy; try again / 服务器繁忙，请稍后重试"
    assert localize(message, "zh") == "服务器繁忙，请稍后重试"
    assert localize(message, "en") == "the server is busy; try again"


def test_a_geos_reason_loses_its_cli_hint():
    message = "invalid geometry: Self-intersection[121.4 31.2] (make_valid can repair it)"
    zh, en = localize(message, "zh"), localize(message, "en")
    assert zh.startswith("几何图形无效：边界自相交（位于 121.400000, 31.200000）")
    assert "make_valid" not in zh and "make_valid" not in en and "crosses itself" in en
    assert "make_valid" not in localize("几何图形无效：Ring Self-intersection[1 2]（可用 make_valid 修复）", "zh")


def test_a_validation_problem_reads_without_the_cli_hint():
    from app.messages import problem_text
    from app.model.validation import Problem

    problem = Problem("invalid-geometry", "invalid geometry: Self-intersection[1 2] (make_valid can repair it)",
                      "几何图形无效：Self-intersection[1 2]（可用 make_valid 修复）")
    assert problem_text(problem, "zh").startswith("几何图形无效：边界自相交")
    assert "make_valid" not in problem_text(problem, "en")


def test_a_push_refusal_points_to_the_desktop_not_the_cli():
    from app.model.changes import ChangeSet
    from app.sync.replica import PushRefused

    cs = ChangeSet("0190abcd", "310000", "me", "湖泊", "2026-01-01", 0, 1, ())
    error = PushRefused(cs, "feature 0190 belongs to party 320500")
    zh = localize(error.message, "zh")
    assert "0190abcd" in zh and "湖泊" in zh and "要素 0190 属于参与方 320500" in zh
    assert "coplan" not in zh and "coplan" not in localize(error.message, "en")


def test_every_template_formats_with_as_many_parts_as_it_has():
    for table in (CATALOGUE, EN_DESKTOP):
        for english, translated in table.items():
            parts = [f"<{i}>" for i in range(english.count("{}"))]
            out = translated.format(*parts)
            assert "{" not in out, english
            if "{}" in translated:  # plain placeholders: every part used, in order
                assert translated.count("{}") == len(parts), english
    assert all(has_cjk(zh) for zh in CATALOGUE.values())


def test_the_catalogue_covers_the_core_messages_a_desktop_user_meets():
    for message in ("nothing to commit: no pending changes", "wrong user name or password",
                    "token expired; log in again", "this project has no server; clone it from one or set its remote",
                    "there are uncommitted changes; commit or discard them before syncing",
                    "/a/b.txt is a SQLite file but not a CoPlan project"):
        assert has_cjk(localize(message, "zh")), message


@pytest.mark.parametrize(("exc", "kind", "zh"), [
    (requests.ConnectionError("HTTPConnectionPool(host='10.0.0.9', port=80): Max retries exceeded",
                              request=requests.Request("GET", "http://10.0.0.9:8000/api/v1/x").prepare()),
     SyncError, "无法连接服务器 http://10.0.0.9:8000：请检查网络或服务器地址"),
    (requests.ReadTimeout("read timed out"), SyncError, "响应超时"),
    (sqlite3.OperationalError("database is locked"), ProjectError, "另一个程序"),
    (sqlite3.OperationalError("attempt to write a readonly database"), ReadOnlyProject, "只读"),
    (shapely.errors.GEOSException("IllegalArgumentException: Points of LinearRing do not form a closed "
                                  "linestring"), InvalidInput, "无法处理该几何图形"),
    (PermissionError(13, "Permission denied", "/x/p.sqlite"), ReadOnlyProject, "没有写入 /x/p.sqlite 的权限"),
    (KeyError("boom"), CoplanError, "意外错误"),
])
def test_foreign_exceptions_become_clean_coplan_errors(exc, kind, zh):
    error = as_coplan(exc)
    assert isinstance(error, kind)
    text = localize(error.message, "zh")
    assert zh in text and "HTTPConnectionPool" not in text and "Traceback" not in text
    assert has_cjk(text)


def test_a_coplan_error_passes_through():
    error = SyncError("x")
    assert as_coplan(error) is error


def test_the_client_says_what_to_do_when_the_server_is_unreachable():
    from app.sync.client import Remote

    remote = Remote("http://127.0.0.1:9", retries=0)
    with pytest.raises(SyncError) as caught:
        remote.project("p")
    assert caught.value.message == ("cannot reach the server http://127.0.0.1:9: check the network or "
                                    "the server address")
    assert re.search("[\u4e00-\u9fff]", localize(caught.value.message, "zh"))


@given(st.text(max_size=200), st.sampled_from(["zh", "en"]))
def test_localize_never_fails(message, lang):
    assert isinstance(localize(message, lang), str)  # any text at all: a message must not hide the error


@given(st.sampled_from(sorted(CATALOGUE)), st.lists(st.text(alphabet="abcXYZ019._-", min_size=1, max_size=8),
                                                   min_size=6, max_size=6))
def test_every_template_matches_its_own_formatting(template, parts):
    message = template
    for part in parts[:template.count("{}")]:  # not str.format: a few templates hold literal braces
        message = message.replace("{}", part, 1)
    out = localize(message, "zh")
    assert has_cjk(out), (template, out)
