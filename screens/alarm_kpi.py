"""Alarm KPIs (ISA-18.2 / IEC 62682 performance) for a chosen period.

The figures come from `hmi.store.alarm_kpi.compute_alarm_kpis`, computed in this
screen's worker thread; next to each, its target and an assessment word
(acceptable / manageable / overloaded, within / out of target). Colour appears
only where a figure is out of target (ISA-101). Beside them the bad actors (the 10
most frequent alarms, a table: long alarm ids need the width) and a bar chart
(pyqtgraph) of the annunciations per 10 minutes, with the flood threshold drawn.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QDateTime, Qt, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hmi.app.alarm_text import clock_time
from hmi.app.theme import set_state_property
from hmi.config import PlantConfig
from hmi.plugin import ScreenContext
from hmi.store import alarm_kpi as K
from hmi.store.events import EventKind
from hmi.store.export import iter_events
from hmi.store.queries import EventFilter
from screens.alarm_periods import preset_period, presets
from screens.alarm_worker import JobResult, Worker

if TYPE_CHECKING:
    from sqlalchemy import Engine

PLOT_BACKGROUND = "#e4e4e4"
INK = "#1a1a1a"
BAR = "#8c8c8c"
BAR_OUT_OF_TARGET = "#c81e1e"
AUTO_RECOMPUTE_MS = 60_000


@dataclass(frozen=True)
class KpiView:
    """What the screen shows: the KPIs and the annunciations per 10-minute period."""

    kpis: K.AlarmKpis
    rates: np.ndarray  # annunciations (all operators) per 10-minute period from `since`


def compute(engine: Engine, since: float, until: float) -> KpiView:
    """The KPIs of [since, until) and the 10-minute rate series (worker thread)."""
    kpis = K.compute_alarm_kpis(engine, since, until)
    n = max(1, int(np.ceil((until - since) / K.PERIOD_S)))
    flt = EventFilter(since=since, until=until, kinds=[EventKind.ALARM])
    times = np.fromiter(
        (e.ts for e in iter_events(engine, flt) if K.is_annunciation(e)), dtype=float
    )
    buckets = ((times - since) // K.PERIOD_S).astype(np.int64)
    rates = np.bincount(buckets, minlength=n)[:n]
    return KpiView(kpis, rates)


def build_alarm_kpi(ctx: ScreenContext) -> QWidget:
    """The screen factory registered in `screens.builtin_screens`."""
    alarms = getattr(ctx, "alarms", None)
    if alarms is None or alarms.store_engine is None:
        raise TypeError("the alarm KPI screen needs the station's context (no event store)")
    return AlarmKpiScreen(ctx.config, ctx.lang, alarms.store_engine)


def assess_rate(value: float, acceptable: float, manageable: float) -> tuple[str, str]:
    """(word, kpiStatus) of an average rate against ISA-18.2's two levels."""
    if value <= acceptable:
        return QCoreApplication.translate("AlarmKpi", "Acceptable"), "ok"
    if value <= manageable:
        return QCoreApplication.translate("AlarmKpi", "Manageable"), "warn"
    return QCoreApplication.translate("AlarmKpi", "Overloaded"), "bad"


def assess(ok: bool) -> tuple[str, str]:
    return (
        (QCoreApplication.translate("AlarmKpi", "Within target"), "ok")
        if ok
        else (QCoreApplication.translate("AlarmKpi", "Out of target"), "bad")
    )


