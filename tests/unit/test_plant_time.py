"""The station process reads every time on the plant's clock (hmi/plant_time.py)."""

import os
import subprocess
import sys
import textwrap

SNIPPET = textwrap.dedent(
    """
    import sys
    from datetime import datetime
    from PySide6.QtCore import QDateTime
    from hmi.config import load_config
    from hmi.paths import DEMO_CONFIG
    from hmi.plant_time import adopt_plant_timezone

    before = datetime.fromtimestamp(0).hour
    zone = adopt_plant_timezone(load_config(DEMO_CONFIG))
    print(before, zone, datetime.fromtimestamp(0).hour,
          QDateTime.fromSecsSinceEpoch(0).toString("HH"))
    """
)


def test_a_station_on_a_utc_pc_shows_the_plants_time_in_python_and_qt():
    # A separate process: adopting a zone changes the process's local time for good.
    env = {**os.environ, "TZ": "UTC", "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", SNIPPET], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    before, zone, python_hour, qt_hour = out.stdout.split()
    assert (before, zone) == ("0", "Asia/Taipei")  # the demo plant's [shifts] zone
    assert python_hour == "8" and qt_hour == "08"  # 1970-01-01 00:00 UTC = 08:00 in Taipei


def test_a_plant_without_a_shift_calendar_keeps_the_pcs_zone(tmp_path):
    from hmi.config import load_config
    from hmi.plant_time import adopt_plant_timezone

    plant = tmp_path / "plant.toml"
    plant.write_text('[plant]\nname = "p"\ntitle = "P"\n', encoding="utf-8")
    before = os.environ.get("TZ")
    assert adopt_plant_timezone(load_config(plant)) is None
    assert os.environ.get("TZ") == before
