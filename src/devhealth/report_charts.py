"""The report's plotly figures, each read from the marts and limited to the report's window of weeks.

Every string that comes from a user or a provider (team, repository, status, category) is HTML-escaped
before it reaches a figure: plotly renders labels as a subset of HTML, and its JSON sits in a <script>.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from devhealth.summary import PR_STAGES
from devhealth.warehouse import Warehouse

# Okabe-Ito, best band first: told apart by readers with any common colour-vision deficiency, and each band also
# reads as text. The 2021 and 2023 reports have four bands, the 2025 one six answer buckets.
RANK_COLOURS = ("#0072B2", "#009E73", "#E69F00", "#D55E00", "#CC79A7", "#56B4E9")
# the light ones carry dark text
DARK_TEXT_RANKS = {3, 6}
NO_BAND_COLOUR = "#999999"
METRIC_TITLES = {"deployment_frequency": "deployment frequency", "lead_time": "lead time",
                 "change_failure_rate": "change failure rate", "time_to_restore": "time to restore"}
STAGE_COLOURS = {"coding": "#56B4E9", "pickup": "#E69F00", "review": "#009E73", "deploy": "#CC79A7"}
HEAT_SCALE = "Cividis"  # perceptually uniform and colour-blind safe
# the busiest repositories a chart names one by one, in Okabe-Ito's eight colours; the others are summed as one
REPO_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


@dataclass(frozen=True)
class DoraKey:
    column: str
    band_column: str
    title: str
    axis: str
    tickformat: str
    hover: str


DORA_KEYS = (
    DoraKey("deployments_count", "deployment_frequency_band", "Deployment frequency", "deployments per week",
            ",d", "%{y:,d} deployments"),
    DoraKey("lead_time_median_hours", "lead_time_band", "Lead time for changes", "median hours", ",.1f",
            "%{y:,.1f} h"),
    DoraKey("change_failure_rate", "change_failure_rate_band", "Change failure rate", "% of deployments",
            ".0%", "%{y:.1%}"),
    DoraKey("time_to_restore_median_hours", "time_to_restore_band", "Time to restore service", "median hours",
            ",.1f", "%{y:,.1f} h"),
)


@dataclass(frozen=True)
class Window:
    """The weeks a report covers: `weeks` ISO weeks ending with the week of Monday `last_week`."""

    last_week: date
    weeks: int

    @property
    def first_day(self) -> date:
        return self.last_week - timedelta(weeks=self.weeks - 1)

    @property
    def last_day(self) -> date:
        return self.last_week + timedelta(days=6)

    def parameters(self, org_id: str) -> dict[str, object]:
        """What a chart's query binds: the org (`{org_id:String}`) and the window's days (`{first_day:Date}`,
        `{last_day:Date}`, `{last_week:Date}`), never spliced into its text."""
        return {"org_id": org_id, "first_day": self.first_day, "last_day": self.last_day,
                "last_week": self.last_week}

    @staticmethod
    def days_filter(column: str) -> str:
        return f"{column} between {{first_day:Date}} and {{last_day:Date}}"

    @staticmethod
    def months_filter(column: str) -> str:
        """Months (first days, as monthly marts key them) that overlap the window."""
        return f"{column} between toStartOfMonth({{first_day:Date}}) and {{last_day:Date}}"


def text(value: object) -> str:
    """A string from the data, safe inside plotly's labels and the page."""
    return html.escape("" if value is None else str(value))


def readable(value: object) -> str:
    """`keep_the_lights_on` -> `Keep the lights on`; names with capitals or spaces are kept as written."""
    label = "" if value is None else str(value)
    if label and label == label.lower() and " " not in label:
        label = label.replace("_", " ").replace("-", " ")
        label = label[:1].upper() + label[1:]
    return text(label)


def rank_colour(rank: int) -> str:
    """A band's colour by its rank, 1 the best; ranks past the palette share its last colour."""
    return RANK_COLOURS[min(rank, len(RANK_COLOURS)) - 1]


