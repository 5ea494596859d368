"""Import and export dialogs: choose a layer and a file, watch the progress, read the report
(imported / skipped rows with their reasons). The work runs on the DB worker."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.model.catalogue import Layer
from app.project import io
from app.project.export import export_steps
from app.views.i18n import lang, tr
from app.views.worker import DbWorker, message_of

FILTER = "GeoJSON (*.geojson *.json);;GeoPackage (*.gpkg);;Shapefile (*.shp);;CSV (*.csv)"


class TransferDialog(QDialog):
    """Import (export=False) or export one layer through the worker, with progress and report."""

    def __init__(self, worker: DbWorker, layers: list[Layer], export: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker, self.export, self.job = worker, export, None
        self.setWindowTitle(tr("Export layer") if export else tr("Import into layer"))
        self.layer = QComboBox()
        for layer in layers:
            self.layer.addItem(f"{layer.name(lang())} ({layer.code})", layer.code)
        self.path = QLineEdit()
        browse = QPushButton(tr("Browse…"))
        browse.clicked.connect(self._browse)
        self.skip_invalid = QCheckBox(tr("Skip bad rows (listed in the report)"))
        self.skip_invalid.setVisible(not export)
        self.progress = QProgressBar()
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.run_button = self.buttons.addButton(tr("Export") if export else tr("Import"),
                                                 QDialogButtonBox.ButtonRole.ActionRole)
        self.run_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        self._layout(browse)

    def _layout(self, browse: QPushButton) -> None:
        form = QFormLayout()
        form.addRow(tr("Layer"), self.layer)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow(tr("File"), row)
        form.addRow("", self.skip_invalid)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.buttons)
        self.resize(620, 420)

    def _browse(self) -> None:
        pick = QFileDialog.getSaveFileName if self.export else QFileDialog.getOpenFileName
        path, _ = pick(self, self.windowTitle(), self.path.text(), FILTER)
        if path:
            self.path.setText(path)

    def start(self) -> None:
        """Queue the import/export on the worker."""
        code, path = self.layer.currentData(), self.path.text().strip()
        if not path:
            return
        self.run_button.setEnabled(False)
        self.progress.setRange(0, 0)
        if self.export:
            self.job = self.worker.call(export_steps, code, path, done=self._exported,
                                        error=self._failed, progress=self._progress, name="export")
        else:
            self.job = self.worker.call(_import, code, path, self.skip_invalid.isChecked(),
                                        done=self._imported, error=self._failed,
                                        progress=self._progress, name="import")

    def _progress(self, step) -> None:
        self.progress.setRange(0, max(step.total, 1))
        self.progress.setValue(step.done)

    def _imported(self, report: io.ImportReport) -> None:
        self._end("\n".join(report.lines()))
        self.imported = report

    def _exported(self, count: int) -> None:
        self._end(tr("Exported {} feature(s)").format(count))

    def _failed(self, exc: Exception) -> None:
        lines = [message_of(exc)]
        lines += [f"  {p.text()}" if hasattr(p, "row") else f"  {p}" for p in getattr(exc, "problems", [])[:50]]
        self._end("\n".join(lines))

    def _end(self, text: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.report.setPlainText(text)
        self.run_button.setEnabled(True)


def _import(project, code: str, path: str, skip_invalid: bool):
    """Import steps with the dialog's options (runs on the worker)."""
    return io.import_steps(project, code, path, skip_invalid=skip_invalid)
