"""The sign-off dialog (会签): load a release folder, show its manifest hash and each party's
signature status, sign (or withdraw) with a private key file, verify against trusted keys.
Reading, signing and verifying are DB-worker jobs; the dialog only emits requests."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.editing.review_jobs import ReleaseStatus
from app.views.i18n import tr

STATE_COLOURS = {"signed": "#D3F0D0", "withdrawn": "#F6D5D2", "unsigned": "#FFFFFF"}


def state_text(state: str) -> str:
    return {"signed": tr("signed"), "withdrawn": tr("withdrawn"), "unsigned": tr("not signed")}.get(state, state)


def check_text(check: str) -> str:
    return {"valid": tr("valid"), "not verified": tr("not verified"), "": ""}.get(check, check)


class SignoffDialog(QDialog):
    """Requests: load(folder, keys), sign(folder, key file, action, keys)."""

    load_requested = Signal(str, str)  # release folder, trusted keys ("" -> beside the release)
    sign_requested = Signal(str, str, str, str)  # folder, key file, sign|withdraw, keys

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status: ReleaseStatus | None = None
        self.folder, self.keys, self.key_file = QLineEdit(), QLineEdit(), QLineEdit()
        self.browse = {name: QPushButton() for name in ("folder", "keys", "key_file")}
        self.browse["folder"].clicked.connect(lambda: self._choose_dir(self.folder))
        self.browse["keys"].clicked.connect(self._choose_keyring)
        self.browse["key_file"].clicked.connect(self._choose_key)
        self.load_button, self.sign_button, self.withdraw_button = QPushButton(), QPushButton(), QPushButton()
        self.load_button.clicked.connect(self._on_load)
        self.sign_button.clicked.connect(lambda: self._on_sign("sign"))
        self.withdraw_button.clicked.connect(lambda: self._on_sign("withdraw"))
        self.hash_label, self.info, self.quorum, self.problems = QLabel(), QLabel(), QLabel(), QLabel()
        self.hash_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for label in (self.info, self.problems):
            label.setWordWrap(True)
        self.parties = QTableWidget(0, 6)
        self.parties.verticalHeader().setVisible(False)
        self.parties.horizontalHeader().setStretchLastSection(True)
        self._lay_out()
        self.retranslate()
        self.show_status(None)

    def _row(self, editor: QLineEdit, button: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(editor, 1)
        row.addWidget(button)
        return row

    def _lay_out(self) -> None:
        self.form = QFormLayout()
        self.labels = [QLabel() for _ in range(4)]
        rows = (self._row(self.folder, self.browse["folder"]), self._row(self.keys, self.browse["keys"]))
        for label, row in zip(self.labels[:2], rows, strict=True):
            self.form.addRow(label, row)
        self.form.addRow("", self.load_button)
        self.form.addRow(self.labels[2], self.hash_label)
        self.form.addRow(self.labels[3], self.info)
        sign_row = self._row(self.key_file, self.browse["key_file"])
        sign_row.addWidget(self.sign_button)
        sign_row.addWidget(self.withdraw_button)
        self.sign_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.quorum)
        layout.addWidget(self.parties, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.sign_label)
        layout.addLayout(sign_row)
        self.resize(900, 560)

    def retranslate(self) -> None:
        self.setWindowTitle(tr("Joint sign-off"))
        for label, text in zip(self.labels, (tr("Release folder"), tr("Trusted keyring"), tr("Release hash"),
                                             tr("Release")), strict=True):
            label.setText(text)
        self.keys.setPlaceholderText(tr("Default: keyring.json in or beside the release"))
        for button in self.browse.values():
            button.setText(tr("Browse…"))
        self.load_button.setText(tr("Load and verify"))
        self.sign_label.setText(tr("Private key file of your party's signatory:"))
        self.sign_button.setText(tr("Sign"))
        self.withdraw_button.setText(tr("Withdraw signature"))
        self.parties.setHorizontalHeaderLabels([tr("Party"), tr("Name"), tr("Signature"), tr("Signer"),
                                                tr("Time"), tr("Check")])
        self.show_status(self.status)

    def _choose_dir(self, editor: QLineEdit) -> None:
        path = QFileDialog.getExistingDirectory(self, tr("Choose a folder"), editor.text())
        if path:
            editor.setText(path)

    def _choose_keyring(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Trusted keyring"), self.keys.text(),
                                              tr("Keyrings (*.json)"))
        if path:
            self.keys.setText(path)

    def _choose_key(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Choose a private key file"), "",
                                              tr("Signing keys (*.key)"))
        if path:
            self.key_file.setText(path)

    # -- UI -> requests --------------------------------------------------------------------

    def _on_load(self) -> None:
        if self.folder.text().strip():
            self.load_requested.emit(self.folder.text().strip(), self.keys.text().strip())

    def _on_sign(self, action: str) -> None:
        folder, key = self.folder.text().strip(), self.key_file.text().strip()
        if folder and key:
            self.sign_requested.emit(folder, key, action, self.keys.text().strip())

    # -- model -> UI -----------------------------------------------------------------------

    def show_status(self, status: ReleaseStatus | None) -> None:
        self.status = status
        loaded = status is not None
        for button in (self.sign_button, self.withdraw_button):
            button.setEnabled(loaded)
        if not loaded:
            self.hash_label.setText("—")
            self.info.clear()
            self.quorum.clear()
            self.parties.setRowCount(0)
            return
        m = status.manifest
        self.hash_label.setText(status.release)
        self.info.setText(tr("{} · project {} · data version {} · frozen {}").format(
            m.get("title", ""), m.get("project", ""), m.get("data_version", ""), m.get("created", "")[:19]))
        self._show_quorum(status)
        self._show_parties(status)
        self.problems.setText("\n".join(status.problems))

    def _show_quorum(self, status: ReleaseStatus) -> None:
        signed = sum(1 for p in status.parties if p["state"] == "signed")
        rule = status.manifest.get("quorum", {})
        needed = len(status.parties) if rule.get("rule") == "all" else rule.get("n", "?")
        verdict = {True: tr("quorum met"), False: tr("quorum NOT met"),
                   None: tr("not verified (no trusted keys)")}[status.quorum_met]
        self.quorum.setText(tr("Signed by {} of {} parties; {} needed — {}").format(
            signed, len(status.parties), needed, verdict))

    def _show_parties(self, status: ReleaseStatus) -> None:
        self.parties.setRowCount(len(status.parties))
        for row, p in enumerate(status.parties):
            cells = (p["code"], p["name"], state_text(p["state"]), p["signer"], p["at"][:19],
                     check_text(p["check"]))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setBackground(QColor(STATE_COLOURS.get(p["state"], "#FFFFFF")))
                self.parties.setItem(row, column, item)
        self.parties.resizeColumnsToContents()

    def show_error(self, text: str) -> None:
        self.problems.setText(text)
