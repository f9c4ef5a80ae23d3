"""A board column: its header (stage, probability, count, totals) over a list of painted cards."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListView,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.ui.opportunities.card_delegate import DealCardDelegate
from leadcartel_desktop.ui.opportunities.column_model import DEAL_ID_ROLE, StageColumnModel

COLUMN_WIDTH = 290
EMPTY_TEXT = "No deals here.\nDrag a card into this stage."
# Ctrl+arrow: (stage step, row step)
MOVE_KEYS: dict[int, tuple[int, int]] = {
    int(Qt.Key.Key_Left): (-1, 0),
    int(Qt.Key.Key_Right): (1, 0),
    int(Qt.Key.Key_Up): (0, -1),
    int(Qt.Key.Key_Down): (0, 1),
}
OPEN_KEYS = (int(Qt.Key.Key_Return), int(Qt.Key.Key_Enter))


class CardListView(QListView):
    """The cards of one stage; Ctrl+arrows ask to move the current card, Enter to open it."""

    move_requested = Signal(int, int, int)  # deal id, stage step, row step
    open_requested = Signal(int)  # deal id
    menu_requested = Signal(int, QPoint)  # deal id, global position

    def __init__(self, model: StageColumnModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"stageCards{model.stage.id}")
        self.setAccessibleName(f"{model.stage.name} deals")
        self.setModel(model)
        self.setItemDelegate(DealCardDelegate(self))
        # One card measured instead of every card: what makes a 5,000-card board open fast.
        self.setUniformItemSizes(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(False)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        self.doubleClicked.connect(lambda index: self._open(index.data(DEAL_ID_ROLE)))

    @property
    def column_model(self) -> StageColumnModel:
        model = self.model()
        assert isinstance(model, StageColumnModel)
        return model

    def current_deal_id(self) -> int | None:
        index = self.currentIndex()
        deal_id = index.data(DEAL_ID_ROLE) if index.isValid() else None
        return deal_id if isinstance(deal_id, int) else None

    def select_row(self, row: int) -> None:
        index = self.column_model.index(row, 0)
        self.setCurrentIndex(index)  # selects it too (single selection)
        self.scrollTo(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        deal_id = self.current_deal_id()
        key = event.key()
        control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if deal_id is not None and control and key in MOVE_KEYS:
            stage_step, row_step = MOVE_KEYS[key]
            self.move_requested.emit(deal_id, stage_step, row_step)
            event.accept()
            return
        if deal_id is not None and key in OPEN_KEYS:
            self.open_requested.emit(deal_id)
            event.accept()
            return
        super().keyPressEvent(event)

    def _open(self, deal_id: object) -> None:
        if isinstance(deal_id, int):
            self.open_requested.emit(deal_id)

    def _context_menu(self, point: QPoint) -> None:
        index = self.indexAt(point)
        if not index.isValid():
            return
        self.setCurrentIndex(index)
        self.menu_requested.emit(index.data(DEAL_ID_ROLE), self.viewport().mapToGlobal(point))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self.column_model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            area = self.viewport().rect().adjusted(8, 24, -8, -8)
            painter.drawText(
                area, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, EMPTY_TEXT
            )
            painter.end()


class StageColumn(QFrame):
    """Header and cards of one stage; the header follows the model's count and totals."""

    def __init__(self, model: StageColumnModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"stageColumn{model.stage.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFixedWidth(COLUMN_WIDTH)
        self.model = model
        self.header = QLabel()
        self.header.setObjectName("stageHeader")
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        font = self.header.font()
        font.setBold(True)
        self.header.setFont(font)
        # Two lines are reserved so headers line up however the totals wrap.
        self.header.setMinimumHeight(self.header.fontMetrics().lineSpacing() * 2 + 4)
        self.header.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.view = CardListView(model)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addWidget(self.header)
        layout.addWidget(self.view, 1)
        model.header_changed.connect(self.refresh_header)
        self.refresh_header()

    def refresh_header(self) -> None:
        text = self.model.header()
        self.header.setText(text)
        self.header.setToolTip(text)
        self.view.viewport().update()  # the empty-column hint comes and goes with the cards