@dataclass(frozen=True)
class Bands:
    """The bands the DORA marts hold (mart dim_dora_bands): each metric's, best first, and their report's year."""

    report_year: int | None
    by_metric: dict[str, tuple[str, ...]]

    @cached_property
    def ranks(self) -> dict[str, int]:
        """Each band's rank, 1 the best; a name two metrics share has the same rank in every DORA report."""
        ranks: dict[str, int] = {}
        for bands in self.by_metric.values():
            for rank, band in enumerate(bands, start=1):
                ranks.setdefault(band, rank)
        return ranks

    def colour(self, band: str | None) -> str:
        rank = self.ranks.get(band or "")
        return rank_colour(rank) if rank else NO_BAND_COLOUR

    def text_colour(self, band: str | None) -> str:
        return "#222" if self.ranks.get(band or "") in DARK_TEXT_RANKS else "#fff"

    def names_by_rank(self) -> list[str]:
        """Per rank, the names the metrics give it: `elite`, or `on demand multiple deploys per day / less than
        one hour` where metrics name their buckets apart."""
        names: dict[int, list[str]] = {}
        for bands in self.by_metric.values():
            for rank, band in enumerate(bands, start=1):
                if band not in names.setdefault(rank, []):
                    names[rank].append(band)
        return [" / ".join(band.replace("_", " ") for band in names[rank]) for rank in sorted(names)]


def bands_in_force(warehouse: Warehouse, org_id: str) -> Bands:
    rows = warehouse.query(
        "select metric, band, report_year from marts.dim_dora_bands "
        "where org_id = {org_id:String} order by metric, band_rank",
        {"org_id": org_id},
    ).rows
    by_metric: dict[str, list[str]] = {}
    for metric, band, _ in rows:
        by_metric.setdefault(metric, []).append(band)
    ordered = {metric: tuple(by_metric[metric]) for metric in METRIC_TITLES if metric in by_metric}
    return Bands(rows[0][2] if rows else None, ordered)


def _band_legend(figure: go.Figure, bands: Bands) -> None:
    """Legend entries for the band colours, best first: markers carry the band, the legend names it."""
    for rank, names in enumerate(bands.names_by_rank(), start=1):
        figure.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=text(names),
                                    marker={"color": rank_colour(rank), "size": 10},
                                    hoverinfo="skip"))
    figure.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name="no band (no data)",
                                marker={"color": NO_BAND_COLOUR, "size": 10}, hoverinfo="skip"))


def _style(figure: go.Figure, title: str, height: int = 420) -> go.Figure:
    figure.update_layout(title=title, height=height, template="plotly_white", font={"size": 13},
                         margin={"t": 80, "l": 70, "r": 30, "b": 60})
    return figure


