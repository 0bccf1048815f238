"""The OEE dashboard: one card per line, and lines and shifts side by side.

Top, the period: the current shift (live), the previous shift, today, yesterday or a
custom range. Then one `OeeCard` per OEE line, and a comparison table of every line
over the selected period and the shifts before it, so a supervisor compares lines
and shifts at a glance. Figures are computed in the background (`OeeLoader`) every
few seconds while the period is live and the screen is visible; the cards' counts
and states move every frame from their bound tags.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hmi.cli_oee import duration, percent
from hmi.config import PlantConfig
from hmi.plugin import ScreenContext
from hmi.runtime.oee import line_model
from hmi.runtime.oee_commands import OeeAccess
from screens.oee_data import (
    PERIOD_KINDS,
    CompareRow,
    Dashboard,
    LoadResult,
    OeeLoader,
    dashboard,
    is_live,
    period_window,
    zone_of,
)
from widgets.oee_card import OeeCard

BAND = QColor("#dcdcdc")
REFRESH_MS = 5000
"""Live figures are recomputed this often (not per frame: they read the store)."""

FIELD_TEXTS = (QT_TRANSLATE_NOOP("OeeScreens", "From"), QT_TRANSLATE_NOOP("OeeScreens", "To"))
PERIOD_TEXTS = {
    "shift": QT_TRANSLATE_NOOP("OeeScreens", "Current shift"),
    "prev_shift": QT_TRANSLATE_NOOP("OeeScreens", "Previous shift"),
    "today": QT_TRANSLATE_NOOP("OeeScreens", "Today"),
    "yesterday": QT_TRANSLATE_NOOP("OeeScreens", "Yesterday"),
    "custom": QT_TRANSLATE_NOOP("OeeScreens", "Custom…"),
}


def tr(text: str) -> str:
    return QCoreApplication.translate("OeeScreens", text)


def reason_names(config: PlantConfig, lang: str) -> dict[int, str]:
    return {r.code: r.name.get(lang) for c in config.downtime_reasons for r in c.reasons}


def line_title(config: PlantConfig, line: str, lang: str) -> str:
    for lc in config.lines:
        if lc.name == line:
            return lc.title.get(lang)
    return line


def oee_access(ctx: ScreenContext) -> OeeAccess | None:
    """The station's OEE access, or None (a plain plugin context has none)."""
    return getattr(ctx, "oee", None)


def unavailable(text: str) -> QWidget:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setObjectName("oeeUnavailable")
    return label


class PeriodBar(QWidget):
    """Shift / day / custom period buttons; `changed` when the choice changes."""

    changed = Signal()

    def __init__(
        self, config: PlantConfig, clock: Callable[[], float], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self._config = config
        self._clock = clock
        self.kind = "shift"
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QPushButton] = {}
        for kind in PERIOD_KINDS:
            b = QPushButton(tr(PERIOD_TEXTS[kind]), self)
            b.setCheckable(True)
            b.setObjectName("periodButton")
            self.group.addButton(b)
            self.buttons[kind] = b
            row.addWidget(b)
            b.clicked.connect(lambda _=False, k=kind: self._clicked(k))
        self.buttons["shift"].setChecked(True)
        row.addStretch(1)
        self.summary = QLabel("", self)
        self.summary.setObjectName("oeePeriod")
        row.addWidget(self.summary)
        # The custom range is asked in a small dialog: the bar stays one short row.
        self.custom_dialog = QDialog(self)
        self.custom_dialog.setWindowTitle(tr(PERIOD_TEXTS["custom"]))
        zone = zone_of(config)
        now = QDateTime.fromSecsSinceEpoch(int(clock()))
        self.since_edit = QDateTimeEdit(now.addSecs(-8 * 3600), self.custom_dialog)
        self.until_edit = QDateTimeEdit(now, self.custom_dialog)
        form = QFormLayout(self.custom_dialog)
        for e, text in ((self.since_edit, "From"), (self.until_edit, "To")):
            e.setDisplayFormat("yyyy-MM-dd HH:mm")
            e.setCalendarPopup(True)
            e.setTimeZone(_qt_zone(zone))
            form.addRow(tr(text), e)
        ok_cancel = QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok_cancel, self.custom_dialog)
        buttons.accepted.connect(self.custom_dialog.accept)
        buttons.rejected.connect(self.custom_dialog.reject)
        form.addRow(buttons)
        self.custom_dialog.accepted.connect(lambda: self.set_kind("custom"))
        self.custom_dialog.rejected.connect(lambda: self.buttons[self.kind].setChecked(True))

    def _clicked(self, kind: str) -> None:
        if kind == "custom":
            self.custom_dialog.open()  # non-blocking: OK sets the period
        else:
            self.set_kind(kind)

    def set_kind(self, kind: str) -> None:
        self.kind = kind
        self.buttons[kind].setChecked(True)
        self.changed.emit()

    def set_custom(self, since: float, until: float) -> None:
        self.since_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(since)))
        self.until_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(until)))
        self.set_kind("custom")

    def window(self) -> tuple[float, float]:
        custom = (
            float(self.since_edit.dateTime().toSecsSinceEpoch()),
            float(self.until_edit.dateTime().toSecsSinceEpoch()),
        )
        return period_window(self._config, self.kind, self._clock(), custom)

    def show_window(self, since: float, until: float, live: bool) -> None:
        zone = zone_of(self._config)
        a = datetime.fromtimestamp(since, zone)
        z = datetime.fromtimestamp(until, zone)
        end = (
            QCoreApplication.translate("OeeScreens", "now")
            if live
            else (f"{z:%H:%M}" if z.date() == a.date() else f"{z:%m-%d %H:%M}")
        )
        self.summary.setText(f"{a:%Y-%m-%d %H:%M} – {end}")


