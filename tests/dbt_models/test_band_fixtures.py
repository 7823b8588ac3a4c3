"""The unit tests read copies of seeds (tests/dbt/fixtures): the DORA marts band with dora_band_thresholds, each
copy exactly its report year's rows of the seed; the rework and bug rules are rework_link_rules. A change to a
seed cannot leave the unit tests on old values."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from devhealth import dbt

FIXTURES = Path(__file__).resolve().parents[1] / "dbt" / "fixtures"


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("year", ["2021", "2023", "2025"])
def test_band_fixture_is_the_seed_rows_of_its_year(year: str) -> None:
    seed = csv_rows(Path(dbt.project_dir()) / "seeds" / "dora_band_thresholds.csv")
    fixture = csv_rows(FIXTURES / f"dora_band_thresholds_{year}.csv")
    assert fixture == [row for row in seed if row["report_year"] == year]
    assert fixture, year


def test_rework_link_rules_fixture_is_the_seed() -> None:
    seed = csv_rows(Path(dbt.project_dir()) / "seeds" / "rework_link_rules.csv")
    assert csv_rows(FIXTURES / "rework_link_rules.csv") == seed and seed


def test_2025_buckets_tile_the_hours_without_gap_or_overlap() -> None:
    # ranked fastest first, each bucket starts where the one before it ends, the first and last open-ended
    seed = csv_rows(Path(dbt.project_dir()) / "seeds" / "dora_band_thresholds.csv")
    for metric in ("lead_time", "time_to_restore"):
        buckets = sorted((row for row in seed if row["report_year"] == "2025" and row["metric"] == metric),
                         key=lambda row: int(row["band_rank"]))
        assert [int(row["band_rank"]) for row in buckets] == list(range(1, 7)), metric
        edges = [row["min_value"] for row in buckets] + [buckets[-1]["max_value"]]
        assert edges[0] == edges[-1] == "", metric
        assert [row["max_value"] for row in buckets[:-1]] == edges[1:-1], metric
        assert [float(edge) for edge in edges[1:-1]] == sorted(float(edge) for edge in edges[1:-1]), metric


def test_2025_deployment_frequency_buckets_tile_the_rates_from_most_often() -> None:
    # ranked most often first, so each bucket ends where the one after it starts; the edges are once an hour,
    # a day, a week, a 30-day month and a 4380-hour half year as deployments a day, each the same Float64 as
    # its fraction, so that a count on an edge (4 deployments in 28 days) lands in the bucket naming it
    seed = csv_rows(Path(dbt.project_dir()) / "seeds" / "dora_band_thresholds.csv")
    buckets = sorted((row for row in seed if row["report_year"] == "2025" and row["metric"] == "deployment_frequency"),
                     key=lambda row: int(row["band_rank"]))
    assert [row["band"] for row in buckets] == [
        "on_demand_multiple_deploys_per_day", "between_once_per_hour_and_once_per_day",
        "between_once_per_day_and_once_per_week", "between_once_per_week_and_once_per_month",
        "between_once_per_month_and_once_every_six_months", "fewer_than_once_per_six_months"]
    assert {row["measure"] for row in buckets} == {"deployments_per_day"}
    assert buckets[0]["max_value"] == buckets[-1]["min_value"] == ""
    assert [row["min_value"] for row in buckets[:-1]] == [row["max_value"] for row in buckets[1:]]
    assert [float(row["min_value"]) for row in buckets[:-1]] == [24.0, 1.0, 1 / 7, 1 / 30, 24 / 4380]
    assert float(buckets[2]["min_value"]) == 4 / 28
