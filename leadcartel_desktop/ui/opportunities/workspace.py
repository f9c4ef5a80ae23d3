"""What the Opportunities pane shows: pipeline, New Deal, filters, and Board / List / Forecast."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.domain.pipelines import Pipeline
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import run_for
from leadcartel_desktop.ui.opportunities.board import BoardView
from leadcartel_desktop.ui.opportunities.deal_actions import DealActions
from leadcartel_desktop.ui.opportunities.filter_bar import DealFilterBar
from leadcartel_desktop.ui.opportunities.forecast_model import ForecastTableModel
from leadcartel_desktop.ui.opportunities.list_model import DealTableModel
from leadcartel_desktop.ui.opportunities.pipeline_dialog import PipelineDialog
from leadcartel_desktop.ui.opportunities.tables import DealListView, ForecastView
from leadcartel_desktop.ui.widgets.empty_state import EmptyState

if TYPE_CHECKING:
    from leadcartel_desktop.ui.context import UiContext


class View(IntEnum):
    BOARD = 0
    LIST = 1
    FORECAST = 2


class OpportunitiesWorkspace(QWidget):
    """Loads when first shown; a view left stale by a change is re-read when shown again."""

    message = Signal(str)
    pipelines_loaded = Signal()

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("opportunitiesWorkspace")
        self._context = context
        self._pipelines: list[Pipeline] = []
        self._stale: set[View] = set(View)
        self._pipelines_stale = True
        self._preferred_pipeline: int | None = None  # the last session's, until pipelines arrive
        self.pipeline_dialog: PipelineDialog | None = None
        self.actions = DealActions(context, self)

        self.pipeline_combo = QComboBox()
        self.pipeline_combo.setObjectName("pipelineCombo")
        self.pipeline_combo.setMinimumWidth(180)
        self.pipeline_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        pipeline_label = QLabel("&Pipeline:")
        pipeline_label.setBuddy(self.pipeline_combo)
        self.pipelines_button = QPushButton("Pipe&lines…")
        self.pipelines_button.setObjectName("editPipelines")
        self.view_tabs = QTabBar()
        self.view_tabs.setObjectName("dealViews")
        self.view_tabs.setDocumentMode(True)
        for text in ("&Board", "L&ist", "Fo&recast"):  # Alt+F is the File menu
            self.view_tabs.addTab(text)
        self.new_action = QAction("&New Deal", self)
        self.new_action.setObjectName("newDeal")
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        # A window shortcut of a widget in the pane: Qt ignores it while the pane is hidden.
        self.new_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.new_action.triggered.connect(lambda _checked=False: self.new_deal())
        self.addAction(self.new_action)
        self.new_button = QPushButton("New Deal")
        self.new_button.setObjectName("newDealButton")
        self.new_button.setToolTip(f"New Deal ({self.new_action.shortcut().toString()})")
        self.new_button.clicked.connect(self.new_deal)
        top = QHBoxLayout()
        top.addWidget(self.new_button)  # first: in sight however narrow the window
        top.addSpacing(16)
        top.addWidget(pipeline_label)
        top.addWidget(self.pipeline_combo)
        top.addWidget(self.pipelines_button)
        top.addSpacing(16)
        top.addWidget(self.view_tabs)
        top.addStretch(1)
        self.filter_bar = DealFilterBar(search_in_bar=False)
        top.addWidget(self.filter_bar.search_box, 2)

        self.board = BoardView(context)
        self.list_model = DealTableModel(context.services, context.tasks, self)
        self.list_view = DealListView(self.list_model)
        self.forecast_model = ForecastTableModel(context.services, context.tasks, self)
        self.forecast_view = ForecastView(self.forecast_model)
        self.views = QStackedWidget()
        for widget in (self.board, self.list_view, self.forecast_view):
            self.views.addWidget(widget)
        self.empty_state = EmptyState(
            "No pipelines yet",
            "A pipeline is the road a sale travels, stage by stage, from lead to won. "
            "Create one to start adding deals.",
            "Create a pipeline",
        )
        self.body = QStackedWidget()
        self.body.addWidget(self.views)
        self.body.addWidget(self.empty_state)
        content = QWidget()
        column = QVBoxLayout(content)
        column.addLayout(top)
        column.addWidget(self.filter_bar)
        column.addWidget(self.body, 1)
        # The bars need about 800 px; a narrower window scrolls the pane sideways instead
        # of holding the whole window at that width.
        self.scroll = QScrollArea()
        self.scroll.setObjectName("opportunitiesScroll")
        self.scroll.setWidget(content)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll)
        self._connect()

    def _connect(self) -> None:
        self.pipeline_combo.currentIndexChanged.connect(lambda _i: self._filters_changed())
        self.filter_bar.changed.connect(self._filters_changed)
        self.view_tabs.currentChanged.connect(self._view_changed)
        self.pipelines_button.clicked.connect(self.edit_pipelines)
        self.empty_state.action_clicked.connect(self.edit_pipelines)
        for view in (self.board, self.list_view):
            view.open_requested.connect(self.actions.open_deal)
            view.menu_requested.connect(self._menu)
        self.board.moved.connect(lambda _id: self._others_stale())
        self.actions.changed.connect(lambda _id: self._data_changed())
        self.actions.status_changed.connect(self._status_changed)
        self.actions.deleted.connect(self._deleted)
        self.actions.message.connect(self.message)

    # Loading -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Everything re-read (now if the pane is shown, else when it is first shown)."""
        self._pipelines_stale = True
        self._stale = set(View)
        if self.isVisible():
            self._load_pipelines()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._pipelines_stale:
            self._load_pipelines()
        else:
            self._refresh_shown()

    def _load_pipelines(self) -> None:
        self._pipelines_stale = False
        pipelines = self._context.services.pipelines
        run_for(
            self,
            self._context.tasks,
            pipelines.list,
            self._pipelines_arrived,
            lambda error: show_error(self, error),
        )

    def _pipelines_arrived(self, pipelines: list[Pipeline]) -> None:
        self._pipelines = pipelines
        keep = self.pipeline_id()
        if keep is None:
            keep, self._preferred_pipeline = self._preferred_pipeline, None
        self.pipeline_combo.blockSignals(True)
        self.pipeline_combo.clear()
        for pipeline in pipelines:
            self.pipeline_combo.addItem(pipeline.name, pipeline.id)
        found = self.pipeline_combo.findData(keep) if keep is not None else -1
        self.pipeline_combo.setCurrentIndex(max(found, 0) if pipelines else -1)
        self.pipeline_combo.blockSignals(False)
        empty = not pipelines
        self.body.setCurrentWidget(self.empty_state if empty else self.views)
        for widget in (self.filter_bar, self.view_tabs, self.pipeline_combo, self.new_button):
            widget.setEnabled(not empty)
        self.new_action.setEnabled(not empty)
        self._stale = set(View)
        self._refresh_shown()
        self.pipelines_loaded.emit()

    def pipeline_id(self) -> int | None:
        data = self.pipeline_combo.currentData()
        return data if isinstance(data, int) else None

    def current_view(self) -> View:
        return View(self.view_tabs.currentIndex())

    def _refresh_shown(self) -> None:
        view = self.current_view()
        pipeline_id = self.pipeline_id()
        if view not in self._stale or pipeline_id is None:
            return
        self._stale.discard(view)
        filters = self.filter_bar.filters()
        if view is View.BOARD:
            self.board.refresh(pipeline_id, filters)
        elif view is View.LIST:
            self.list_model.refresh(pipeline_id, filters)
        else:
            self.forecast_model.refresh(pipeline_id, filters)

    def _filters_changed(self) -> None:
        self._stale = set(View)
        self._refresh_shown()

    def _view_changed(self, index: int) -> None:
        self.views.setCurrentIndex(index)
        self._refresh_shown()

    def show_view(self, view: View) -> None:
        self.view_tabs.setCurrentIndex(view)

    def restore(self, pipeline_id: int | None, view: View) -> None:
        """Open on the pipeline and view of the last session (a deleted pipeline: the first)."""
        self._preferred_pipeline = pipeline_id
        self.show_view(view)

    def _others_stale(self) -> None:
        """The board showed a change card by card; the list and forecast read the deals again."""
        self._stale |= {View.LIST, View.FORECAST}
        self._refresh_shown()

    # After changes -----------------------------------------------------------------------------
    def _data_changed(self) -> None:
        self._stale = set(View)
        self._refresh_shown()

    def _status_changed(self, deal_id: int, status: DealStatus) -> None:
        self.board.deal_status_changed(deal_id, status)
        self._others_stale()

    def _deleted(self, deal_id: int) -> None:
        self.board.remove_card(deal_id)
        self._others_stale()

    # Actions -----------------------------------------------------------------------------------
    def new_deal(self) -> None:
        if self.pipeline_id() is not None:
            self.actions.new_deal(self.pipeline_id())

    def _menu(self, deal_id: int, position: QPoint) -> None:
        if self.current_view() is View.BOARD:
            card = self.board.card(deal_id)
            if card is not None:
                self.actions.popup(deal_id, card.name, card.status, position)
            return
        row = next((r for r in self.list_model.rows if r.id == deal_id), None)
        if row is not None:
            self.actions.popup(deal_id, row.name, row.status, position)

    def edit_pipelines(self) -> PipelineDialog:
        dialog = PipelineDialog(self._context, self.pipeline_id(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.refresh)
        self.pipeline_dialog = dialog
        dialog.open()
        return dialog
