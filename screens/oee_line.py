"""The OEE line detail: where one line's time went, and why it stopped.

For the selected line and period: its OEE card; the state timeline (a Gantt strip,
hover for state, reason and duration); MTBF, MTTR, stops; the loss Pareto by
reason, by reason category or by the six big losses; good parts per hour against
the ideal count; and the downtime list (`screens/oee_downtime.py`), where an
operator gives a stop its reason from the plant's reason tree, or splits it into
several reasons with durations. Assignments go through `OeeCommands` (permission-
checked and audited in the runtime); a refusal is shown on the list's message line
with the runtime's message.
"""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hmi.cli_oee import duration
from hmi.plugin import ScreenContext
from hmi.runtime.oee import line_model
from hmi.runtime.oee_calc import BigLoss, DowntimeEvent
from hmi.runtime.oee_commands import OeeAccess
from screens.oee_dashboard import (
    PeriodBar,
    line_title,
    oee_access,
    reason_names,
    tr,
    unavailable,
)
from screens.oee_data import LineDetail, LoadResult, OeeLoader, is_live, line_detail, zone_of
from screens.oee_downtime import DowntimePanel, assigned_text, auto_text
from screens.oee_reasons import ReasonDialog
from widgets.oee_card import OeeCard
from widgets.pareto import HourItem, HourlyBars, ParetoChart, ParetoItem
from widgets.state_timeline import StateLegend, StateTimeline

REFRESH_MS = 5000

LOSS_TEXTS = {
    BigLoss.EQUIPMENT_FAILURE.value: QT_TRANSLATE_NOOP("OeeScreens", "Equipment failure"),
    BigLoss.SETUP.value: QT_TRANSLATE_NOOP("OeeScreens", "Setup / changeover"),
    BigLoss.IDLING_MINOR_STOPS.value: QT_TRANSLATE_NOOP("OeeScreens", "Idling & minor stops"),
    BigLoss.REDUCED_SPEED.value: QT_TRANSLATE_NOOP("OeeScreens", "Reduced speed"),
    BigLoss.PROCESS_DEFECTS.value: QT_TRANSLATE_NOOP("OeeScreens", "Process defects"),
    BigLoss.STARTUP_REJECTS.value: QT_TRANSLATE_NOOP("OeeScreens", "Start-up rejects"),
}
# The fold row of the Pareto (%1: how many it holds), per mode.
OTHER_TEXTS = {
    "reason": QT_TRANSLATE_NOOP("OeeScreens", "Other (%1 reasons)"),
    "category": QT_TRANSLATE_NOOP("OeeScreens", "Other (%1 categories)"),
    "losses": QT_TRANSLATE_NOOP("OeeScreens", "Other (%1 losses)"),
}
PARETO_MODES = (
    ("reason", QT_TRANSLATE_NOOP("OeeScreens", "By reason")),
    ("category", QT_TRANSLATE_NOOP("OeeScreens", "By category")),
    ("losses", QT_TRANSLATE_NOOP("OeeScreens", "Six big losses")),
)
KPI_NAMES = (
    ("mtbf", QT_TRANSLATE_NOOP("OeeScreens", "MTBF")),
    ("mttr", QT_TRANSLATE_NOOP("OeeScreens", "MTTR")),
    ("stops", QT_TRANSLATE_NOOP("OeeScreens", "Stops")),
    ("micro", QT_TRANSLATE_NOOP("OeeScreens", "Micro-stops")),
    ("run", QT_TRANSLATE_NOOP("OeeScreens", "Run time")),
    ("down", QT_TRANSLATE_NOOP("OeeScreens", "Downtime")),
    ("planned", QT_TRANSLATE_NOOP("OeeScreens", "Planned production")),
    ("unknown", QT_TRANSLATE_NOOP("OeeScreens", "Unknown time")),
)


def unassigned_text() -> str:
    return QCoreApplication.translate("OeeScreens", "Unassigned")


# --------------------------------------------------------------------------- the screen


class _Relay(QObject):
    """Carries a command's outcome from the runtime thread to the GUI thread."""

    done = Signal(object, object)  # (rows, error)


