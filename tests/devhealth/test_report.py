"""The report's pieces: labels, escaping, the four keys' formatting and change, the window and what its queries bind."""

from __future__ import annotations

import contextlib
import json
from datetime import date

import pytest

from devhealth.errors import InputError, WarehouseError
from devhealth.report import CHARTS, REWORK_KEY, _change, _figure, _json_in_script, band_legend
from devhealth.report_charts import DORA_KEYS, METRIC_TITLES, NO_BAND_COLOUR, Bands, Window, readable, text
from devhealth.summary import summarise
from devhealth.warehouse import Warehouse

HOSTILE = "x</script><script>alert(1)</script>"
# an org id that closes a string literal: spliced into a statement, it would read every org's rows
INJECTED = "x' or 1 = 1 or org_id = '"
KEYS = {key.column: key for key in DORA_KEYS}


def test_json_in_a_script_element_cannot_close_it_and_reads_back_the_same() -> None:
    encoded = _json_in_script({HOSTILE: {"a&b": 1}})
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert json.loads(encoded) == {HOSTILE: {"a&b": 1}}


def test_labels_are_readable_and_escaped() -> None:
    assert readable("keep_the_lights_on") == "Keep the lights on"
    assert readable("In Progress") == "In Progress"
    assert readable("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"
    assert text(HOSTILE) == "x&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
    assert text(None) == ""


def test_the_four_keys_read_in_their_units_and_change_says_better_or_worse() -> None:
    assert _figure(KEYS["change_failure_rate"], 0.084) == "8.4%"
    assert _figure(KEYS["lead_time_median_hours"], 21.94) == "21.9 h"
    assert _figure(KEYS["deployments_count"], 1234) == "1,234"
    assert _figure(KEYS["time_to_restore_median_hours"], None) == "—"
    assert _figure(KEYS["time_to_restore_median_hours"], float("nan")) == "—"
    assert "+2.1 points" in _change(KEYS["change_failure_rate"], 0.084, 0.063)
    assert "(worse)" in _change(KEYS["change_failure_rate"], 0.084, 0.063)
    assert _figure(REWORK_KEY, 0.125) == "12.5%"
    assert _change(REWORK_KEY, 0.05, 0.125) == "<span class='better'>-7.5 points (better)</span>"
    assert "-4 (worse)" in _change(KEYS["deployments_count"], 155, 159)
    assert "-2.7 h (better)" in _change(KEYS["time_to_restore_median_hours"], 4.1, 6.8)
    assert _change(KEYS["lead_time_median_hours"], 3.0, None) == "—"
    assert _change(KEYS["lead_time_median_hours"], 3.0, 3.0) == "no change"


def test_the_legend_names_the_bands_the_marts_hold_and_their_report() -> None:
    four = ("elite", "high", "medium", "low")
    legend = band_legend(Bands(2023, {metric: four for metric in METRIC_TITLES}))
    assert all(f">{band}</span>" in legend for band in (*four, "no band"))
    assert "DORA 2023 report" in legend and legend.count(">elite</span>") == 1
    assert "Deployment frequency, lead time, change failure rate, time to restore:" in legend

    buckets = ("less_than_one_hour", "less_than_one_day", "between_one_day_and_one_week",
               "between_one_week_and_one_month", "between_one_month_and_six_months", "more_than_six_months")
    frequency = ("on_demand_multiple_deploys_per_day", "between_once_per_hour_and_once_per_day")
    bands = Bands(2025, {"deployment_frequency": frequency, "lead_time": buckets, "time_to_restore": buckets})
    legend = band_legend(bands)
    assert "DORA 2025 report" in legend and "2023" not in legend and "elite" not in legend
    assert ">between one week and one month</span>" in legend and "Lead time, time to restore:" in legend
    # the same rank, the same colour, whatever the metric calls it; ranks past four keep colours of their own
    assert bands.colour("on_demand_multiple_deploys_per_day") == bands.colour("less_than_one_hour") == "#0072B2"
    assert len({bands.colour(band) for band in buckets}) == 6 and bands.colour("unheard_of") == NO_BAND_COLOUR
    assert bands.names_by_rank()[0] == "on demand multiple deploys per day / less than one hour"


def test_the_window_is_whole_iso_weeks_ending_with_the_latest() -> None:
    window = Window(date(2024, 3, 25), 12)
    assert (window.first_day, window.last_day) == (date(2024, 1, 8), date(2024, 3, 31))
    assert window.days_filter("day") == "day between {first_day:Date} and {last_day:Date}"
    assert window.parameters("o1") == {"org_id": "o1", "first_day": date(2024, 1, 8), "last_day": date(2024, 3, 31),
                                       "last_week": date(2024, 3, 25)}


class RecordingWarehouse(Warehouse):
    """The session's warehouse, keeping each statement's text and parameters as it sends them."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, dict]] = []

    def query(self, sql, parameters=None, *, database=None):
        self.sent.append((sql, dict(parameters or {})))
        return super().query(sql, parameters, database=database)


def test_the_org_and_the_window_are_bound_never_spliced(warehouse) -> None:
    recording = RecordingWarehouse()
    window = Window(date(2024, 3, 25), 12)
    for _, chart in CHARTS:
        # a worker that has built no marts yet fails the statement, but sent it all the same
        with contextlib.suppress(WarehouseError):
            chart(recording, INJECTED, window)
    with pytest.raises((InputError, WarehouseError)):
        summarise(recording, INJECTED, "injected")
    assert len(recording.sent) >= len(CHARTS) + 1
    for sql, parameters in recording.sent:
        assert "1 = 1" not in sql and "2024-01-08" not in sql, sql
        assert parameters["org_id"] == INJECTED