def _qt_zone(zone: Any) -> Any:
    from PySide6.QtCore import QByteArray, QTimeZone

    return QTimeZone(QByteArray(str(zone.key).encode()))


COLUMN_TIPS = (
    QT_TRANSLATE_NOOP("OeeScreens", "Availability"),
    QT_TRANSLATE_NOOP("OeeScreens", "Performance"),
    QT_TRANSLATE_NOOP("OeeScreens", "Quality"),
)
COMPARE_COLUMNS = (
    QT_TRANSLATE_NOOP("OeeScreens", "Line"),
    QT_TRANSLATE_NOOP("OeeScreens", "Period"),
    QT_TRANSLATE_NOOP("OeeScreens", "OEE"),
    QT_TRANSLATE_NOOP("OeeScreens", "Target"),
    QT_TRANSLATE_NOOP("OeeCard", "A"),
    QT_TRANSLATE_NOOP("OeeCard", "P"),
    QT_TRANSLATE_NOOP("OeeCard", "Q"),
    QT_TRANSLATE_NOOP("OeeScreens", "Good"),
    QT_TRANSLATE_NOOP("OeeScreens", "Reject"),
    QT_TRANSLATE_NOOP("OeeScreens", "Downtime"),
    QT_TRANSLATE_NOOP("OeeScreens", "Stops"),
    QT_TRANSLATE_NOOP("OeeScreens", "MTBF"),
    QT_TRANSLATE_NOOP("OeeScreens", "MTTR"),
)


def compare_cells(row: CompareRow) -> list[str]:
    f = row.figures
    return [
        "", row.label, percent(f.oee), percent(f.target), percent(f.availability),
        percent(f.performance), percent(f.quality), str(row.good), str(row.reject),
        duration(f.down_time + f.idle_time + f.changeover_time), str(f.stops),
        duration(f.mtbf), duration(f.mttr),
    ]  # fmt: skip


class CompareTable(QTableWidget):
    """Lines × periods: A/P/Q/OEE and the rest, the selected period first per line."""

    def __init__(self, config: PlantConfig, lang: str, parent: QWidget | None = None):
        super().__init__(0, len(COMPARE_COLUMNS), parent)
        self._config = config
        self._lang = lang
        self._live_rows: dict[str, int] = {}
        self.setObjectName("oeeCompare")
        card_words = {"A", "P", "Q"}  # the card's words for them, with the card's tooltips
        self.setHorizontalHeaderLabels(
            [QCoreApplication.translate("OeeCard", c) if c in card_words else tr(c)
             for c in COMPARE_COLUMNS]
        )  # fmt: skip
        for col, tip in ((4, "Availability"), (5, "Performance"), (6, "Quality")):
            self.horizontalHeaderItem(col).setToolTip(tr(tip))
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        head = self.horizontalHeader()
        head.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for col in (0, 1, 2, 9):  # names, periods, OEE and downtime are never cut
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)

    def set_rows(self, rows: list[CompareRow], current_label: str, live: bool = False) -> None:
        self.setRowCount(len(rows))
        bold = QFont(self.font())
        bold.setBold(True)
        self._live_rows = {row.line: r for r, row in enumerate(rows) if not row.label and live}
        last_line = None
        band = False
        for r, row in enumerate(rows):
            cells = compare_cells(row)
            if row.line != last_line:
                cells[0] = line_title(self._config, row.line, self._lang)
                last_line = row.line
                band = not band
            if not row.label:
                cells[1] = current_label
            f = row.figures
            below = f.oee is not None and f.oee < f.target
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                align = Qt.AlignmentFlag.AlignVCenter
                align |= Qt.AlignmentFlag.AlignLeft if c < 2 else Qt.AlignmentFlag.AlignRight
                item.setTextAlignment(align)
                if c == 2 and below:
                    item.setText(f"▼ {text}")
                    item.setFont(bold)
                    item.setToolTip(QCoreApplication.translate("OeeScreens", "below target"))
                if band:  # each line's rows share a band: lines read as groups
                    item.setBackground(BAND)
                if not row.label and c < 2:
                    item.setFont(bold)
                self.setItem(r, c, item)
        self.resizeRowsToContents()
        # As tall as its rows: the cards above take the rest of the screen.
        height = self.horizontalHeader().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setFixedHeight(height + 2)

    def show_live_counts(self, line: str, good: int, reject: int) -> None:
        """Keep the selected period's Good/Reject equal to the card's, which count live."""
        r = self._live_rows.get(line)
        if r is None:
            return
        for col, n in ((7, good), (8, reject)):
            item = self.item(r, col)
            if item is not None and item.text() != str(n):
                item.setText(str(n))

    def cell_texts(self) -> list[list[str]]:
        return [
            [self.item(r, c).text() if self.item(r, c) else "" for c in range(self.columnCount())]
            for r in range(self.rowCount())
        ]