class OeeLineScreen(QWidget):
    """See the module docstring."""

    def __init__(
        self,
        ctx: ScreenContext,
        access: OeeAccess,
        line: str | None = None,
        clock: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("oeeLine")
        self._ctx = ctx
        self.access = access
        self._clock = clock
        self.lang = ctx.lang
        config = access.config
        self.reasons = reason_names(config, self.lang)
        self.categories = {c.id: c.name.get(self.lang) for c in config.downtime_reasons}
        self.detail: LineDetail | None = None
        self.pareto_mode = "reason"
        self.reason_dialog: ReasonDialog | None = None
        self.loader = OeeLoader(self)
        self.loader.ready.connect(self._on_loaded)
        self._relay = _Relay()
        self._relay.done.connect(self._on_assigned, Qt.ConnectionType.QueuedConnection)

        # -- top: line and period
        self.line_combo = QComboBox(self)
        self.line_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for name in access.lines:
            self.line_combo.addItem(line_title(config, name, self.lang), name)
        self.period = PeriodBar(config, clock, self)
        top = QHBoxLayout()
        top.addWidget(self.line_combo)
        top.addSpacing(12)
        top.addWidget(self.period, 1)

        # -- the card of each line (bound once; the selected one is shown)
        self.card_stack = QStackedWidget(self)
        self.cards: dict[str, OeeCard] = {}
        for name in access.lines:
            lc = next(c for c in config.lines if c.name == name)
            card = OeeCard(
                name, lc.title.get(self.lang), line_model(config, name),
                state_tag=lc.state_tag, reason_names=self.reasons, clock=clock,
            )  # fmt: skip
            for tag in card.tags:
                if tag in config.tag_index:
                    ctx.bind(card, tag)
            self.cards[name] = card
            self.card_stack.addWidget(card)
        self.card_stack.setFixedWidth(410)

        # -- timeline and KPIs
        self.timeline = StateTimeline(reason_names=self.reasons, zone=zone_of(config), parent=self)
        self.timeline.reason_of = self._interval_reason
        self.kpis: dict[str, QLabel] = {}
        # Caption and value side by side, two rows of four: the row's height is set by
        # the card, and the Pareto and the downtime list get the rest.
        kpi_grid = QGridLayout()
        kpi_grid.setHorizontalSpacing(6)
        kpi_grid.setVerticalSpacing(2)
        for k, (key, text) in enumerate(KPI_NAMES):
            cap = QLabel(tr(text), self)
            cap.setObjectName("oeeSmall")
            val = QLabel("-", self)
            val.setObjectName("oeeKpi")
            self.kpis[key] = val
            row, col = k // 4, 3 * (k % 4)
            kpi_grid.addWidget(cap, row, col)
            kpi_grid.addWidget(val, row, col + 1)
            kpi_grid.setColumnMinimumWidth(col + 2, 14)
        kpi_grid.setColumnStretch(3 * 4, 1)
        timeline_box = QGroupBox(QCoreApplication.translate("OeeScreens", "State timeline"), self)
        tl = _box_layout(QVBoxLayout(timeline_box))
        tl.addWidget(self.timeline)
        self.last_hour = QCheckBox(QCoreApplication.translate("OeeScreens", "Last hour only"), self)
        self.last_hour.setToolTip(
            QCoreApplication.translate("OeeScreens", "Zoom the timeline to the period's last hour")
        )
        self.last_hour.toggled.connect(lambda _: self._show_timeline())
        legend_row = QHBoxLayout()
        legend_row.addWidget(StateLegend(self), 1)
        legend_row.addWidget(self.last_hour)
        tl.addLayout(legend_row)
        tl.addSpacing(6)
        tl.addLayout(kpi_grid)
        tl.addStretch(1)
        upper = QHBoxLayout()
        upper.setSpacing(12)
        upper.addWidget(self.card_stack)
        upper.addWidget(timeline_box, 1)

        # -- Pareto and hourly production
        # The mode buttons stand in a column beside the chart: height is what the
        # Pareto's rows are short of at 1280×800, width is not.
        self.pareto = ParetoChart(
            empty_text=QCoreApplication.translate("OeeScreens", "No downtime in this period"),
            other_text=tr(OTHER_TEXTS["reason"]),
            parent=self,
        )
        self.pareto_group = QButtonGroup(self)
        self.pareto_buttons: dict[str, QPushButton] = {}
        modes = QVBoxLayout()
        modes.setSpacing(4)
        for mode, text in PARETO_MODES:
            b = QPushButton(tr(text), self)
            b.setCheckable(True)
            b.setObjectName("periodButton")
            b.clicked.connect(lambda _=False, m=mode: self.set_pareto_mode(m))
            self.pareto_group.addButton(b)
            self.pareto_buttons[mode] = b
            modes.addWidget(b)
        modes.addStretch(1)
        self.pareto_buttons["reason"].setChecked(True)
        pareto_box = QGroupBox(QCoreApplication.translate("OeeScreens", "Loss Pareto"), self)
        pl = _box_layout(QHBoxLayout(pareto_box))
        pl.setSpacing(12)
        pl.addLayout(modes)
        pl.addWidget(self.pareto, 1)
        self.hourly = HourlyBars(parent=self)
        self.hourly_box = hourly_box = QGroupBox(
            QCoreApplication.translate(
                "OeeScreens", "Good parts per hour: ideal (dashed), target (line)"
            ),
            self,
        )
        _box_layout(QVBoxLayout(hourly_box)).addWidget(self.hourly)
        middle = QHBoxLayout()
        middle.setSpacing(12)
        middle.addWidget(pareto_box, 3)
        middle.addWidget(hourly_box, 2)

        # -- downtime list
        self.downtime = DowntimePanel(self.reasons, zone_of(config), self)
        self.downtime.assign_requested.connect(self.open_assign)

        # In a scroll area: on a small screen the screen scrolls rather than the window
        # growing past the screen (it never does at 1280×800, but a 1024 px one may).
        # At 1280×800 the upper row keeps its size; the Pareto and the list share the
        # rest, and a bigger screen's extra height gives both more rows.
        body = QWidget(self)
        body.setObjectName("oeeLineBody")
        root = QVBoxLayout(body)
        root.setContentsMargins(12, 6, 12, 6)
        root.setSpacing(6)
        root.addLayout(top)
        root.addLayout(upper)
        root.addLayout(middle, 1)
        root.addWidget(self.downtime, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self.period.changed.connect(lambda: self.refresh(force=True))
        self.line_combo.currentIndexChanged.connect(self._line_changed)
        if line and line in access.lines:
            self.line_combo.setCurrentIndex(access.lines.index(line))
        self._line_changed()

    # -- state -----------------------------------------------------------------------------

    @property
    def line(self) -> str:
        return self.line_combo.currentData()

    def set_line(self, line: str) -> None:
        self.line_combo.setCurrentIndex(self.access.lines.index(line))

    def _line_changed(self) -> None:
        self.card_stack.setCurrentWidget(self.cards[self.line])
        self.detail = None
        self.downtime.clear()
        self.refresh(force=True)

    def _show_timeline(self) -> None:
        if self.detail is None:
            return
        fig = self.detail.card.figures
        since = max(fig.since, fig.until - 3600.0) if self.last_hour.isChecked() else fig.since
        self.timeline.set_intervals(self.detail.intervals, since, fig.until)

    def set_pareto_mode(self, mode: str) -> None:
        self.pareto_mode = mode
        self.pareto_buttons[mode].setChecked(True)
        self._show_pareto()

    # -- loading ---------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        self._timer.start()
        self.refresh(force=True)
        super().showEvent(event)

    def hideEvent(self, event: Any) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def refresh(self, force: bool = False) -> None:
        now = self._clock()
        since, until = self.period.window()
        live = is_live(until, now)
        self.period.show_window(since, until, live)
        if not (force or live):
            return
        access, line = self.access, self.line
        self.loader.load(
            "detail", lambda: line_detail(access, line, since, until, now), force=force
        )

    def _on_loaded(self, result: LoadResult) -> None:
        if result.error:
            self.downtime.say(
                QCoreApplication.translate(
                    "OeeScreens", "OEE figures could not be read: %1"
                ).replace("%1", result.error),
                "error",
            )
            return
        detail: LineDetail = result.value
        if detail.card.line != self.line:
            return
        self.detail = detail
        fig = detail.card.figures
        self.cards[detail.card.line].set_data(detail.card)
        self._show_timeline()
        self.kpis["mtbf"].setText(duration(fig.mtbf))
        self.kpis["mttr"].setText(duration(fig.mttr))
        self.kpis["stops"].setText(str(fig.stops))
        self.kpis["micro"].setText(str(fig.micro_stops))
        self.kpis["run"].setText(duration(fig.run_time))
        self.kpis["down"].setText(duration(fig.down_time + fig.idle_time + fig.changeover_time))
        self.kpis["planned"].setText(duration(fig.planned_production_time))
        self.kpis["unknown"].setText(duration(fig.unknown_time))
        self.hourly.set_items([HourItem(h.label, h.good, h.ideal, h.target) for h in detail.hours])
        self.hourly_box.setTitle(
            QCoreApplication.translate(
                "OeeScreens", "Good parts per day: ideal (dashed), target (line)"
            )
            if detail.daily
            else QCoreApplication.translate(
                "OeeScreens", "Good parts per hour: ideal (dashed), target (line)"
            )
        )
        self._show_pareto()
        self.downtime.set_events(detail.events)

    # -- Pareto ----------------------------------------------------------------------------

    def pareto_items(self) -> list[ParetoItem]:
        """What the Pareto shows in the current mode."""
        if self.detail is None:
            return []
        fig = self.detail.card.figures
        if self.pareto_mode == "losses":
            return [
                ParetoItem(tr(LOSS_TEXTS.get(k, k)), v) for k, v in fig.losses.items() if v > 0.5
            ]
        if self.pareto_mode == "category":
            return [
                ParetoItem(
                    self.categories.get(cid, QCoreApplication.translate("OeeScreens", "Other"))
                    if cid
                    else unassigned_text(),
                    s,
                    hatched=cid is None,
                )
                for cid, s in self.detail.by_category
                if s > 0
            ]
        return [
            ParetoItem(
                self.reasons.get(e.reason, str(e.reason)) if e.reason is not None
                else unassigned_text(),
                e.seconds, hatched=e.reason is None,
            )
            for e in fig.pareto
            if e.seconds > 0
        ]  # fmt: skip

    def _show_pareto(self) -> None:
        self.pareto.set_items(self.pareto_items(), tr(OTHER_TEXTS[self.pareto_mode]))

    # -- reasons: the timeline's hover, the reason dialog, the command --------------------

    def _interval_reason(self, iv: Any) -> str:
        """Hover text's reason: the operator's, else the PLC's."""
        if self.detail is not None:
            for e in self.detail.events:
                if e.start == iv.start or (e.start <= iv.start < e.end and e.state == iv.state):
                    return assigned_text(e, self.reasons) or auto_text(e, self.reasons)
        return self.reasons.get(iv.reason, str(iv.reason)) if iv.reason else ""

    def open_assign(self, event: DowntimeEvent | None = None) -> ReasonDialog | None:
        """Open the reason dialog for this stop, else the selected one (non-blocking)."""
        if event is None:
            event = self.downtime.selected_event()
        if event is None:
            return None
        dialog = ReasonDialog(
            self.access.config, self.lang, event, self.line_combo.currentText(), self
        )
        dialog.accepted.connect(lambda: self.assign(event, dialog.chosen()))
        self.reason_dialog = dialog
        dialog.open()
        return dialog

    def assign(self, event: DowntimeEvent, parts: list[tuple[int, float | None]]) -> None:
        """Submit the assignment through the command API; the answer comes back queued."""
        self.downtime.say(QCoreApplication.translate("OeeScreens", "Saving…"), "")
        fut = self.access.assign(self.line, event.start, parts)
        fut.add_done_callback(self._done)

    def _done(self, fut: concurrent.futures.Future) -> None:  # any thread
        try:
            self._relay.done.emit(fut.result(), None)
        except Exception as exc:
            self._relay.done.emit(None, exc)

    def _on_assigned(self, rows: Any, error: BaseException | None) -> None:
        if error is not None:
            self.downtime.say(
                QCoreApplication.translate("OeeScreens", "Not saved: %1").replace("%1", str(error)),
                "error",
            )
        else:
            names = ", ".join(self.reasons.get(r.reason, str(r.reason)) for r in rows)
            self.downtime.say(
                QCoreApplication.translate("OeeScreens", "Saved: %1").replace("%1", names), "ok"
            )
        self.refresh(force=True)

    def closeEvent(self, event: Any) -> None:
        self.loader.close()
        super().closeEvent(event)


def _box_layout(layout: Any) -> Any:
    """A group box's layout without margins of its own: the theme's padding is the room."""
    layout.setContentsMargins(0, 0, 0, 0)
    return layout


def build_oee_line(ctx: ScreenContext) -> QWidget:
    access = oee_access(ctx)
    if access is None or not access.lines:
        return unavailable(
            QCoreApplication.translate("OeeScreens", "No OEE lines on this station.")
        )
    params = getattr(ctx, "params", None) or {}
    return OeeLineScreen(ctx, access, params.get("line"))
