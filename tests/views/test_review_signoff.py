"""The sign-off dialog in both directions: a release status shown (hash, parties, quorum), and
load / sign / withdraw requests from its buttons."""

from __future__ import annotations

from app.editing.review_jobs import ReleaseStatus
from app.views.signoff_dialog import SignoffDialog

MANIFEST = {"title": "会签稿", "project": "metro", "data_version": 7, "created": "2026-03-01T00:00:00Z",
            "quorum": {"rule": "all"}}
PARTIES = ({"code": "320500", "name": "苏州市", "state": "signed", "signer": "甲", "at": "2026-03-02T08:00:00Z",
            "check": "valid"},
           {"code": "330400", "name": "嘉兴市", "state": "unsigned", "signer": "", "at": "", "check": ""})


def dialog_for(qtbot) -> SignoffDialog:
    dialog = SignoffDialog()
    qtbot.addWidget(dialog)
    return dialog


def test_status_is_shown(qtbot):
    dialog = dialog_for(qtbot)
    assert not dialog.sign_button.isEnabled()  # nothing loaded
    dialog.show_status(ReleaseStatus("/r", MANIFEST, "ab" * 32, PARTIES, ("quorum not met",), False))
    assert dialog.hash_label.text() == "ab" * 32 and "会签稿" in dialog.info.text()
    assert dialog.parties.rowCount() == 2 and dialog.parties.item(1, 0).text() == "330400"
    assert "1" in dialog.quorum.text() and "2" in dialog.quorum.text()
    assert dialog.problems.text() == "quorum not met" and dialog.sign_button.isEnabled()
    dialog.show_error("no manifest.json")
    assert dialog.problems.text() == "no manifest.json"


def test_buttons_request_load_sign_and_withdraw(qtbot):
    dialog = dialog_for(qtbot)
    dialog.folder.setText("/data/release")
    dialog.keys.setText("/data/keys")
    with qtbot.waitSignal(dialog.load_requested) as loaded:
        dialog.load_button.click()
    assert loaded.args == ["/data/release", "/data/keys"]
    dialog.show_status(ReleaseStatus("/data/release", MANIFEST, "cd" * 32, PARTIES))
    dialog.key_file.setText("/keys/330400.key")
    with qtbot.waitSignal(dialog.sign_requested) as signed:
        dialog.sign_button.click()
    assert signed.args == ["/data/release", "/keys/330400.key", "sign", "/data/keys"]
    with qtbot.waitSignal(dialog.sign_requested) as withdrawn:
        dialog.withdraw_button.click()
    assert withdrawn.args[2] == "withdraw"