def dora_trends(warehouse: Warehouse, org_id: str, window: Window) -> go.Figure:
    columns = ", ".join(f"{key.column}, {key.band_column}" for key in DORA_KEYS)
    rows = warehouse.query(
        f"select period_start, {columns} from marts.dora_metrics_weekly "
        f"where org_id = {{org_id:String}} and scope_type = 'org' and {window.days_filter('period_start')} "
        "order by period_start",
        window.parameters(org_id),
    ).rows
    scale = bands_in_force(warehouse, org_id)
    figure = make_subplots(rows=2, cols=2, subplot_titles=[key.title for key in DORA_KEYS], vertical_spacing=0.2)
    weeks = [row[0] for row in rows]
    for index, key in enumerate(DORA_KEYS):
        values = [row[1 + 2 * index] for row in rows]
        bands = [row[2 + 2 * index] or "no band" for row in rows]
        position = {"row": 1 + index // 2, "col": 1 + index % 2}
        figure.add_trace(go.Scatter(
            x=weeks, y=values, mode="lines+markers", name=key.title, text=bands, showlegend=False,
            marker={"color": [scale.colour(band) for band in bands], "size": 10, "line": {"width": 1, "color": "#333"}},
            line={"color": "#777777"}, hovertemplate=f"week of %{{x|%d %b %Y}}: {key.hover} (%{{text}})<extra></extra>",
        ), **position)
        figure.update_yaxes(title_text=key.axis, tickformat=key.tickformat, rangemode="tozero", **position)
        figure.update_xaxes(title_text="week (Monday)", **position)
    _band_legend(figure, scale)
    figure.update_layout(legend={"title": "Band (marker colour)", "orientation": "h", "y": -0.12})
    return _style(figure, "DORA keys per week, organization (marker colour: band)", height=680)


def dora_by_team(warehouse: Warehouse, org_id: str, window: Window) -> go.Figure:
    columns = ", ".join(f"{key.column}, {key.band_column}" for key in DORA_KEYS)
    rows = warehouse.query(
        f"select scope_name, {columns} from marts.dora_metrics_trailing_4_weeks "
        "where org_id = {org_id:String} and scope_type = 'team' "
        "and window_end_week = {last_week:Date} order by scope_name",
        window.parameters(org_id),
    ).rows
    scale = bands_in_force(warehouse, org_id)
    figure = make_subplots(rows=1, cols=4, subplot_titles=[key.title for key in DORA_KEYS], horizontal_spacing=0.07)
    teams = [text(row[0]) for row in rows]
    for index, key in enumerate(DORA_KEYS):
        bands = [row[2 + 2 * index] or "no band" for row in rows]
        figure.add_trace(go.Bar(
            x=teams, y=[row[1 + 2 * index] for row in rows], text=bands, textposition="auto", showlegend=False,
            marker={"color": [scale.colour(band) for band in bands]}, name=key.title,
            hovertemplate=f"%{{x}}: {key.hover} (%{{text}})<extra></extra>",
        ), row=1, col=1 + index)
        figure.update_yaxes(title_text=key.axis, tickformat=key.tickformat, rangemode="tozero", row=1, col=1 + index)
    _band_legend(figure, scale)
    figure.update_layout(legend={"title": "Band", "orientation": "h", "y": -0.25})
    return _style(figure, "DORA keys by team, last 4 weeks (bar colour and label: band)", height=460)


def _stage_medians_by_week(warehouse: Warehouse, org_id: str, window: Window) -> list[tuple]:
    medians = ", ".join(f"quantileExactInclusiveOrNull(0.5)({stage}_hours) as {stage}" for stage in PR_STAGES)
    return warehouse.query(
        f"select toMonday(merged_day) as week, count() as prs, {medians} from marts.pr_cycle_breakdown "
        f"where org_id = {{org_id:String}} and {window.days_filter('merged_day')} group by week order by week",
        window.parameters(org_id),
    ).rows


def pr_cycle_breakdown(warehouse: Warehouse, org_id: str, window: Window) -> go.Figure:
    rows = _stage_medians_by_week(warehouse, org_id, window)
    figure = go.Figure([
        go.Bar(name=readable(stage), x=[row[0] for row in rows], y=[row[2 + index] for row in rows],
               marker={"color": STAGE_COLOURS[stage]}, customdata=[row[1] for row in rows],
               hovertemplate=f"week of %{{x|%d %b %Y}}: {stage} %{{y:,.1f}} h (median of %{{customdata}} PRs)"
                             "<extra></extra>")
        for index, stage in enumerate(PR_STAGES)
    ])
    figure.update_layout(barmode="stack", legend={"title": "Stage", "traceorder": "normal"})
    figure.update_yaxes(title_text="median hours per stage", tickformat=",.0f")
    figure.update_xaxes(title_text="merge week (Monday)")
    return _style(figure, "Pull request cycle time by stage (median hours, stacked, by merge week)")


def pr_stage_trends(warehouse: Warehouse, org_id: str, window: Window) -> go.Figure:
    rows = _stage_medians_by_week(warehouse, org_id, window)
    figure = make_subplots(rows=1, cols=4, subplot_titles=[readable(stage) for stage in PR_STAGES],
                           horizontal_spacing=0.06)
    for index, stage in enumerate(PR_STAGES):
        figure.add_trace(go.Scatter(
            x=[row[0] for row in rows], y=[row[2 + index] for row in rows], mode="lines+markers",
            name=readable(stage), line={"color": STAGE_COLOURS[stage]}, showlegend=False,
            hovertemplate=f"week of %{{x|%d %b %Y}}: {stage} %{{y:,.1f}} h<extra></extra>",
        ), row=1, col=1 + index)
        figure.update_yaxes(title_text="median hours" if index == 0 else None, tickformat=",.1f",
                            rangemode="tozero", row=1, col=1 + index)
        figure.update_xaxes(title_text="merge week", row=1, col=1 + index)
    return _style(figure, "Trend of each pull request stage (median hours by merge week)", height=380)


def slowest_prs(warehouse: Warehouse, org_id: str, window: Window, limit: int = 10) -> go.Figure:
    stages = ", ".join(f"p.{stage}_hours" for stage in PR_STAGES)
    rows = warehouse.query(
        f"select r.repo_name, p.pr_number, p.merged_day, p.cycle_hours, {stages} "
        "from marts.pr_cycle_breakdown as p inner join marts.dim_repos as r "
        "on p.org_id = r.org_id and p.repo_id = r.repo_id "
        f"where p.org_id = {{org_id:String}} and {window.days_filter('p.merged_day')} "
        f"and p.cycle_hours is not null order by p.cycle_hours desc, r.repo_name, p.pr_number limit {int(limit)}",
        window.parameters(org_id),
    ).rows
    rows = list(reversed(rows))  # the slowest on top of a horizontal bar chart
    labels = [f"{text(row[0])} #{row[1]} (merged {row[2]:%d %b})" for row in rows]
    figure = go.Figure([
        go.Bar(name=readable(stage), y=labels, x=[row[4 + index] for row in rows], orientation="h",
               marker={"color": STAGE_COLOURS[stage]}, customdata=[row[2].isoformat() for row in rows],
               hovertemplate=f"%{{y}}: {stage} %{{x:,.1f}} h (merged %{{customdata}})<extra></extra>")
        for index, stage in enumerate(PR_STAGES)
    ])
    figure.update_layout(barmode="stack", legend={"title": "Stage", "traceorder": "normal"})
    figure.update_xaxes(title_text="hours from first commit to merge, by stage", tickformat=",.0f")
    figure.update_yaxes(automargin=True)
    return _style(figure, f"Slowest {len(rows)} pull requests merged in the window" if rows
                  else "Slowest pull requests merged in the window",
                  height=120 + 34 * max(len(rows), 1))


def deployment_calendar(warehouse: Warehouse, org_id: str, window: Window) -> go.Figure:
    rows = warehouse.query(
        "select period_start, deployments_count from marts.dora_metrics_daily "
        f"where org_id = {{org_id:String}} and scope_type = 'org' and {window.days_filter('period_start')} "
        "order by period_start",
        window.parameters(org_id),
    ).rows
    deployments = {row[0]: row[1] for row in rows if row[1]}
    weeks = [window.first_day + timedelta(weeks=offset) for offset in range(window.weeks)]
    weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    # a day without deployments is a blank cell, so the chart's points count only days that deployed
    z = [[deployments.get(week + timedelta(days=weekday)) for week in weeks] for weekday in range(7)]
    dates = [[(week + timedelta(days=weekday)).isoformat() for week in weeks] for weekday in range(7)]
    figure = go.Figure(go.Heatmap(
        x=weeks, y=weekdays, z=z, customdata=dates, colorscale=HEAT_SCALE, xgap=3, ygap=3, zmin=0,
        colorbar={"title": "deployments"}, hoverongaps=False,
        hovertemplate="%{customdata}: %{z} deployments<extra></extra>",
    ))
    figure.update_yaxes(autorange="reversed", title_text="weekday")
    figure.update_xaxes(title_text="week (Monday)")
    return _style(figure, "Production deployments per day (organization)", height=340)


def _repo_label(repo_id: str, names: dict[str, str], providers: dict[str, str], shown: list[str]) -> str:
    """The repository's name, made distinct among the repositories `shown`."""
    alike = [other for other in shown if names[other] == names[repo_id]]
    if len(alike) == 1:
        return names[repo_id]
    if sum(providers[other] == providers[repo_id] for other in alike) == 1:
        return f"{names[repo_id]} ({providers[repo_id]})"
    return f"{names[repo_id]} ({providers[repo_id]} {repo_id[:8]})"


def commit_activity(warehouse: Warehouse, org_id: str, window: Window) -> go.Figure:
    """Each week's commits, stacked by repository: what git history alone gives (a first `devhealth run --repo`
    has no deployments, pull requests or teams yet)."""
    # commit counts add up over days, so the week's count is the sum of the daily mart's
    rows = warehouse.query(
        "select m.repo_id, any(r.repo_name), any(r.provider), toMonday(m.day) as week, sum(m.commits_count) "
        "from marts.repo_metrics_daily as m left join marts.dim_repos as r "
        "on m.org_id = r.org_id and m.repo_id = r.repo_id "
        f"where m.org_id = {{org_id:String}} and m.commits_count > 0 and {window.days_filter('m.day')} "
        "group by m.repo_id, week order by m.repo_id, week",
        window.parameters(org_id),
    ).rows
    totals: dict[str, int] = {}
    names: dict[str, str] = {}
    providers: dict[str, str] = {}
    for repo_id, name, provider, _, commits in rows:
        totals[repo_id] = totals.get(repo_id, 0) + commits
        names[repo_id], providers[repo_id] = name or repo_id, provider
    # busiest first; a tie goes by name, then id, so the order does not change between runs
    ranked = sorted(totals, key=lambda repo_id: (-totals[repo_id], names[repo_id], repo_id))
    named = ranked if len(ranked) <= len(REPO_COLOURS) else ranked[:len(REPO_COLOURS) - 1]
    # by id: repositories may share a name (a GitHub and a GitLab one, two clones in folders of one name), and
    # their legend entries then add the provider, and the start of the id where that is shared too
    labels = {repo_id: text(_repo_label(repo_id, names, providers, named)) for repo_id in named}
    series: dict[str, dict[date, int]] = {repo_id: {} for repo_id in named}
    if len(ranked) > len(named):
        labels[""] = f"{len(ranked) - len(named)} other repositories"
        series[""] = {}
    # the others' series is keyed "", which no repository id is (a grain key, never empty)
    for repo_id, _, _, week, commits in rows:
        by_week = series[repo_id if repo_id in labels else ""]
        by_week[week] = by_week.get(week, 0) + commits
    weeks = [window.first_day + timedelta(weeks=offset) for offset in range(window.weeks)]
    figure = go.Figure()
    for colour, (key, by_week) in zip(REPO_COLOURS, series.items(), strict=False):
        # a week without commits is no bar, and no data point
        figure.add_trace(go.Bar(x=weeks, y=[by_week.get(week) for week in weeks], name=labels[key],
                                marker_color=colour,
                                hovertemplate="%{fullData.name}, week of %{x|%d %b}: %{y:,d} commits<extra></extra>"))
    # the legend names the repository even when there is one; one tick per week, on its Monday
    figure.update_layout(barmode="stack", showlegend=True, legend={"traceorder": "normal"})
    figure.update_xaxes(title_text="week (Monday)", tick0=weeks[0], dtick=7 * 86_400_000, tickformat="%d %b")
    figure.update_yaxes(title_text="commits (merges left out)")
    return _style(figure, "Commits per week by repository")


def team_heatmap(warehouse: Warehouse, org_id: str, window: Window) -> go.Figure:
    # shares from the mart's counts over the window's weeks only: a history before the window (a backdated
    # root commit) must not paint weeks it does not belong to
    rows = warehouse.query(
        "select t.team_name, toMonday(m.day) as week, sum(m.commits_count) as commits, "
        "sum(m.after_hours_commits) / sum(m.commits_count) as after_hours, "
        "sum(m.weekend_commits) / sum(m.commits_count) as weekend "
        "from marts.team_metrics_daily as m inner join marts.dim_teams as t "
        "on m.org_id = t.org_id and m.team_id = t.team_id "
        f"where m.org_id = {{org_id:String}} and m.commits_count > 0 and {window.days_filter('m.day')} "
        "group by t.team_name, week order by t.team_name, week",
        window.parameters(org_id),
    ).rows
    teams = sorted({row[0] for row in rows})
    weeks = [window.first_day + timedelta(weeks=offset) for offset in range(window.weeks)]
    # one set of team names, on the left: long names would run into the second chart
    figure = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.03,
                           subplot_titles=["After-hours commits (% of the week's commits)",
                                           "Weekend commits (% of the week's commits)"])
    for column, offset in ((1, 3), (2, 4)):
        cells = {(row[0], row[1]): row[offset] for row in rows}
        commits = {(row[0], row[1]): row[2] for row in rows}
        figure.add_trace(go.Heatmap(
            x=weeks, y=[text(team) for team in teams],
            z=[[cells.get((team, week)) for week in weeks] for team in teams],
            customdata=[[commits.get((team, week), 0) for week in weeks] for team in teams],
            coloraxis="coloraxis", xgap=2, ygap=2,
            hovertemplate="%{y}, week of %{x|%d %b}: %{z:.0%} of %{customdata} commits<extra></extra>",
        ), row=1, col=column)
        figure.update_xaxes(title_text="week (Monday)", row=1, col=column)
    figure.update_layout(coloraxis={"colorscale": HEAT_SCALE, "cmin": 0, "cmax": 1,
                                    "colorbar": {"title": "share", "tickformat": ".0%"}})
    return _style(figure, "Team after-hours and weekend work (blank: no commits that week)",
                  height=max(320, 90 + 60 * len(teams)))


