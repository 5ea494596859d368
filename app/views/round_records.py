"""The last tab of the round manager: publish the decided answers of the round, export the
review's event log (events.jsonl) and write the handling reports from an exported log."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from app.editing.round_jobs import RoundsView
from app.review import model as M
from app.review.times import beijing
from app.views.i18n import lang, tr
from app.views.review_texts import stage_text, status_text


class RecordsTab(QWidget):
    """Buttons the controller connects; `show_written` lists the files a step wrote (a double
    click opens one)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: RoundsView | None = None
        self.publish_button, self.export_button, self.reports_button = QPushButton(), QPushButton(), QPushButton()
        self.counts, self.result, self.stages = QLabel(), QLabel(), QLabel()
        self.counts.setWordWrap(True)
        self.stages.setWordWrap(True)
        self.result.setWordWrap(True)
        self.files = QListWidget()
        self.files.itemDoubleClicked.connect(lambda item: QDesktopServices.openUrl(QUrl.fromLocalFile(item.text())))
        row = QHBoxLayout()
        for button in (self.publish_button, self.export_button, self.reports_button):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.stages)
        layout.addWidget(self.counts)
        layout.addLayout(row)
        layout.addWidget(self.result)
        layout.addWidget(self.files, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.publish_button.setText(tr("Publish answers"))
        self.export_button.setText(tr("Export event log…"))
        self.reports_button.setText(tr("Handling reports…"))
        if self.view is not None:
            self.show_view(self.view)

    def show_view(self, view: RoundsView) -> None:
        self.view = view
        r = view.round(view.number)
        counts: dict[str, int] = {}
        for c in view.comments:
            counts[c["status"]] = counts.get(c["status"], 0) + 1
        listed = ("；" if lang() == "zh" else "; ").join(f"{status_text(s)} {n}" for s, n in counts.items()) or "—"
        self.counts.setText(tr("Comments of this round by status: {}").format(listed))
        self.stages.setText(tr("Stages: {}").format("  →  ".join(
            f"{stage_text(s['stage'])} {beijing(s['at'], lang())}" for s in view.detail.get("stages", []))))
        self.publish_button.setEnabled(bool(r) and r["stage"] in M.PUBLISH_STAGES
                                       and counts.get("decided", 0) > 0)

    def show_written(self, paths: list[str], message: str) -> None:
        self.result.setText(message)
        self.files.clear()
        self.files.addItems(paths)
