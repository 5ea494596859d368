"""Import and export dialogs: choose layers and a file, watch the progress, read the report.

Export: one or several layers (several go into one GeoPackage), target CRS and encoding, what a
Shapefile does with text too long for its fields, a byte-order mark for Excel's CSV. Import: the
layer of a multi-layer file, the source CRS and encoding, skipping bad rows, and saving the full
report. Every file operation (export, import, listing a file's layers, saving the report) runs on
the DB worker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.model.catalogue import Layer
from app.project import io
from app.project.export import ExportReport, export_steps
from app.project.import_report import write_report
from app.project.shapefile import TextTooLong
from app.project.sources import SINGLE_LAYER, ReadOptions, source_layers
from app.views.i18n import lang, tr
from app.views.worker import DbWorker, message_of

FILTER = "GeoJSON (*.geojson *.json);;GeoPackage (*.gpkg);;Shapefile (*.shp);;CSV (*.csv)"
ENCODINGS = ("", "UTF-8", "GBK", "GB18030")
LISTED = 50  # bad rows shown in the dialog; the saved report has every one


class TransferDialog(QDialog):
    """Import (export=False) or export layers through the worker, with progress and report."""

    def __init__(self, worker: DbWorker, layers: list[Layer], export: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.worker, self.export, self.job = worker, export, None
        self.imported: io.ImportReport | None = None
        self.full_report: io.ImportReport | None = None  # the last import's, to save
        self._asked_layers = ""  # the file whose layers were last asked for
        self.setWindowTitle(tr("Export layers") if export else tr("Import into layer"))
        self._widgets(layers)
        self._layout()
        self.path.textChanged.connect(self._path_changed)
        self.path.editingFinished.connect(self._ask_layers)
        self._path_changed()

    def _widgets(self, layers: list[Layer]) -> None:
        self.layer = QComboBox()  # import: the target layer
        self.layers = QListWidget()  # export: the layers to write, checked
        for i, layer in enumerate(layers):
            self.layer.addItem(f"{layer.name(lang())} ({layer.code})", layer.code)
            item = QListWidgetItem(f"{layer.name(lang())} ({layer.code})")
            item.setData(Qt.ItemDataRole.UserRole, layer.code)
            item.setCheckState(Qt.CheckState.Checked if i == 0 else Qt.CheckState.Unchecked)
            self.layers.addItem(item)
        self.layers.itemChanged.connect(lambda _: self._path_changed())
        self.chosen = QLabel()  # the ticked layers, also those scrolled out of sight
        self.chosen.setWordWrap(True)
        self.path = QLineEdit()
        self.browse = QPushButton(tr("Browse…"))
        self.browse.clicked.connect(self._browse)
        self.source_layer = QComboBox()  # import: the layer of a multi-layer file
        self.crs = QLineEdit()
        self.crs.setPlaceholderText(tr("EPSG:4490 (lon/lat)") if self.export else
                                    tr("as the file says; e.g. EPSG:4549 if it does not"))
        self.encoding = QComboBox()
        self.encoding.setEditable(True)
        self.encoding.addItems(ENCODINGS)
        self.encoding.lineEdit().setPlaceholderText(
            "UTF-8" if self.export else tr("as the file says (.cpg), else UTF-8"))
        self.long_text = QComboBox()
        for label, mode in ((tr("Refuse the export and list them"), "refuse"),
                            (tr("Cut them to fit (listed)"), "truncate"),
                            (tr("Continue them in FIELD_2, FIELD_3 … columns (listed)"), "split")):
            self.long_text.addItem(label, mode)
        self.bom = QCheckBox(tr("Byte-order mark so Excel reads Chinese text"))
        self.bom.setChecked(True)
        self.skip_invalid = QCheckBox(tr("Skip bad rows (listed in the report)"))
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.progress = QProgressBar()
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = self.buttons.addButton(tr("Save the full report…"),
                                                  QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button.clicked.connect(self.save_report)
        self.save_button.setVisible(False)
        self.run_button = self.buttons.addButton(tr("Export") if self.export else tr("Import"),
                                                 QDialogButtonBox.ButtonRole.ActionRole)
        self.run_button.clicked.connect(self.start)
        self.buttons.rejected.connect(self.reject)

    def _layout(self) -> None:
        self.form = form = QFormLayout()
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        if self.export:
            self.layers.setMaximumHeight(150)
            form.addRow(tr("Layers"), self.layers)
            form.addRow("", self.chosen)
            form.addRow(tr("File"), row)
            form.addRow(tr("CRS"), self.crs)
            form.addRow(tr("Encoding (Shapefile, CSV)"), self.encoding)
            form.addRow(tr("Text too long for a Shapefile field"), self.long_text)
            form.addRow(tr("CSV"), self.bom)
        else:
            form.addRow(tr("Into layer"), self.layer)
            form.addRow(tr("File"), row)
            form.addRow(tr("Layer in the file"), self.source_layer)
            form.addRow(tr("CRS of the file"), self.crs)
            form.addRow(tr("Encoding"), self.encoding)
            form.addRow("", self.skip_invalid)
            form.setRowVisible(self.source_layer, False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.progress)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.buttons)
        self.resize(680, 560 if self.export else 480)

    # -- choosing ---------------------------------------------------------------------------

    def checked_layers(self) -> list[str]:
        """The codes of the layers ticked for export, in list order."""
        return [self.layers.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.layers.count())
                if self.layers.item(i).checkState() == Qt.CheckState.Checked]

    def _browse(self) -> None:
        pick = QFileDialog.getSaveFileName if self.export else QFileDialog.getOpenFileName
        path, _ = pick(self, self.windowTitle(), self.path.text(), FILTER)
        if path:
            self.path.setText(path)
            self._ask_layers()

    def _path_changed(self) -> None:
        """Enable what applies to the chosen format; say why the export cannot run."""
        suffix = Path(self.path.text().strip()).suffix.lower()
        if not self.export:
            return
        self.long_text.setEnabled(suffix in ("", ".shp"))
        self.bom.setEnabled(suffix in ("", ".csv"))
        codes = self.checked_layers()
        self.chosen.setText(tr("{} layer(s): {}").format(len(codes), ", ".join(codes)) if codes
                            else tr("No layer chosen"))
        several = len(codes) > 1
        blocked = several and suffix not in ("", ".gpkg")
        self.hint.setText(tr("Several layers go into one GeoPackage: choose a .gpkg file.")
                          if blocked else "")
        self.run_button.setEnabled(not blocked and bool(codes))

    def _ask_layers(self) -> None:
        """List the layers of a multi-layer source file (on the worker)."""
        path = self.path.text().strip()
        if self.export or path == self._asked_layers:
            return
        self._asked_layers = path
        self.source_layer.clear()
        self.form.setRowVisible(self.source_layer, False)
        if path and Path(path).suffix.lower() not in SINGLE_LAYER and Path(path).exists():
            self.worker.call(_source_layers, path, done=lambda found: self._got_layers(path, found),
                             error=lambda exc: None, name="source layers")

    def _got_layers(self, path: str, found: list[tuple[str, int]]) -> None:
        if path != self.path.text().strip():
            return  # another file was chosen meanwhile
        for name, count in found:
            self.source_layer.addItem(tr("{} ({} feature(s))").format(name, count), name)
        self.form.setRowVisible(self.source_layer, len(found) > 1)

    # -- running ----------------------------------------------------------------------------

    def start(self) -> None:
        """Queue the import/export on the worker."""
        path = self.path.text().strip()
        if not path:
            return
        crs, encoding = self.crs.text().strip() or None, self.encoding.currentText().strip() or None
        self.run_button.setEnabled(False)
        self.save_button.setVisible(False)
        self.progress.setRange(0, 0)
        if self.export:
            options = {"crs": crs, "encoding": encoding, "long_text": self.long_text.currentData(),
                       "bom": self.bom.isChecked()}
            self.job = self.worker.call(_export, self.checked_layers(), path, options,
                                        done=self._exported, error=self._failed,
                                        progress=self._progress, name="export")
        else:
            picked = self.source_layer.currentData() if self.source_layer.count() > 1 else None
            options = {"crs": crs, "encoding": encoding, "skip_invalid": self.skip_invalid.isChecked(),
                       "reading": ReadOptions(layer=picked)}
            self.job = self.worker.call(_import, self.layer.currentData(), path, options,
                                        done=self._imported, error=self._failed,
                                        progress=self._progress, name="import")

    def _progress(self, step) -> None:
        self.progress.setRange(0, max(step.total, 1))
        self.progress.setValue(step.done)

    def _imported(self, report: io.ImportReport) -> None:
        self.imported = report
        self._offer_report(report)
        self._end("\n".join(report.lines(lang())))

    def _exported(self, report: ExportReport) -> None:
        self._end("\n".join(report.lines(lang())))

    def _failed(self, exc: Exception) -> None:
        problems = getattr(exc, "problems", [])
        if isinstance(exc, TextTooLong):  # the list below replaces the message's five
            lines = [tr("{} text value(s) do not fit their Shapefile field: cut them or continue "
                        "them in more columns (above), or export to GeoPackage.")
                     .format(len(problems))]
        else:
            lines = [message_of(exc)]
        lines += [f"  {_problem_text(p)}" for p in problems[:LISTED]]
        if len(problems) > LISTED:
            lines.append(tr("… and {} more").format(len(problems) - LISTED))
        self._offer_report(getattr(exc, "report", None))
        self._end("\n".join(lines))

    def _offer_report(self, report: io.ImportReport | None) -> None:
        """After an import with bad rows, offer to save the report listing every one."""
        self.full_report = report if report is not None and report.skipped else None
        self.save_button.setVisible(self.full_report is not None)

    def _end(self, text: str) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.report.setPlainText(text)
        self.run_button.setEnabled(True)
        self._path_changed()

    def save_report(self) -> None:
        """Ask where, then write the full import report (.csv or .json) on the worker."""
        if self.full_report is None:
            return
        stem = Path(self.full_report.source).stem
        start = str(Path(self.path.text().strip()).with_name(f"{stem}-report.csv"))
        path, _ = QFileDialog.getSaveFileName(self, tr("Save the full report"), start,
                                              "CSV (*.csv);;JSON (*.json)")
        if path:
            self.worker.call(_save_report, self.full_report, path, done=self._report_saved,
                             error=self._failed, name="save report")

    def _report_saved(self, path: Path) -> None:
        self.report.appendPlainText(tr("The full report was saved to {}").format(path))


def _problem_text(problem) -> str:
    """A refused export's long text value or an import's bad row, in the UI language."""
    return problem.text(lang())


# Worker-side functions: each runs on the DB worker thread with the open project first.

def _export(project, codes: list[str], path: str, options: dict):
    return export_steps(project, codes, path, **options)


def _import(project, code: str, path: str, options: dict):
    return io.import_steps(project, code, path, **options)


def _source_layers(project, path: str) -> list[tuple[str, int]]:
    return source_layers(Path(path))


def _save_report(project, report: io.ImportReport, path: str) -> Path:
    return write_report(report, path)
