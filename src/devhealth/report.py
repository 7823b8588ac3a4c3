"""The HTML report: one self-contained page of plotly charts per organization, read from the marts only.

The page embeds plotly.js once, so it opens offline. A JSON block (`#devhealth-charts`) lists each
chart with its number of data points, so machines (and tests) can check the charts hold data.
Every string from a user or a provider is HTML-escaped, and the JSON blocks escape `<`, `>` and `&`,
so a name such as `</script><script>...` stays text.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from devhealth.report_charts import (
    CHARTS,
    DORA_KEYS,
    METRIC_TITLES,
    NO_BAND_COLOUR,
    NO_DATA,
    Bands,
    DoraKey,
    Window,
    bands_in_force,
)
from devhealth.summary import latest_week
from devhealth.warehouse import Warehouse

REPORT_WEEKS = 12
KEY_WEEKS = 4
# higher is better only for deployment frequency; for the other keys a fall is an improvement
HIGHER_IS_BETTER = {"deployments_count"}
SHARES = {"change_failure_rate", "rework_rate"}
# the fifth key (DORA 2024 and 2025) has no band in the reports seeds/dora_band_thresholds.csv holds
REWORK_KEY = DoraKey("rework_rate", "", "Rework rate", "% of deployments", ".0%", "%{y:.1%}")

STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}
table.keys{border-collapse:collapse;margin:1em 0}
table.keys th,table.keys td{border:1px solid #ccc;padding:.35em .7em;text-align:left}
table.keys td.num{text-align:right}
.band{display:inline-block;padding:.1em .5em;border-radius:.3em;color:#fff;font-weight:600}
.legend span{margin-right:1.2em}
.better{color:#0072B2}.worse{color:#D55E00}
.meta{color:#555}
figure.no-data{margin:1.5em 0}figure.no-data figcaption{font-size:1.1em;color:#2a3f5f}
figure.no-data p{color:#555}
"""

SELECTOR_SCRIPT = """
document.getElementById('org-select').addEventListener('change', function (event) {
  document.querySelectorAll('section.org').forEach(function (section) {
    section.hidden = event.target.value !== 'all' && section.dataset.org !== event.target.value;
  });
  window.dispatchEvent(new Event('resize'));
});
"""


def _json_in_script(value: Any) -> str:
    """JSON that cannot end its <script> element nor open markup."""
    return json.dumps(value).replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _band(band: str | None, bands: Bands) -> str:
    if band is None:
        return f"<span class='band' style='background:{NO_BAND_COLOUR}'>no band</span>"
    return (f"<span class='band' style='background:{bands.colour(band)};color:{bands.text_colour(band)}'>"
            f"{html.escape(band.replace('_', ' '))}</span>")


def _figure(key: DoraKey, value: float | None) -> str:
    if value is None or value != value:
        return "—"
    if key.column == "deployments_count":
        return f"{int(value):,d}"
    if key.column in SHARES:
        return f"{value:.1%}"
    return f"{value:,.1f} h"


def _change(key: DoraKey, now: float | None, before: float | None) -> str:
    if now is None or before is None or now != now or before != before:
        return "—"
    delta = now - before
    if delta == 0:
        return "no change"
    better = (delta > 0) == (key.column in HIGHER_IS_BETTER)
    if key.column in SHARES:
        shown = f"{delta * 100:+.1f} points"
    elif key.column == "deployments_count":
        shown = f"{int(delta):+,d}"
    else:
        shown = f"{delta:+,.1f} h"
    return f"<span class='{'better' if better else 'worse'}'>{shown} ({'better' if better else 'worse'})</span>"


@dataclass(frozen=True)
class PeriodKeys:
    start: date
    end: date
    values: dict[str, Any]


def _period_keys(warehouse: Warehouse, org_id: str, last_week: date) -> PeriodKeys | None:
    columns = ", ".join(f"{key.column}, {key.band_column}" for key in DORA_KEYS)
    result = warehouse.query(
        f"select {columns}, {REWORK_KEY.column} from marts.dora_metrics_trailing_4_weeks "
        "where org_id = {org_id:String} and scope_type = 'org' and window_end_week = {last_week:Date}",
        {"org_id": org_id, "last_week": last_week},
    )
    if not result.rows:
        return None
    names = [name for key in DORA_KEYS for name in (key.column, key.band_column)] + [REWORK_KEY.column]
    return PeriodKeys(last_week - timedelta(weeks=KEY_WEEKS - 1), last_week + timedelta(days=6),
                      dict(zip(names, result.rows[0], strict=True)))


def four_keys_table(warehouse: Warehouse, org_id: str, last_week: date, bands: Bands) -> str:
    """The four keys over the last four weeks with their bands, and rework rate (no band), beside the four weeks
    before."""
    now = _period_keys(warehouse, org_id, last_week)
    if now is None:
        return "<p>No production deployments in the last four weeks: the DORA keys need deployment data.</p>"
    before = _period_keys(warehouse, org_id, last_week - timedelta(weeks=KEY_WEEKS))
    previous = (f"previous 4 weeks ({before.start:%d %b} to {before.end:%d %b %Y})" if before
                else "previous 4 weeks (no data)")
    rows = []
    earlier = before.values if before else {}
    for key in DORA_KEYS:
        rows.append(
            f"<tr><th>{html.escape(key.title)}</th><td class='num'>{_figure(key, now.values[key.column])}</td>"
            f"<td>{_band(now.values[key.band_column], bands)}</td>"
            f"<td class='num'>{_figure(key, earlier.get(key.column))}</td>"
            f"<td>{_band(earlier.get(key.band_column), bands) if before else '—'}</td>"
            f"<td>{_change(key, now.values[key.column], earlier.get(key.column))}</td></tr>"
        )
    rework = REWORK_KEY.column
    rows.append(
        f"<tr><th>{html.escape(REWORK_KEY.title)}</th><td class='num'>{_figure(REWORK_KEY, now.values[rework])}</td>"
        "<td>—</td>"
        f"<td class='num'>{_figure(REWORK_KEY, earlier.get(rework))}</td><td>—</td>"
        f"<td>{_change(REWORK_KEY, now.values[rework], earlier.get(rework))}</td></tr>"
    )
    return (
        "<table class='keys'><caption>The four keys and rework rate, organization</caption>"
        f"<tr><th>key</th><th>last 4 weeks ({now.start:%d %b} to {now.end:%d %b %Y})</th><th>band</th>"
        f"<th>{previous}</th><th>band</th><th>change</th></tr>" + "".join(rows) + "</table>"
    )