class OeeDashboard(QWidget):
    """See the module docstring."""

    def __init__(
        self,
        ctx: ScreenContext,
        access: OeeAccess,
        clock: Callable[[], float] = time.time,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("oeeDashboard")
        self._ctx = ctx
        self.access = access
        self._clock = clock
        self._cache: dict = {}
        config, lang = access.config, ctx.lang
        self.loader = OeeLoader(self)
        self.loader.ready.connect(self._on_loaded)
        self.period = PeriodBar(config, clock, self)
        self.period.changed.connect(lambda: self.refresh(force=True))

        names = reason_names(config, lang)
        self.cards: dict[str, OeeCard] = {}
        cards = QGridLayout()
        cards.setSpacing(12)
        per_row = 3 if len(access.lines) != 4 else 2
        for k, line in enumerate(access.lines):
            lc = next(c for c in config.lines if c.name == line)
            card = OeeCard(line, lc.title.get(lang), line_model(config, line),
                           state_tag=lc.state_tag, reason_names=names, clock=clock)  # fmt: skip
            for tag in card.tags:
                if tag in config.tag_index:
                    ctx.bind(card, tag)
            self.cards[line] = card
            details = QPushButton(QCoreApplication.translate("OeeScreens", "Line details"), self)
            details.setObjectName("oeeDetails")
            details.clicked.connect(lambda _=False, n=line: self.open_line(n))
            card.add_action(details)
            card.counts_changed.connect(
                lambda good, reject, n=line: self.compare.show_live_counts(n, good, reject)
            )
            cards.addWidget(card, k // per_row, k % per_row)

        for col in range(min(per_row, len(access.lines))):
            cards.setColumnStretch(col, 1)  # equal cards: equal numbers, side by side
        self.compare = CompareTable(config, lang, self)
        self.message = QLabel("", self)
        self.message.setObjectName("oeeMessage")
        self.message.hide()  # shown only when there is something to say
        compare_title = QLabel(
            QCoreApplication.translate("OeeScreens", "Lines and shifts compared"), self
        )
        compare_title.setObjectName("oeeSection")

        root = QVBoxLayout(self)
        root.setContentsMargins(16, 8, 16, 8)
        root.setSpacing(6)
        root.addWidget(self.period)
        root.addLayout(cards, 1)
        root.addWidget(compare_title)
        root.addWidget(self.compare)
        root.addWidget(self.message)

        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)

    # -- refresh ---------------------------------------------------------------------------

    def showEvent(self, event: Any) -> None:
        self._timer.start()
        self.refresh(force=True)
        super().showEvent(event)

    def hideEvent(self, event: Any) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def refresh(self, force: bool = False) -> None:
        """Recompute cards and comparison in the background: every few seconds while the
        period is live, and at once (forced) when it changes."""
        now = self._clock()
        since, until = self.period.window()
        live = is_live(until, now)
        self.period.show_window(since, until, live)
        if not (force or live):
            return
        if force and len(self._cache) > 200:
            self._cache.clear()
        access, cache = self.access, self._cache
        self.loader.load(
            "dashboard", lambda: dashboard(access, since, until, now, cache=cache), force=force
        )

    def _on_loaded(self, result: LoadResult) -> None:
        if result.error:
            self.message.setText(
                QCoreApplication.translate(
                    "OeeScreens", "OEE figures could not be read: %1"
                ).replace("%1", result.error)
            )
            self.message.show()
            return
        self.message.hide()
        data: Dashboard = result.value
        zone = zone_of(self.access.config)
        for line, card in data.cards.items():
            self.cards[line].set_data(card)
            fig = card.figures
            self.cards[line].show_timeline(data.intervals[line], fig.since, fig.until, zone=zone)
        label = tr(PERIOD_TEXTS[self.period.kind]).rstrip("…")
        live = any(card.live for card in data.cards.values())
        self.compare.set_rows(data.compare, label, live)

    def open_line(self, line: str) -> None:
        opener = getattr(self._ctx, "open_screen", None)
        if opener is not None:
            try:
                opener("oee_line", line=line)
            except (KeyError, TypeError, NotImplementedError):
                opener("oee_line")

    def closeEvent(self, event: Any) -> None:
        self.loader.close()
        super().closeEvent(event)


def build_oee_dashboard(ctx: ScreenContext) -> QWidget:
    access = oee_access(ctx)
    if access is None or not access.lines:
        return unavailable(
            QCoreApplication.translate("OeeScreens", "No OEE lines on this station.")
        )
    return OeeDashboard(ctx, access)
