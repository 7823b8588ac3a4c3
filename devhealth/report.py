"""The HTML report: one self-contained file of plotly charts per organization, read from the marts only.

The page embeds plotly.js once, so it opens offline. A JSON block (`#devhealth-charts`) lists each
chart with its number of data points, so machines (and tests) can check the charts hold data.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from devhealth.summary import PR_STAGES
from devhealth.warehouse import Warehouse, sql_string

BAND_COLOURS = {"elite": "#1a9850", "high": "#91cf60", "medium": "#fc8d59", "low": "#d73027", None: "#bbbbbb"}
DORA_SERIES = (
    ("deployments_count", "deployment_frequency_band", "Deployments per week"),
    ("lead_time_median_hours", "lead_time_band", "Lead time for changes (median h)"),
    ("change_failure_rate", "change_failure_rate_band", "Change failure rate"),
    ("time_to_restore_median_hours", "time_to_restore_band", "Time to restore (median h)"),
)


def dora_trends(warehouse: Warehouse, org_id: str) -> go.Figure:
    columns = ", ".join(f"{value}, {band}" for value, band, _ in DORA_SERIES)
    rows = warehouse.query(
        f"select period_start, {columns} from marts.dora_metrics_weekly "
        f"where org_id = {sql_string(org_id)} and scope_type = 'org' order by period_start"
    ).rows
    figure = make_subplots(rows=2, cols=2, subplot_titles=[title for _, _, title in DORA_SERIES])
    weeks = [row[0] for row in rows]
    for index, (_, _, title) in enumerate(DORA_SERIES):
        values = [row[1 + 2 * index] for row in rows]
        bands = [row[2 + 2 * index] for row in rows]
        figure.add_trace(go.Scatter(
            x=weeks, y=values, mode="lines+markers", name=title, text=bands,
            marker={"color": [BAND_COLOURS.get(band, BAND_COLOURS[None]) for band in bands], "size": 9},
            line={"color": "#999999"}, hovertemplate="%{x}: %{y:.2f} (%{text})<extra></extra>",
        ), row=1 + index // 2, col=1 + index % 2)
    figure.update_layout(title="DORA keys per week (marker colour: band)", showlegend=False, height=620)
    return figure


def pr_cycle_breakdown(warehouse: Warehouse, org_id: str) -> go.Figure:
    medians = ", ".join(f"quantileExactInclusiveOrNull(0.5)({stage}_hours) as {stage}" for stage in PR_STAGES)
    rows = warehouse.query(
        f"select toMonday(merged_day) as week, {medians} from marts.pr_cycle_breakdown "
        f"where org_id = {sql_string(org_id)} group by week order by week"
    ).rows
    figure = go.Figure([
        go.Bar(name=stage, x=[row[0] for row in rows], y=[row[1 + index] for row in rows])
        for index, stage in enumerate(PR_STAGES)
    ])
    figure.update_layout(barmode="stack", title="PR cycle time by stage (median hours, by merge week)")
    return figure


def investment_sunburst(warehouse: Warehouse, org_id: str) -> go.Figure:
    rows = warehouse.query(
        "select category, subcategory, sum(items_completed_weight) as weight "
        f"from marts.investment_breakdown_monthly where org_id = {sql_string(org_id)} "
        "group by category, subcategory having weight > 0 order by category, subcategory"
    ).rows
    categories: dict[str, float] = {}
    for category, _, weight in rows:
        categories[category] = categories.get(category, 0.0) + float(weight)
    ids = list(categories) + [f"{category}/{subcategory}" for category, subcategory, _ in rows]
    labels = list(categories) + [subcategory for _, subcategory, _ in rows]
    parents = [""] * len(categories) + [category for category, _, _ in rows]
    values = list(categories.values()) + [float(weight) for _, _, weight in rows]
    figure = go.Figure(go.Sunburst(ids=ids, labels=labels, parents=parents, values=values, branchvalues="total"))
    figure.update_layout(title="Investment: completed work items by category")
    return figure


def team_heatmap(warehouse: Warehouse, org_id: str) -> go.Figure:
    rows = warehouse.query(
        "select t.team_name, toMonday(m.day) as week, "
        "sum(m.after_hours_commit_ratio * m.commits) / sum(m.commits) as after_hours, "
        "sum(m.weekend_commit_ratio * m.commits) / sum(m.commits) as weekend "
        "from marts.team_metrics_daily as m inner join marts.dim_teams as t "
        "on m.org_id = t.org_id and m.team_id = t.team_id "
        f"where m.org_id = {sql_string(org_id)} and m.commits > 0 group by t.team_name, week order by t.team_name, week"
    ).rows
    teams = sorted({row[0] for row in rows})
    weeks = sorted({row[1] for row in rows})
    figure = make_subplots(rows=1, cols=2, subplot_titles=["After-hours commit ratio", "Weekend commit ratio"])
    for column, offset in ((1, 2), (2, 3)):
        cells = {(row[0], row[1]): row[offset] for row in rows}
        figure.add_trace(go.Heatmap(
            x=weeks, y=teams, z=[[cells.get((team, week)) for week in weeks] for team in teams],
            coloraxis="coloraxis",
        ), row=1, col=column)
    figure.update_layout(title="Team after-hours and weekend work", coloraxis={"colorscale": "Reds"})
    return figure


def work_item_flow(warehouse: Warehouse, org_id: str) -> go.Figure:
    rows = warehouse.query(
        "select from_status, to_status, sum(transitions_count) as transitions from marts.work_item_state_flow "
        f"where org_id = {sql_string(org_id)} and from_status != to_status group by from_status, to_status "
        "order by transitions desc"
    ).rows
    statuses = sorted({row[0] for row in rows} | {row[1] for row in rows})
    index = {status: position for position, status in enumerate(statuses)}
    figure = go.Figure(go.Sankey(
        node={"label": statuses, "pad": 18},
        link={"source": [index[row[0]] for row in rows], "target": [index[row[1]] for row in rows],
              "value": [int(row[2]) for row in rows]},
    ))
    figure.update_layout(title="Work item flow between statuses")
    return figure


CHARTS = (
    ("dora_trends", dora_trends),
    ("pr_cycle_breakdown", pr_cycle_breakdown),
    ("investment_sunburst", investment_sunburst),
    ("team_heatmap", team_heatmap),
    ("work_item_flow", work_item_flow),
)


def _points(figure: go.Figure) -> int:
    total = 0
    for trace in figure.data:
        for attribute in ("y", "values", "z"):
            values = getattr(trace, attribute, None)
            if values is not None:
                total += sum(len(row) if isinstance(row, list | tuple) else 1 for row in values)
                break
        else:
            link = getattr(trace, "link", None)
            total += len(link.value) if link is not None and link.value is not None else 0
    return total


def write_report(warehouse: Warehouse, orgs: list[tuple[str, str]], path: Path) -> dict[str, dict[str, int]]:
    """Render every chart for each (org_id, org_name) into one HTML file; returns data points per chart."""
    sections: list[str] = []
    manifest: dict[str, dict[str, int]] = {}
    plotly_included = False
    for org_id, org_name in orgs:
        manifest[org_name] = {}
        sections.append(f"<h2>{html.escape(org_name)}</h2>")
        for name, chart in CHARTS:
            figure = chart(warehouse, org_id)
            manifest[org_name][name] = _points(figure)
            sections.append(figure.to_html(full_html=False, include_plotlyjs=not plotly_included,
                                            div_id=f"{name}-{org_id}"))
            plotly_included = True
    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>devhealth report</title>"
        "<style>body{font-family:system-ui,sans-serif;margin:2em}</style></head><body>"
        "<h1>devhealth: software delivery health</h1>"
        f"<script type='application/json' id='devhealth-charts'>{json.dumps(manifest)}</script>"
        + "".join(sections) + "</body></html>"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return manifest