def band_legend(bands: Bands) -> str:
    """The bands the marts hold, best to worst: one line per group of metrics that share them."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for metric, names in bands.by_metric.items():
        groups.setdefault(names, []).append(METRIC_TITLES[metric])
    lines = []
    for names, metrics in groups.items():
        swatches = "".join(f"<span>{_band(band, bands)}</span>" for band in names)
        lines.append(f"{html.escape(', '.join(metrics)).capitalize()}: {swatches}")
    source = (f"DORA {bands.report_year} report's bands" if bands.report_year
              else "no DORA bands in the warehouse")
    return (f"<p class='legend'>Bands, best to worst ({source}; seeds/dora_band_thresholds.csv, dbt var "
            f"dora_report_year): {'; '.join(lines)}; <span>{_band(None, bands)}</span>. Deployment frequency in "
            "deployments per week; lead time and time to restore as median hours; change failure rate as a "
            "percentage of deployments.</p>")


def _points(figure: go.Figure) -> int:
    total = 0
    for trace in figure.data:
        if trace.type == "sankey":
            total += len(trace.link.value or ())
            continue
        for attribute in ("values", "z", "x" if getattr(trace, "orientation", None) == "h" else "y"):
            values = getattr(trace, attribute, None)
            if values is not None:
                # blank cells (None) are not data points
                total += sum(sum(cell is not None for cell in row) if isinstance(row, list | tuple) else 1
                             for row in values if row is not None)
                break
    return total


def _org_section(warehouse: Warehouse, index: int, org_id: str, org_name: str,
                 include_plotlyjs: bool) -> tuple[str, dict[str, int]]:
    """The organization's section and its points per chart; plotly.js goes into its first chart if asked."""
    name = html.escape(org_name)
    last_week = latest_week(warehouse, org_id)
    if last_week is None:
        return (f"<section class='org' data-org='{index}'><h2>{name}</h2><p>The marts hold no commits or "
                "deployments for this organization yet.</p></section>"), {}
    window = Window(last_week, REPORT_WEEKS)
    bands = bands_in_force(warehouse, org_id)
    parts = [
        f"<section class='org' data-org='{index}'><h2>{name}</h2>",
        f"<p class='meta'>Window: {window.first_day:%d %b %Y} to {window.last_day:%d %b %Y} "
        f"({REPORT_WEEKS} ISO weeks ending with the latest complete week of data).</p>",
        four_keys_table(warehouse, org_id, last_week, bands),
        band_legend(bands),
    ]
    points: dict[str, int] = {}
    for chart_name, chart in CHARTS:
        figure = chart(warehouse, org_id, window)
        points[chart_name] = _points(figure)
        if not points[chart_name]:
            parts.append(f"<figure class='no-data' id='{chart_name}-{index}'><figcaption>"
                         f"{html.escape(figure.layout.title.text)}</figcaption>"
                         f"<p>{html.escape(NO_DATA[chart_name])}</p></figure>")
            continue
        parts.append(figure.to_html(full_html=False, include_plotlyjs=include_plotlyjs,
                                    div_id=f"{chart_name}-{index}", config={"responsive": True}))
        include_plotlyjs = False
    parts.append("</section>")
    return "".join(parts), points


def write_report(warehouse: Warehouse, orgs: list[tuple[str, str]], path: Path,
                 generated_at: datetime | None = None) -> dict[str, dict[str, int]]:
    """Render every chart for each (org_id, org_name) into one HTML file; returns data points per chart."""
    generated = (generated_at or datetime.now(UTC)).astimezone(UTC)
    sections: list[str] = []
    manifest: dict[str, dict[str, int]] = {}
    for index, (org_id, org_name) in enumerate(orgs):
        # a section whose every chart had nothing to draw embedded no plotly.js
        plotly_included = any(points for charts in manifest.values() for points in charts.values())
        section, points = _org_section(warehouse, index, org_id, org_name, include_plotlyjs=not plotly_included)
        sections.append(section)
        manifest[org_name] = points
    selector = ""
    if len(orgs) > 1:
        options = "".join(f"<option value='{index}'>{html.escape(name)}</option>"
                          for index, (_, name) in enumerate(orgs))
        selector = (f"<p><label for='org-select'>Organization: </label><select id='org-select'>"
                    f"<option value='all'>all ({len(orgs)})</option>{options}</select></p>")
    page = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>devhealth report</title>"
        f"<style>{STYLE}</style></head><body>"
        "<h1>devhealth: software delivery health</h1>"
        f"<p class='meta'>Generated at <time datetime='{generated.isoformat()}'>"
        f"{generated:%Y-%m-%d %H:%M} UTC</time> from the marts.</p>"
        + selector
        + f"<script type='application/json' id='devhealth-charts'>{_json_in_script(manifest)}</script>"
        + "".join(sections)
        + (f"<script>{SELECTOR_SCRIPT}</script>" if selector else "")
        + "</body></html>"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return manifest