class AlarmKpiScreen(QWidget):
    """Period choice, the figures with targets, the bad actors and the alarm-rate chart."""

    def __init__(
        self,
        config: PlantConfig,
        lang: str,
        engine: Engine,
        clock: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ):
        super().__init__(parent, objectName="alarmKpi")
        self._config = config
        self._lang = lang
        self._engine = engine
        self._clock = clock
        self._computed_once = False
        self._generation = 0
        self.result: KpiView | None = None
        self.worker = Worker(self)
        self._auto = QTimer(self, interval=AUTO_RECOMPUTE_MS)
        self._auto.timeout.connect(self._auto_recompute)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 10)
        layout.addLayout(self._period_bar())
        self.status = QLabel(self, objectName="kpiStatusLine")
        layout.addWidget(self.status)
        body = QHBoxLayout()
        body.addWidget(self._figures_box(), 0)
        charts = QVBoxLayout()
        self.bad_actor_table = self._bad_actor_table()
        self.rate_plot = self._plot(
            QCoreApplication.translate("AlarmKpi", "Alarms per 10 minutes"), time_axis=True
        )
        charts.addWidget(self.bad_actor_table.parentWidget(), 3)  # ten rows, unscrolled
        charts.addWidget(self.rate_plot.parentWidget(), 2)
        body.addLayout(charts, 1)
        layout.addLayout(body, 1)

    # -- parts -------------------------------------------------------------------------------

    def _period_bar(self) -> QHBoxLayout:
        self.period = QComboBox(self, objectName="kpiPeriod")
        for key, label in presets():
            self.period.addItem(label, key)
        self.period.setCurrentIndex(self.period.findData("7d"))
        self.period.currentIndexChanged.connect(self._period_changed)
        now = QDateTime.currentDateTime()
        self.since_edit = QDateTimeEdit(now.addDays(-1), self, objectName="kpiSince")
        self.until_edit = QDateTimeEdit(now, self, objectName="kpiUntil")
        for edit in (self.since_edit, self.until_edit):
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
            edit.setCalendarPopup(True)
            edit.setEnabled(False)
        self.compute_button = QPushButton(
            QCoreApplication.translate("AlarmKpi", "Compute"), self, objectName="kpiCompute"
        )
        self.compute_button.clicked.connect(self.recompute)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(QCoreApplication.translate("AlarmKpi", "Period"), self))
        bar.addWidget(self.period)
        bar.addWidget(QLabel(QCoreApplication.translate("AlarmKpi", "From"), self))
        bar.addWidget(self.since_edit)
        bar.addWidget(QLabel(QCoreApplication.translate("AlarmKpi", "To"), self))
        bar.addWidget(self.until_edit)
        bar.addWidget(self.compute_button)
        bar.addStretch(1)
        return bar

    def _figures_box(self) -> QGroupBox:
        box = QGroupBox(
            QCoreApplication.translate("AlarmKpi", "Performance against ISA-18.2 targets"), self
        )
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        for col, title in enumerate(
            (
                QCoreApplication.translate("AlarmKpi", "Figure"),
                QCoreApplication.translate("AlarmKpi", "Value"),
                QCoreApplication.translate("AlarmKpi", "Target"),
                QCoreApplication.translate("AlarmKpi", "Assessment"),
            )
        ):
            head = QLabel(title, box, objectName="kpiHead")
            head.setStyleSheet("font-weight: bold")
            grid.addWidget(head, 0, col)
        rows = [
            ("annunciations", QCoreApplication.translate("AlarmKpi", "Alarms annunciated"), ""),
            (
                "per_10min",
                QCoreApplication.translate("AlarmKpi", "Average per operator per 10 min"),
                QCoreApplication.translate("AlarmKpi", "≤ 1 acceptable, ≤ 2 manageable"),
            ),
            (
                "per_hour",
                QCoreApplication.translate("AlarmKpi", "Average per operator per hour"),
                QCoreApplication.translate("AlarmKpi", "≤ 6 acceptable, ≤ 12 manageable"),
            ),
            (
                "flood",
                QCoreApplication.translate("AlarmKpi", "10-minute periods in flood (> 10)"),
                QCoreApplication.translate("AlarmKpi", "< 1 %"),
            ),
            (
                "peak",
                QCoreApplication.translate("AlarmKpi", "Peak alarms in 10 minutes"),
                QCoreApplication.translate("AlarmKpi", "≤ 10"),
            ),
            (
                "top10",
                QCoreApplication.translate("AlarmKpi", "Share of the top 10 alarms"),
                QCoreApplication.translate("AlarmKpi", "≤ 5 %"),
            ),
            (
                "chattering",
                QCoreApplication.translate("AlarmKpi", "Chattering alarms (≥ 3 in 60 s)"),
                QCoreApplication.translate("AlarmKpi", "0"),
            ),
            (
                "stale",
                QCoreApplication.translate("AlarmKpi", "Stale alarms (active > 24 h)"),
                QCoreApplication.translate("AlarmKpi", "< 5"),
            ),
            (
                "shelved",
                QCoreApplication.translate("AlarmKpi", "Shelve actions (alarms shelved)"),
                "",
            ),
            (
                "shelved_end",
                QCoreApplication.translate("AlarmKpi", "Shelved at the period end"),
                "",
            ),
            (
                "oos_end",
                QCoreApplication.translate("AlarmKpi", "Out of service at the period end"),
                "",
            ),
        ]
        self.figures: dict[str, QLabel] = {}
        self.assessments: dict[str, QLabel] = {}
        for i, (key, name, target) in enumerate(rows, start=1):
            grid.addWidget(QLabel(name, box), i, 0)
            value = QLabel("—", box, objectName="kpiValue")
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(value, i, 1)
            grid.addWidget(QLabel(target, box, objectName="kpiTarget"), i, 2)
            verdict = QLabel("", box, objectName="kpiAssessment")
            grid.addWidget(verdict, i, 3)
            self.figures[key] = value
            self.assessments[key] = verdict
        row = len(rows) + 1
        head = QLabel(
            QCoreApplication.translate(
                "AlarmKpi", "Priority distribution (target ~80 / 15 / 5 / <1 %)"
            ),
            box,
        )
        head.setStyleSheet("font-weight: bold; padding-top: 10px")
        grid.addWidget(head, row, 0, 1, 4)
        self.priority_labels: dict[int, QLabel] = {}
        for p in range(1, 5):
            name = next(
                (x.name.get(self._lang) for x in self._config.alarm_priorities if x.priority == p),
                str(p),
            )
            grid.addWidget(QLabel(f"{p} {name}", box), row + p, 0)
            label = QLabel("—", box, objectName="kpiPriorityShare")
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(label, row + p, 1)
            target = K.PRIORITY_CATEGORIES[p][1]
            grid.addWidget(QLabel(("< " if p == 1 else "~ ") + f"{target:g} %", box), row + p, 2)
            self.priority_labels[p] = label
        grid.setRowStretch(row + 5, 1)
        return box

    def _bad_actor_table(self) -> QTableWidget:
        """The 10 most frequent alarms as rows an operator can read and copy: long alarm
        ids need the width a chart axis would take from its bars."""
        tr = QCoreApplication.translate
        box = QGroupBox(tr("AlarmKpi", "Bad actors (top 10)"), self)
        table = QTableWidget(0, 3, box, objectName="badActors")
        table.setHorizontalHeaderLabels(
            [tr("AlarmKpi", "Alarm"), tr("AlarmKpi", "Count"), tr("AlarmKpi", "Share")]
        )
        rows = table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 6)  # compact, still legible
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        col = QVBoxLayout(box)
        col.addWidget(table)
        return table

    def _plot(self, title: str, time_axis: bool = False) -> pg.PlotWidget:
        box = QGroupBox(title, self)
        axes = {"bottom": pg.DateAxisItem()} if time_axis else None
        plot = pg.PlotWidget(box, background=PLOT_BACKGROUND, axisItems=axes)
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        for name in ("left", "bottom"):
            axis = plot.getPlotItem().getAxis(name)
            axis.setPen(pg.mkPen(INK))
            axis.setTextPen(pg.mkPen(INK))
        col = QVBoxLayout(box)
        col.addWidget(plot)
        return plot

    # -- computing ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._computed_once:
            self._computed_once = True
            self.recompute()
        self._auto.start()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self._auto.stop()

    def _auto_recompute(self) -> None:
        """Periods that end now move on: recompute them now and then while shown."""
        if self.period.currentData() != "custom" and not self.worker.busy:
            self.recompute()

    def _period_changed(self, _index: int) -> None:
        custom = self.period.currentData() == "custom"
        self.since_edit.setEnabled(custom)
        self.until_edit.setEnabled(custom)
        if not custom:
            self.recompute()

    def period_range(self) -> tuple[float, float]:
        key = self.period.currentData()
        if key == "custom":
            return (
                float(self.since_edit.dateTime().toSecsSinceEpoch()),
                float(self.until_edit.dateTime().toSecsSinceEpoch()),
            )
        now = self._clock()
        since, until = preset_period(key, now, self._config.shifts)
        until = min(until, now)
        for edit, ts in ((self.since_edit, since), (self.until_edit, until)):
            edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(ts)))  # show the preset's range
        return since, until

    def recompute(self) -> None:
        since, until = self.period_range()
        if until <= since:
            self.status.setText(
                QCoreApplication.translate("AlarmKpi", "The period must end after it starts.")
            )
            return
        self._generation += 1
        gen, engine = self._generation, self._engine
        self.status.setText(QCoreApplication.translate("AlarmKpi", "Computing…"))
        self.worker.submit(lambda: compute(engine, since, until), lambda r: self._computed(gen, r))

    def _computed(self, gen: int, result: JobResult) -> None:
        if gen != self._generation:
            return
        if not result.ok:
            self.status.setText(
                QCoreApplication.translate(
                    "AlarmKpi", "The KPIs could not be computed: {error}"
                ).format(error=result.error)
            )
            return
        self.show_result(result.value)

    # -- showing -----------------------------------------------------------------------------

    def show_result(self, view: KpiView) -> None:
        self.result = view
        k = view.kpis
        self.status.setText(
            QCoreApplication.translate(
                "AlarmKpi", "{since} to {until} ({hours:.1f} h), {operators} operator(s)"
            ).format(
                since=clock_time(k.since, with_date=True),
                until=clock_time(k.until, with_date=True),
                hours=k.hours,
                operators=k.operators,
            )
        )
        figures = {
            "annunciations": (str(k.annunciations), None),
            "per_10min": (
                f"{k.per_operator_per_10min:.2f}",
                assess_rate(k.per_operator_per_10min, *K.TARGET_PER_10MIN),
            ),
            "per_hour": (
                f"{k.per_operator_per_hour:.2f}",
                assess_rate(k.per_operator_per_hour, *K.TARGET_PER_HOUR),
            ),
            "flood": (
                f"{k.flood_percent:.1f} %  ({k.flood_periods}/{k.periods})",
                assess(k.flood_percent < K.TARGET_FLOOD_PERCENT),
            ),
            "peak": (str(k.peak_count), assess(k.peak_count <= K.FLOOD_THRESHOLD)),
            "top10": (
                f"{k.top10_percent:.1f} %",
                assess(k.top10_percent <= K.TARGET_TOP10_PERCENT),
            ),
            "chattering": (str(len(k.chattering)), assess(not k.chattering)),
            "stale": (str(len(k.stale)), assess(len(k.stale) < K.TARGET_STALE)),
            "shelved": (f"{k.shelve_actions} ({k.alarms_shelved})", None),
            "shelved_end": (str(len(k.shelved_at_end)), None),
            "oos_end": (str(len(k.out_of_service_at_end)), None),
        }
        for key, (text, verdict) in figures.items():
            self.figures[key].setText(text)
            label = self.assessments[key]
            word, status = verdict if verdict else ("", "")
            label.setText(word)
            set_state_property(label, "kpiStatus", status)
        shares = {s.priority: s for s in k.priorities}
        for p, label in self.priority_labels.items():
            s = shares.get(p)
            label.setText(f"{s.count}  ({s.percent:.1f} %)" if s else "0")
        self._draw_bad_actors(k)
        self._draw_rates(view.rates, k.since, k.operators)

    def _draw_bad_actors(self, k: K.AlarmKpis) -> None:
        table = self.bad_actor_table
        table.setRowCount(len(k.bad_actors))
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for row, a in enumerate(k.bad_actors):  # most frequent first
            cells = (a.alarm_id, str(a.count), f"{a.percent:.1f} %")
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(right)
                else:
                    item.setToolTip(text)
                table.setItem(row, col, item)

    def _draw_rates(self, rates: np.ndarray, since: float, operators: int) -> None:
        plot = self.rate_plot
        plot.clear()
        if rates.size == 0:
            return
        xs = since + K.PERIOD_S * (np.arange(rates.size, dtype=float) + 0.5)
        per_operator = rates / max(1, operators)
        flood = per_operator > K.FLOOD_THRESHOLD
        brushes = [pg.mkBrush(BAR_OUT_OF_TARGET if f else BAR) for f in flood]
        plot.addItem(
            pg.BarGraphItem(x=xs, height=rates, width=K.PERIOD_S * 0.9, brushes=brushes, pen=None)
        )
        limit = pg.InfiniteLine(
            pos=K.FLOOD_THRESHOLD * max(1, operators),
            angle=0,
            pen=pg.mkPen(INK, width=1, style=Qt.PenStyle.DashLine),
            label=QCoreApplication.translate("AlarmKpi", "flood"),
            labelOpts={"position": 0.97, "color": INK, "anchors": [(1, 1), (1, 1)]},
        )
        plot.addItem(limit)
        top = max(float(rates.max()), K.FLOOD_THRESHOLD * max(1, operators)) * 1.1
        plot.setYRange(0, top, padding=0)
        plot.setXRange(since, since + K.PERIOD_S * rates.size, padding=0)
