"""The publish dialog: choose the outputs (policy set, release edition, public reader, one map),
their versions, the map resolution and the output folder; build them on the DB worker with a
progress bar and cancel; see pages, maps and hashes; open a PDF; upload to the server's registry
(publisher and coordinator logins only).

It only shows what the content controller hands it and emits requests.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.editing.content_jobs import BuiltOutput, OutputProgress, PublishInfo, overall_fraction
from app.reports.build import DPI
from app.reports.edition import KINDS
from app.views.i18n import lang, tr

BAR_STEPS = 1000
ERROR_STYLE = "color: #C92A2A;"


def kind_name(kind: str) -> str:
    zh, en = KINDS[kind]
    return zh if lang() == "zh" else en


class PublishDialog(QDialog):
    """Requests: build({kind: version}, folder, dpi), cancel, publish, open(path)."""

    build_requested = Signal(object, str, int)  # object: a dict signal would sort its keys
    cancel_requested = Signal()
    publish_requested = Signal()
    open_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info: PublishInfo | None = None
        self.outputs: list[BuiltOutput] = []
        self.running = False
        self._build_options()
        self._build_progress()
        self._build_result()
        self._lay_out()
        self.kinds["policy"].setChecked(True)  # the full 1+8+5 unless chosen otherwise
        self.retranslate()
        self.set_info(None)

    # -- construction ----------------------------------------------------------------------

    def _build_options(self) -> None:
        self.options = QGroupBox()
        grid = QGridLayout(self.options)
        self._kind_rows(grid)
        self.dpi, self.dpi_label = QSpinBox(), QLabel()
        self.dpi.setRange(30, 600)
        self.dpi.setValue(DPI)
        self.folder, self.folder_label, self.browse = QLineEdit(), QLabel(), QPushButton()
        self.folder.textChanged.connect(self._check)
        self.browse.clicked.connect(self.choose_folder)
        grid.addWidget(self.dpi_label, len(KINDS), 0)
        grid.addWidget(self.dpi, len(KINDS), 2)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(self.browse)
        grid.addWidget(self.folder_label, len(KINDS) + 1, 0)
        grid.addLayout(folder_row, len(KINDS) + 1, 1, 1, 2)
        grid.setColumnStretch(1, 1)

    def _kind_rows(self, grid: QGridLayout) -> None:
        """A tick box and a version for each output."""
        self.kinds: dict[str, QCheckBox] = {}
        self.versions: dict[str, QSpinBox] = {}
        self.version_labels: dict[str, QLabel] = {}
        for row, kind in enumerate(KINDS):
            self.kinds[kind], self.versions[kind] = QCheckBox(), QSpinBox()
            self.version_labels[kind] = QLabel()
            self.versions[kind].setRange(1, 1_000_000)
            self.kinds[kind].toggled.connect(self._check)
            grid.addWidget(self.kinds[kind], row, 0)
            grid.addWidget(self.version_labels[kind], row, 1, Qt.AlignmentFlag.AlignRight)
            grid.addWidget(self.versions[kind], row, 2)

    def _build_progress(self) -> None:
        self.bar = QProgressBar()
        self.bar.setRange(0, BAR_STEPS)
        self.step_label, self.message = QLabel(), QLabel()
        self.message.setWordWrap(True)
        self.build_button, self.cancel_button = QPushButton(), QPushButton()
        self.build_button.clicked.connect(self._on_build)
        self.cancel_button.clicked.connect(self.cancel_requested)

    def _build_result(self) -> None:
        self.table = QTableWidget(0, 6)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.itemDoubleClicked.connect(lambda _: self._on_open())
        self.open_button, self.folder_button = QPushButton(), QPushButton()
        self.publish_button, self.close_button = QPushButton(), QPushButton()
        self.role_label = QLabel()
        self.role_label.setWordWrap(True)
        self.open_button.clicked.connect(self._on_open)
        self.folder_button.clicked.connect(lambda: self.open_requested.emit(self.folder.text()))
        self.publish_button.clicked.connect(self._on_publish)
        self.close_button.clicked.connect(self.close)

    def _lay_out(self) -> None:
        progress = QHBoxLayout()
        progress.addWidget(self.bar, 1)
        progress.addWidget(self.build_button)
        progress.addWidget(self.cancel_button)
        actions = QHBoxLayout()
        for button in (self.open_button, self.folder_button, self.publish_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.options)
        layout.addLayout(progress)
        for widget in (self.step_label, self.message):
            layout.addWidget(widget)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.role_label)
        layout.addLayout(actions)
        self.resize(760, 560)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Publish outputs"))
        self.options.setTitle(tr("Outputs"))
        for kind, box in self.kinds.items():
            box.setText(f"{kind_name(kind)} ({kind})")
            self.version_labels[kind].setText(tr("version"))
        self.dpi_label.setText(tr("Map resolution (dpi)"))
        self.folder_label.setText(tr("Output folder"))
        self.browse.setText(tr("Choose…"))
        self.build_button.setText(tr("Build"))
        self.cancel_button.setText(tr("Cancel"))
        self.table.setHorizontalHeaderLabels([tr("Output"), tr("Version"), tr("Pages"), tr("Maps"),
                                              tr("SHA-256"), tr("File")])
        self.open_button.setText(tr("Open PDF"))
        self.folder_button.setText(tr("Open folder"))
        self.publish_button.setText(tr("Publish to the server"))
        self.close_button.setText(tr("Close"))
        self._show_role()

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Output folder"), self.folder.text())
        if folder:
            self.folder.setText(folder)

    # -- model -> UI -----------------------------------------------------------------------

    def set_info(self, info: PublishInfo | None) -> None:
        """Next versions and the login's role (None: still asking the worker)."""
        self.info = info
        for kind, spin in self.versions.items():
            if info is not None:
                spin.setValue(info.versions.get(kind, 1))
        self._show_role()
        self._check()

    def _show_role(self) -> None:
        info = self.info
        if info is None:
            text = tr("Looking up versions and publishing rights…")
        elif info.server is None:
            text = tr("This project has no server: outputs are built locally only.")
        elif info.role is None:
            text = tr("Publishing rights unknown ({}): log in and try again.").format(info.problem)
        elif info.can_publish:
            text = tr("You may publish to {} as {}.").format(info.server, info.role)
        else:
            text = tr("Role {} may not publish; publishers and coordinators may.").format(info.role)
        self.role_label.setText(text)
        self.publish_button.setVisible(info is not None and info.server is not None)
        self._check()

    def set_running(self, running: bool) -> None:
        self.running = running
        self.options.setEnabled(not running)
        self.cancel_button.setVisible(running)
        if running:
            self.bar.setValue(0)
            self.message.clear()
            self.message.setStyleSheet("")
        self._check()

    def set_progress(self, progress: OutputProgress) -> None:
        """A build step: the bar shows the whole build, the label which output and step."""
        self.bar.setValue(round(overall_fraction(progress) * BAR_STEPS))
        step = progress.step
        count = f" {step.done}/{step.total}" if step.total else ""
        self.step_label.setText(tr("{} ({} of {}): {}").format(
            kind_name(progress.kind), progress.number, progress.count, step.message + count))

    def set_upload_progress(self, done: int, total: int, message: str) -> None:
        self.bar.setValue(round(done / max(total, 1) * BAR_STEPS))
        self.step_label.setText(tr("Uploading {}").format(message))

    def show_result(self, outputs: list[BuiltOutput]) -> None:
        """The built outputs: pages, maps, hash and file of each."""
        self.set_running(False)
        self.outputs = list(outputs)
        self.bar.setValue(BAR_STEPS)
        self.step_label.setText(tr("Built {} output(s).").format(len(outputs)))
        self.table.setRowCount(len(outputs))
        for row, out in enumerate(outputs):
            cells = (kind_name(out.kind), str(out.version), str(out.built.pages),
                     str(out.built.maps), out.built.sha256[:16], out.path)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(out.built.sha256 if column == 4 else text)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        if outputs:
            self.table.selectRow(0)
        self._check()

    def show_cancelled(self) -> None:
        self.set_running(False)
        self.bar.setValue(0)
        self.step_label.setText(tr("Build cancelled."))

    def show_error(self, text: str) -> None:
        self.set_running(False)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)

    def show_published(self, records: list[dict]) -> None:
        self.set_running(False)
        self.bar.setValue(BAR_STEPS)
        names = ", ".join(f"{r['kind']} v{r['version']}" for r in records)
        self.step_label.setText(tr("Published to the server: {}").format(names))

    def _check(self, *_) -> None:
        chosen = any(box.isChecked() for box in self.kinds.values())
        self.build_button.setEnabled(not self.running and self.info is not None and chosen
                                     and bool(self.folder.text().strip()))
        self.open_button.setEnabled(bool(self.outputs))
        self.folder_button.setEnabled(bool(self.outputs))
        self.publish_button.setEnabled(not self.running and bool(self.outputs)
                                       and self.info is not None and self.info.can_publish)

    # -- UI -> model -----------------------------------------------------------------------

    def chosen_versions(self) -> dict[str, int]:
        """{kind: version} of the ticked outputs, in the template's order."""
        return {kind: self.versions[kind].value() for kind, box in self.kinds.items() if box.isChecked()}

    def _on_build(self) -> None:
        self.outputs = []
        self.table.setRowCount(0)
        self.build_requested.emit(self.chosen_versions(), self.folder.text().strip(), self.dpi.value())

    def _on_open(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.outputs):
            self.open_requested.emit(self.outputs[row].path)

    def _on_publish(self) -> None:
        if self.outputs and self.info is not None and self.info.can_publish:
            self.publish_requested.emit()
