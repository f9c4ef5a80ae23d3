"""The main window: navigation, the panes in a stack, menus and the status bar (nothing else)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.ui.placeholders import PlaceholderPane
from leadcartel_desktop.ui.widgets.empty_state import EmptyState

if TYPE_CHECKING:
    from leadcartel_desktop.paths import AppPaths
    from leadcartel_desktop.ui.context import UiContext
    from leadcartel_desktop.ui.conversations.pane import ConversationsPane
    from leadcartel_desktop.ui.opportunities.pane import OpportunitiesPane
    from leadcartel_desktop.ui.payments.pane import PaymentsPane
    from leadcartel_desktop.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

PANES: tuple[str, ...] = ("Payments", "Opportunities", "Conversations", "Support")
NAV_STYLE = """
#navigation { background: palette(alternate-base); border-right: 1px solid palette(mid); }
#navigation QToolButton { border: none; padding: 10px 18px; text-align: left; }
#navigation QToolButton:checked { background: palette(highlight);
                                  color: palette(highlighted-text); }
"""


class MainWindow(QMainWindow):
    """Shown before the book is open (`attach` adds the Payments pane once it is)."""

    attached = Signal()

    def __init__(self, paths: AppPaths, tasks: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Lead Cartel Desktop")
        self.setObjectName("mainWindow")
        self.resize(1180, 760)
        self._paths = paths
        self._tasks = tasks
        self.context: UiContext | None = None
        self.payments: PaymentsPane | None = None
        self.opportunities: OpportunitiesPane | None = None
        self.conversations: ConversationsPane | None = None
        self.settings = QSettings(str(paths.settings_file), QSettings.Format.IniFormat)

        self.stack = QStackedWidget()
        self.loading = EmptyState("Opening your book…")
        self.stack.addWidget(self.loading)
        for name in PANES[1:]:
            self.stack.addWidget(PlaceholderPane(name))
        self._build_navigation()
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self._build_status_bar()
        self._restore_window()

    # Assembly --------------------------------------------------------------------------------
    def _build_navigation(self) -> None:
        self.nav = QFrame()
        self.nav.setObjectName("navigation")
        self.nav.setStyleSheet(NAV_STYLE)
        column = QVBoxLayout(self.nav)
        column.setContentsMargins(0, 8, 0, 8)
        column.setSpacing(2)
        self.nav_group = QButtonGroup(self)
        self.nav_group.setExclusive(True)
        for position, name in enumerate(PANES):
            button = QToolButton()
            button.setObjectName(f"nav{name}")
            button.setText(name)
            button.setCheckable(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.nav_group.addButton(button, position)
            column.addWidget(button)
        column.addStretch(1)
        self.nav.setMinimumWidth(170)
        self.nav_group.idClicked.connect(self.show_pane)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.settings_action = QAction("&Settings…", self)
        self.settings_action.setObjectName("openSettings")
        self.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.setEnabled(False)
        self.settings_action.triggered.connect(lambda _checked=False: self.open_settings())
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setObjectName("quit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(lambda _checked=False: self.close())
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        for position, name in enumerate(PANES):
            action = QAction(name, self)
            action.setShortcut(QKeySequence(f"Ctrl+{position + 1}"))
            action.triggered.connect(lambda _checked=False, p=position: self.show_pane(p))
            view_menu.addAction(action)
        view_menu.addSeparator()
        self.outbox_action = view_menu.addAction("&Outbox…", self.open_outbox)
        self.outbox_action.setObjectName("openOutbox")
        self.outbox_action.setEnabled(False)
        # Enabled and connected by the sending session, which runs the periodic sync.
        self.sync_problems_action = view_menu.addAction("S&ync problems…")
        self.sync_problems_action.setObjectName("openSyncProblems")
        self.sync_problems_action.setEnabled(False)

    def _build_status_bar(self) -> None:
        self.busy_label = QLabel("Working…")
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setMaximumHeight(14)
        for widget in (self.busy_label, self.busy_bar):
            widget.setVisible(False)
            self.statusBar().addPermanentWidget(widget)
        self._tasks.busy_changed.connect(self.set_busy)

    def set_busy(self, busy: bool) -> None:
        self.busy_label.setVisible(busy)
        self.busy_bar.setVisible(busy)

    @property
    def is_busy_shown(self) -> bool:
        return not self.busy_label.isHidden()

    # Panes -----------------------------------------------------------------------------------
    def attach(self, context: UiContext) -> None:
        """The book is open: build the Payments pane and load its first rows."""
        from leadcartel_desktop.ui.payments.pane import PaymentsPane

        self.context = context
        self.payments = PaymentsPane(context)
        self.payments.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        showing_loading = self.stack.currentIndex() == 0
        self.stack.removeWidget(self.loading)
        self.loading.deleteLater()
        self.stack.insertWidget(0, self.payments)
        if showing_loading:
            self.stack.setCurrentIndex(0)
        self.payments.restore_state(self.settings)
        self.payments.refresh()
        self._attach_opportunities(context)
        self._attach_conversations(context)
        self.settings_action.setEnabled(True)
        self.outbox_action.setEnabled(True)
        self.attached.emit()

    def _attach_opportunities(self, context: UiContext) -> None:
        from leadcartel_desktop.ui.opportunities.pane import OpportunitiesPane

        self.opportunities = OpportunitiesPane(context)  # loads when first shown
        self.opportunities.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.opportunities.restore_state(self.settings)
        placeholder = self.stack.widget(1)
        self.stack.insertWidget(1, self.opportunities)
        if self.stack.currentWidget() is placeholder:
            self.stack.setCurrentIndex(1)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()

    def _attach_conversations(self, context: UiContext) -> None:
        from leadcartel_desktop.ui.conversations.pane import ConversationsPane

        self.conversations = ConversationsPane(context)  # reads when first shown
        self.conversations.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        placeholder = self.stack.widget(2)
        self.stack.insertWidget(2, self.conversations)
        if self.stack.currentWidget() is placeholder:
            self.stack.setCurrentIndex(2)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()

    def show_pane(self, position: int) -> None:
        if not 0 <= position < len(PANES):
            return
        self.stack.setCurrentIndex(position)
        self.nav_group.button(position).setChecked(True)

    @property
    def current_pane(self) -> str:
        return PANES[self.stack.currentIndex()]

    def open_settings(self, note: str = "") -> None:
        """The Settings dialog; `note` says why, when the app opens it by itself."""
        if self.context is None:
            return
        try:
            from leadcartel_desktop.ui.settings.dialog import SettingsDialog
        except ImportError:
            log.exception("The settings dialog is not available")
            self.statusBar().showMessage("Settings are not available in this build", 8000)
            return
        dialog = SettingsDialog(self.context, self, note)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self.payments is not None:
            # Currency, locale or time zone may have changed how the list reads.
            dialog.finished.connect(lambda _result: self.payments and self.payments.refresh())
        if (opportunities := self.opportunities) is not None:
            dialog.finished.connect(lambda _result: opportunities.refresh())
        dialog.open()

    def open_outbox(self) -> None:
        """The outbox view (also a click on the status bar's outbox label)."""
        if self.context is not None:
            from leadcartel_desktop.ui.outbox.dialog import open_outbox

            open_outbox(self.context.services.outbox, self.context.tasks, self)

    # Window state ----------------------------------------------------------------------------
    def _restore_window(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        pane = self.settings.value("window/pane", PANES[0])
        self.show_pane(PANES.index(pane) if pane in PANES else 0)

    def save_window_state(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/pane", self.current_pane)
        if self.payments is not None:
            self.payments.save_state(self.settings)
        if self.opportunities is not None:
            self.opportunities.save_state(self.settings)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_window_state()
        super().closeEvent(event)
