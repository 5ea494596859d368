"""The publish dialog both ways, without a worker: versions and rights in; the chosen outputs,
versions, resolution and folder out; progress on the bar; cancel; results; open and publish."""

from __future__ import annotations

import pytest

from app.editing.content_jobs import BuiltOutput, OutputProgress, PublishInfo
from app.model.jobs import Progress
from app.reports.build import Built
from app.reports.edition import Edition
from app.views.publish_dialog import BAR_STEPS, PublishDialog

VERSIONS = {"policy": 3, "release": 5, "reader": 1, "onemap": 2}


def built_output(kind: str, version: int, path: str) -> BuiltOutput:
    edition = Edition(kind, version, "2024-05-01", "office", "协同办公室", "c" * 64, 7, "d" * 64,
                      "mini@1", 12, "review")
    return BuiltOutput(kind, path, Built(edition, b"%PDF-1.4 sample %%EOF", 12, 3, ()))


@pytest.fixture
def dialog(qtbot):
    dialog = PublishDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_waits_for_versions_and_rights(dialog):
    assert not dialog.build_button.isEnabled() and dialog.role_label.text()
    dialog.folder.setText("/tmp/out")
    dialog.set_info(PublishInfo(VERSIONS, problem="no server"))
    assert {k: spin.value() for k, spin in dialog.versions.items()} == VERSIONS
    assert dialog.build_button.isEnabled()
    assert not dialog.publish_button.isVisibleTo(dialog)  # no server: nothing to publish to


def test_chosen_options_are_requested(dialog, qtbot, tmp_path):
    dialog.set_info(PublishInfo(VERSIONS))
    dialog.kinds["policy"].setChecked(False)
    dialog.kinds["release"].setChecked(True)
    dialog.kinds["onemap"].setChecked(True)
    dialog.versions["release"].setValue(9)
    dialog.dpi.setValue(72)
    dialog.folder.setText(str(tmp_path))
    with qtbot.waitSignal(dialog.build_requested) as request:
        dialog.build_button.click()
    assert request.args == [{"release": 9, "onemap": 2}, str(tmp_path), 72]
    for box in dialog.kinds.values():
        box.setChecked(False)
    assert not dialog.build_button.isEnabled()  # nothing chosen


def test_progress_moves_the_bar_and_cancel_is_requested(dialog, qtbot):
    dialog.set_info(PublishInfo(VERSIONS))
    dialog.set_running(True)
    assert dialog.cancel_button.isVisibleTo(dialog) and not dialog.build_button.isEnabled()
    values = []
    for step in (Progress("read", 0, 0, "reading"), Progress("map", 1, 4, "map S1"),
                 Progress("layout", 50, 100, "layout")):
        dialog.set_progress(OutputProgress("policy", 1, 2, step))
        values.append(dialog.bar.value())
    assert values == sorted(values) and 0 < values[-1] < BAR_STEPS / 2
    assert "1/4" not in dialog.step_label.text() and "50/100" in dialog.step_label.text()
    with qtbot.waitSignal(dialog.cancel_requested):
        dialog.cancel_button.click()
    dialog.show_cancelled()
    assert dialog.bar.value() == 0 and not dialog.cancel_button.isVisibleTo(dialog)
    assert dialog.build_button.isEnabled() is bool(dialog.folder.text())


def test_results_open_and_publish_for_a_publisher(dialog, qtbot, tmp_path):
    dialog.folder.setText(str(tmp_path))
    dialog.set_info(PublishInfo(VERSIONS, "http://srv", "publisher"))
    outputs = [built_output("release", 5, str(tmp_path / "a.pdf")),
               built_output("onemap", 2, str(tmp_path / "b.pdf"))]
    dialog.show_result(outputs)
    assert dialog.table.rowCount() == 2 and dialog.bar.value() == BAR_STEPS
    assert [dialog.table.item(0, c).text() for c in (1, 2, 3)] == ["5", "12", "3"]
    assert dialog.table.item(0, 4).text() == outputs[0].built.sha256[:16]
    with qtbot.waitSignal(dialog.open_requested) as opened:
        dialog.open_button.click()
    assert opened.args == [str(tmp_path / "a.pdf")]
    assert dialog.publish_button.isEnabled()
    with qtbot.waitSignal(dialog.publish_requested):
        dialog.publish_button.click()
    dialog.show_published([{"kind": "release", "version": 5}, {"kind": "onemap", "version": 2}])
    assert "release v5" in dialog.step_label.text()


def test_other_roles_see_publish_disabled(dialog):
    dialog.set_info(PublishInfo(VERSIONS, "http://srv", "editor"))
    dialog.show_result([built_output("release", 5, "/tmp/a.pdf")])
    assert dialog.publish_button.isVisibleTo(dialog) and not dialog.publish_button.isEnabled()
    assert "editor" in dialog.role_label.text()
    dialog.set_info(PublishInfo(VERSIONS, "http://srv", None, "cannot reach the server"))
    assert not dialog.publish_button.isEnabled() and "cannot reach" in dialog.role_label.text()


def test_an_error_is_shown(dialog):
    dialog.set_running(True)
    dialog.show_error("cannot write /x")
    assert dialog.message.text() == "cannot write /x" and not dialog.running
