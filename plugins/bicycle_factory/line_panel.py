"""One production line on the plant overview: state, output, key process values, start/stop.

Layout follows ISA-101 level 1: the state and why it stopped come first, then the
output figures, then a few process values, all in one aligned caption | value | units
column; grey throughout, the theme colours only abnormal states.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hmi.config import LineConfig
from hmi.drivers.base import WriteResult
from hmi.plugin import ScreenContext
from hmi.tagvalue import Quality, TagValue
from widgets import StateIndicator, ValueDisplay


@dataclass(frozen=True)
class ProcessValue:
    """A process value a panel shows: its tag and its (already translated) caption."""

    tag: str
    caption: str


@dataclass(frozen=True)
class LineCodes:
    """The plant's words for its line state and reason codes (already translated)."""

    state_texts: Mapping[int, str]
    state_kinds: Mapping[int, str]
    reason_texts: Mapping[int, str]


class RunControl(QWidget):
    """Start / Stop buttons for a line's run command, each confirmed before it is written.

    Bound to the run-command tag so only the meaningful button is enabled, and only
    for a person who may write it (`ctx.can_write`, re-asked on `ctx.session_changed`;
    the runtime checks again); a refused write is shown in the panel and in a message
    box, never lost.
    """

    def __init__(self, ctx: ScreenContext, tag: str, line_title: str, parent=None):
        super().__init__(parent)
        self.setObjectName("runControl")
        self._ctx = ctx
        self.tag = tag
        self._line_title = line_title
        self.error_box: QMessageBox | None = None
        self._value: TagValue | None = None
        if hasattr(ctx, "session_changed"):  # a station older than SDK security lacks it
            ctx.session_changed.connect(self._refresh)

        self.start_button = QPushButton(QCoreApplication.translate("LinePanel", "Start"), self)
        self.start_button.setObjectName("startButton")
        self.stop_button = QPushButton(QCoreApplication.translate("LinePanel", "Stop"), self)
        self.stop_button.setObjectName("stopButton")
        self.status_label = QLabel("", self)
        self.status_label.setObjectName("writeStatus")
        self.status_label.setWordWrap(True)
        self.start_button.clicked.connect(lambda: self.request(True))
        self.stop_button.clicked.connect(lambda: self.request(False))

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.start_button)
        layout.addWidget(self.stop_button)
        layout.addWidget(self.status_label, 1)

    def set_tag_value(self, value: TagValue) -> None:
        self._value = value
        self._refresh()

    def _refresh(self, *_: object) -> None:
        value = self._value
        allowed = getattr(self._ctx, "can_write", lambda _tag: True)(self.tag)
        connected = allowed and value is not None and value.quality is not Quality.DISCONNECTED
        running = value.value if value is not None and isinstance(value.value, bool) else None
        self.start_button.setEnabled(connected and running is not True)
        self.stop_button.setEnabled(connected and running is not False)

    def request(self, run: bool) -> None:
        """Ask the operator to confirm, then write the run command."""
        if run:
            title = QCoreApplication.translate("LinePanel", "Start line")
            question = QCoreApplication.translate("LinePanel", "Start line {line}?").format(
                line=self._line_title
            )
        else:
            title = QCoreApplication.translate("LinePanel", "Stop line")
            question = QCoreApplication.translate("LinePanel", "Stop line {line}?").format(
                line=self._line_title
            )
        answer = QMessageBox.question(
            self,
            title,
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.status_label.setText(
            QCoreApplication.translate("LinePanel", "Starting…")
            if run
            else QCoreApplication.translate("LinePanel", "Stopping…")
        )
        self._ctx.write(self.tag, run, lambda result: self._write_done(run, result))

    def _write_done(self, run: bool, result: WriteResult) -> None:
        if result.ok:
            self.status_label.setText("")
            return
        if run:
            text = QCoreApplication.translate("LinePanel", "Could not start line {line}: {error}")
        else:
            text = QCoreApplication.translate("LinePanel", "Could not stop line {line}: {error}")
        text = text.format(line=self._line_title, error=result.error)
        self.status_label.setText(text)
        box = QMessageBox(
            QMessageBox.Icon.Warning, QCoreApplication.translate("LinePanel", "Write failed"), text
        )
        box.setParent(self, box.windowFlags())
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # window-modal, returns at once: the GUI thread never waits
        self.error_box = box


class LinePanel(QFrame):
    """A line's panel. Builds its widgets and binds them through `ctx`."""

    def __init__(
        self,
        ctx: ScreenContext,
        line: LineConfig,
        codes: LineCodes,
        process: Sequence[ProcessValue],
        parent: QWidget | None = None,
        open_details: Callable[[], None] | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("linePanel")
        self.line = line
        name = line.name
        lang = ctx.lang
        title = line.title.get(lang)

        self.title_label = QLabel(title, self)
        self.title_label.setObjectName("panelTitle")
        # ISA-101 navigation: from the plant overview down to the line's own screen.
        self.details_button: QPushButton | None = None
        if open_details is not None:
            self.details_button = QPushButton(
                QCoreApplication.translate("LinePanel", "Line screen ›"), self
            )
            self.details_button.setObjectName("detailsButton")
            # Never squeezed below its text: a long line title takes the panel wider.
            self.details_button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            self.details_button.clicked.connect(lambda: open_details())

        self.state = StateIndicator(
            f"{name}.State",
            f"{name}.ReasonCode",
            state_texts=codes.state_texts,
            state_kinds=codes.state_kinds,
            reason_texts=codes.reason_texts,
            parent=self,
        )
        for tag in self.state.tags:
            ctx.bind(self.state, tag)

        def display(tag: str, caption: str) -> ValueDisplay:
            w = ValueDisplay(ctx.tag_config(tag), caption, caption_position="left", lang=lang)
            ctx.bind(w, tag)
            return w

        self.product = display(
            f"{name}.Product", QCoreApplication.translate("LinePanel", "Product")
        )
        self.rate = display(f"{name}.Rate", QCoreApplication.translate("LinePanel", "Rate"))
        self.good = display(f"{name}.GoodCount", QCoreApplication.translate("LinePanel", "Good"))
        self.reject = display(
            f"{name}.RejectCount", QCoreApplication.translate("LinePanel", "Reject")
        )
        for w in (self.rate, self.good, self.reject):
            w.setObjectName("kpi")  # the output figures: the largest numbers on the panel

        section = QLabel(QCoreApplication.translate("LinePanel", "Process values"), self)
        section.setObjectName("sectionTitle")
        self.process: dict[str, ValueDisplay] = {
            pv.tag: display(pv.tag, pv.caption) for pv in process
        }

        self.run_control = RunControl(ctx, f"{name}.RunCmd", title, self)
        ctx.bind(self.run_control, f"{name}.RunCmd")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(10)
        heading = QHBoxLayout()
        heading.setSpacing(12)
        heading.addWidget(self.title_label, 1)
        if self.details_button is not None:
            heading.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(heading)
        layout.addWidget(self.state)
        layout.addLayout(self._rows(self.product, self.rate, self.good, self.reject))
        layout.addWidget(section)
        layout.addLayout(self._rows(*self.process.values()))
        layout.addSpacing(6)
        layout.addWidget(self.run_control)
        layout.addStretch(1)

    @staticmethod
    def _rows(*displays: ValueDisplay) -> QVBoxLayout:
        rows = QVBoxLayout()
        rows.setSpacing(2)
        for d in displays:
            rows.addWidget(d)
        return rows

    def showEvent(self, ev) -> None:
        super().showEvent(ev)
        self.align_columns()  # here, once the theme's fonts are in effect

    def align_columns(self) -> None:
        """One caption width and one units width for the whole panel: values line up."""
        displays = [self.product, self.rate, self.good, self.reject, *self.process.values()]
        for part in ("caption_label", "units_label"):
            labels: list[QLabel] = [getattr(d, part) for d in displays]
            # Measured from the font: a label's cached size hint lags a style change.
            width = max(_text_width(label) for label in labels)
            for label in labels:
                label.setMinimumWidth(width)


def _text_width(label: QLabel) -> int:
    margins = label.contentsMargins()
    text = label.fontMetrics().horizontalAdvance(label.text())
    return text + margins.left() + margins.right() + 2 * label.margin() + 1
