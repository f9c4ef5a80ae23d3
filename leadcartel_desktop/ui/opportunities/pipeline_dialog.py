"""Pipelines…: create, rename and delete pipelines; add, rename, reorder and remove stages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.pipelines import Pipeline, Stage
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import confirm, error_label, run_for

if TYPE_CHECKING:
    from leadcartel_desktop.ui.context import UiContext

# A new pipeline starts with the stages most sales follow; the operator edits them here.
DEFAULT_STAGES: tuple[tuple[str, int], ...] = (
    ("Lead", 10),
    ("Qualified", 25),
    ("Proposal", 50),
    ("Negotiation", 75),
    ("Closing", 90),
)
ID_ROLE = Qt.ItemDataRole.UserRole


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAutoDefault(False)
    return button


class PipelineDialog(QDialog):
    """Each change is saved at once; `changed` tells the pane to show the new pipelines."""

    changed = Signal()
    loaded = Signal()

    def __init__(
        self, context: UiContext, pipeline_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._pipelines: list[Pipeline] = []
        self._select_pipeline = pipeline_id
        self._select_stage: int | None = None
        self.last_dialog: QDialog | None = None
        self.setObjectName("pipelineDialog")
        self.setWindowTitle("Pipelines")
        self.resize(760, 460)
        self.error = error_label("pipelineError")

        self.pipeline_list = QListWidget()
        self.pipeline_list.setObjectName("pipelineList")
        self.new_button = _button("&New pipeline…", "newPipeline")
        self.rename_button = _button("&Rename…", "renamePipeline")
        self.delete_button = _button("&Delete…", "deletePipeline")
        pipelines_box = QGroupBox("Pipelines")
        left = QVBoxLayout(pipelines_box)
        left.addWidget(self.pipeline_list, 1)
        row = QHBoxLayout()
        for button in (self.new_button, self.rename_button, self.delete_button):
            row.addWidget(button)
        left.addLayout(row)

        self.stage_list = QListWidget()
        self.stage_list.setObjectName("stageList")
        self.stage_name = QLineEdit()
        self.stage_name.setObjectName("stageName")
        self.stage_name.setPlaceholderText("Stage name")
        self.probability = QSpinBox()
        self.probability.setObjectName("stageProbability")
        self.probability.setRange(0, 100)
        self.probability.setSuffix(" %")
        self.add_stage_button = _button("&Add stage", "addStage")
        self.save_stage_button = _button("&Save stage", "saveStage")
        self.up_button = _button("Move &up", "stageUp")
        self.down_button = _button("Move do&wn", "stageDown")
        self.remove_stage_button = _button("Re&move stage…", "removeStage")
        self.stages_box = QGroupBox("Stages (in board order)")
        right = QGridLayout(self.stages_box)
        right.addWidget(self.stage_list, 0, 0, 1, 4)
        right.addWidget(QLabel("Name"), 1, 0)
        right.addWidget(self.stage_name, 1, 1, 1, 3)
        right.addWidget(QLabel("Win probability"), 2, 0)
        right.addWidget(self.probability, 2, 1)
        right.addWidget(self.add_stage_button, 3, 0)
        right.addWidget(self.save_stage_button, 3, 1)
        right.addWidget(self.up_button, 3, 2)
        right.addWidget(self.down_button, 3, 3)
        right.addWidget(self.remove_stage_button, 4, 3)

        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        columns = QHBoxLayout()
        columns.addWidget(pipelines_box, 2)
        columns.addWidget(self.stages_box, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error)
        layout.addWidget(close)

        self.pipeline_list.currentRowChanged.connect(lambda _row: self._show_stages())
        self.stage_list.currentRowChanged.connect(lambda _row: self._stage_chosen())
        self.new_button.clicked.connect(self.ask_new)
        self.rename_button.clicked.connect(self.ask_rename)
        self.delete_button.clicked.connect(self.ask_delete)
        self.add_stage_button.clicked.connect(self.add_stage)
        self.save_stage_button.clicked.connect(self.save_stage)
        self.up_button.clicked.connect(lambda: self.move_stage(-1))
        self.down_button.clicked.connect(lambda: self.move_stage(1))
        self.remove_stage_button.clicked.connect(self.ask_remove_stage)
        self._update_enabled()
        self.reload()

    # Loading and showing -----------------------------------------------------------------------
    def reload(self) -> None:
        pipelines = self._context.services.pipelines
        run_for(self, self._context.tasks, pipelines.list, self._loaded, self._refused)

    def _loaded(self, pipelines: list[Pipeline]) -> None:
        self._pipelines = pipelines
        wanted = self._select_pipeline
        self.pipeline_list.blockSignals(True)
        self.pipeline_list.clear()
        for pipeline in pipelines:
            item = QListWidgetItem(pipeline.name)
            item.setData(ID_ROLE, pipeline.id)
            self.pipeline_list.addItem(item)
        rows = [p.id for p in pipelines]
        self.pipeline_list.setCurrentRow(rows.index(wanted) if wanted in rows else 0)
        self.pipeline_list.blockSignals(False)
        self._show_stages()
        self.loaded.emit()

    def current_pipeline(self) -> Pipeline | None:
        row = self.pipeline_list.currentRow()
        return self._pipelines[row] if 0 <= row < len(self._pipelines) else None

    def current_stage(self) -> Stage | None:
        pipeline = self.current_pipeline()
        row = self.stage_list.currentRow()
        if pipeline is None or not 0 <= row < len(pipeline.stages):
            return None
        return pipeline.stages[row]

    def _show_stages(self) -> None:
        pipeline = self.current_pipeline()
        self._select_pipeline = pipeline.id if pipeline else None
        self.stage_list.blockSignals(True)
        self.stage_list.clear()
        stages = pipeline.stages if pipeline else ()
        for stage in stages:
            self.stage_list.addItem(f"{stage.name} · {stage.probability}%")
        ids = [stage.id for stage in stages]
        wanted = self._select_stage
        self.stage_list.setCurrentRow(ids.index(wanted) if wanted in ids else -1)
        self.stage_list.blockSignals(False)
        self._stage_chosen()

    def _stage_chosen(self) -> None:
        stage = self.current_stage()
        self._select_stage = stage.id if stage else None
        if stage is not None:
            self.stage_name.setText(stage.name)
            self.probability.setValue(stage.probability)
        self._update_enabled()

    def _update_enabled(self) -> None:
        pipeline = self.current_pipeline()
        stage = self.current_stage()
        row = self.stage_list.currentRow()
        count = len(pipeline.stages) if pipeline else 0
        for button in (self.rename_button, self.delete_button):
            button.setEnabled(pipeline is not None)
        self.stages_box.setEnabled(pipeline is not None)
        for button in (self.save_stage_button, self.remove_stage_button):
            button.setEnabled(stage is not None)
        self.up_button.setEnabled(stage is not None and row > 0)
        self.down_button.setEnabled(stage is not None and row < count - 1)

    # Pipelines ---------------------------------------------------------------------------------
    def _ask_name(self, title: str, label: str, text: str, then: Callable[[str], Any]) -> None:
        box = QInputDialog(self)
        box.setObjectName("pipelineNameDialog")
        box.setWindowTitle(title)
        box.setLabelText(label)
        box.setTextValue(text)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.textValueSelected.connect(then)
        self.last_dialog = box
        box.open()

    def ask_new(self) -> None:
        self._ask_name("New pipeline", "Name of the new pipeline:", "", self.create_pipeline)

    def create_pipeline(
        self, name: str, stages: tuple[tuple[str, int], ...] = DEFAULT_STAGES
    ) -> None:
        pipelines = self._context.services.pipelines
        self._run(lambda: pipelines.create(name, stages), self._select_new_pipeline)

    def _select_new_pipeline(self, pipeline_id: int) -> None:
        self._select_pipeline = pipeline_id

    def ask_rename(self) -> None:
        pipeline = self.current_pipeline()
        if pipeline is not None:
            self._ask_name(
                "Rename pipeline",
                "New name:",
                pipeline.name,
                lambda name: self.rename_pipeline(pipeline.id, name),
            )

    def rename_pipeline(self, pipeline_id: int, name: str) -> None:
        pipelines = self._context.services.pipelines
        self._run(lambda: pipelines.rename(pipeline_id, name))

    def ask_delete(self) -> None:
        pipeline = self.current_pipeline()
        if pipeline is not None:
            self.last_dialog = confirm(
                self,
                "Delete pipeline",
                f"Delete the pipeline '{pipeline.name}' and its stages?",
                lambda: self.delete_pipeline(pipeline.id),
                "Delete",
            )

    def delete_pipeline(self, pipeline_id: int) -> None:
        pipelines = self._context.services.pipelines
        self._run(lambda: pipelines.delete(pipeline_id))

    # Stages ------------------------------------------------------------------------------------
    def add_stage(self) -> None:
        pipeline = self.current_pipeline()
        if pipeline is None:
            return
        name, probability = self.stage_name.text(), self.probability.value()
        pipelines = self._context.services.pipelines
        self._run(
            lambda: pipelines.add_stage(pipeline.id, name, probability),
            lambda stage_id: setattr(self, "_select_stage", stage_id),
        )

    def save_stage(self) -> None:
        stage = self.current_stage()
        if stage is None:
            return
        name, probability = self.stage_name.text(), self.probability.value()
        pipelines = self._context.services.pipelines

        def work() -> None:
            if name.strip() != stage.name:
                pipelines.rename_stage(stage.id, name)
            if probability != stage.probability:
                pipelines.set_probability(stage.id, probability)

        self._run(work)

    def move_stage(self, step: int) -> None:
        stage = self.current_stage()
        if stage is None:
            return
        index = self.stage_list.currentRow() + step
        pipelines = self._context.services.pipelines
        self._run(lambda: pipelines.move_stage(stage.id, index))

    def ask_remove_stage(self) -> None:
        stage = self.current_stage()
        if stage is not None:
            self.last_dialog = confirm(
                self,
                "Remove stage",
                f"Remove the stage '{stage.name}'?",
                lambda: self.remove_stage(stage.id),
                "Remove",
            )

    def remove_stage(self, stage_id: int) -> None:
        pipelines = self._context.services.pipelines
        self._run(lambda: pipelines.remove_stage(stage_id))

    # Running -----------------------------------------------------------------------------------
    def _run(self, work: Callable[[], Any], then: Callable[[Any], Any] | None = None) -> None:
        """Save one change, then show the pipelines as stored (or why it was refused)."""
        self.error.hide()

        def done(result: Any) -> None:
            if then is not None:
                then(result)
            self.changed.emit()
            self.reload()

        run_for(self, self._context.tasks, work, done, self._refused)

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, UserFacingError):
            self.error.setText(error.message)
            self.error.show()
        else:
            show_error(self, error)
