"""The database password dialog: asked when the server refuses or wants a password."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from matrix_desktop.ui.keyboard import literal

NO_KEYCHAIN = "No system keychain is available here, so the password cannot be remembered."
REMEMBERED = "A password for this login is in the system keychain; untick to remove it from there."


class PasswordDialog(QDialog):
    """Ask for a server password; it is kept only if "remember" is ticked (system keychain)."""

    def __init__(
        self,
        message: str,
        can_remember: bool,
        parent: QWidget | None = None,
        *,
        remembered: bool = False,
    ):
        """remembered: the keychain holds a password for this login (ticked; untick to
        forget it)."""
        super().__init__(parent)
        self.setWindowTitle("Database password")
        self.setAccessibleName("Database password")
        self.message = QLabel(literal(message), self)
        self.message.setWordWrap(True)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        label = QLabel("&Password:", self)
        label.setBuddy(self.password)
        self.remember = QCheckBox("&Remember in the system keychain", self)
        self.remember.setAccessibleName("Remember the password in the system keychain")
        self.remember.setEnabled(can_remember)
        if not can_remember:
            self.remember.setToolTip(NO_KEYCHAIN)
        elif remembered:
            self.remember.setChecked(True)
            self.remember.setToolTip(REMEMBERED)
            self.remember.setAccessibleDescription(REMEMBERED)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Connect")
        self.ok_button.setAccessibleName("Connect with this password")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName(
            "Cancel: do not open the database"
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(label)
        layout.addWidget(self.password)
        layout.addWidget(self.remember)
        layout.addWidget(self.buttons)
        self.password.setFocus()

    def answer(self) -> tuple[str, bool]:
        """Return the password typed and whether to remember it."""
        return self.password.text(), self.remember.isEnabled() and self.remember.isChecked()
