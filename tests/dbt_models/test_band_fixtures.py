"""The DORA marts' unit tests band with copies of seed dora_band_thresholds (tests/dbt/fixtures): each copy must
be exactly its report year's rows of the seed, so a change to the seed cannot leave the unit tests on old values."""

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