def investment_sunburst(warehouse: Warehouse, org_id: str, window: Window) -> go.Figure:
    rows = warehouse.query(
        "select category, subcategory, sum(items_completed_weight) as weight "
        "from marts.investment_breakdown_monthly where org_id = {org_id:String} "
        f"and {window.months_filter('month')} "
        "group by category, subcategory having weight > 0 order by category, subcategory",
        window.parameters(org_id),
    ).rows
    categories: dict[str, float] = {}
    for category, _, weight in rows:
        categories[category] = categories.get(category, 0.0) + float(weight)
    ids = [text(category) for category in categories] + [text(f"{c}/{sub}") for c, sub, _ in rows]
    labels = [readable(category) for category in categories] + [readable(sub) for _, sub, _ in rows]
    parents = [""] * len(categories) + [text(category) for category, _, _ in rows]
    values = list(categories.values()) + [float(weight) for _, _, weight in rows]
    figure = go.Figure(go.Sunburst(
        ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
        marker={"colors": ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"]},
        hovertemplate="%{label}: %{value:,.1f} weighted items (%{percentRoot:.0%})<extra></extra>",
    ))
    return _style(figure, "Investment: completed work items by category (months of the window)", height=480)


def work_item_flow(warehouse: Warehouse, org_id: str, window: Window) -> go.Figure:
    rows = warehouse.query(
        "select from_status, to_status, sum(transitions_count) as transitions from marts.work_item_state_flow "
        "where org_id = {org_id:String} and from_status != to_status "
        f"and {window.months_filter('month')} "
        "group by from_status, to_status order by transitions desc",
        window.parameters(org_id),
    ).rows
    statuses = sorted({row[0] for row in rows} | {row[1] for row in rows})
    index = {status: position for position, status in enumerate(statuses)}
    figure = go.Figure(go.Sankey(
        node={"label": [readable(status) for status in statuses], "pad": 18, "color": "#56B4E9"},
        link={"source": [index[row[0]] for row in rows], "target": [index[row[1]] for row in rows],
              "value": [int(row[2]) for row in rows], "color": "rgba(0, 114, 178, 0.25)",
              "hovertemplate": "%{source.label} → %{target.label}: %{value:,d} transitions<extra></extra>"},
    ))
    return _style(figure, "Work item flow between statuses (transitions in the months of the window)", height=420)


CHARTS = (
    ("dora_trends", dora_trends),
    ("dora_by_team", dora_by_team),
    ("pr_cycle_breakdown", pr_cycle_breakdown),
    ("pr_stage_trends", pr_stage_trends),
    ("slowest_prs", slowest_prs),
    ("deployment_calendar", deployment_calendar),
    ("commit_activity", commit_activity),
    ("team_heatmap", team_heatmap),
    ("investment_sunburst", investment_sunburst),
    ("work_item_flow", work_item_flow),
)

# what a chart with nothing to draw says instead, and where its data comes from: a warehouse with git history
# only (the first `devhealth run --repo`) would otherwise show empty axes that read as figures
_DEPLOYMENTS = "(devhealth sync github, gitlab or events)"
_PULL_REQUESTS = "No pull requests merged in this window (devhealth sync github or gitlab)."
_WORK_ITEMS = "(devhealth sync jira, github or gitlab)"
NO_DATA = {
    "dora_trends": f"No production deployments in this window: the DORA keys need deployment data {_DEPLOYMENTS}.",
    "dora_by_team": "No team has production deployments in the last four weeks: teams own repositories "
                    f"(devhealth admin team), whose deployments {_DEPLOYMENTS} give their DORA keys.",
    "pr_cycle_breakdown": _PULL_REQUESTS,
    "pr_stage_trends": _PULL_REQUESTS,
    "slowest_prs": _PULL_REQUESTS,
    "deployment_calendar": f"No production deployments in this window {_DEPLOYMENTS}.",
    "commit_activity": "No commits in this window (devhealth sync git, or github and gitlab commits).",
    "team_heatmap": "No commits by a team in this window: teams own repositories and people (devhealth admin "
                    "team).",
    "investment_sunburst": f"No work items completed in the months of the window {_WORK_ITEMS}.",
    "work_item_flow": f"No work item changed status in the months of the window {_WORK_ITEMS}.",
}
