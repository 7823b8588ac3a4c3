"""The main job behind `devhealth run`: migrate, register, extract, sync teams, build, summarise, report.

Each stage is idempotent (merge loads, snapshot team export, full dbt build), so a run interrupted at
any stage is finished by simply running it again.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from devhealth.errors import InputError
from devhealth.orgs import OrgRef, org_key, recorded_sync, register_repository
from devhealth.settings import devhealth_home
from devhealth.stages import StageRunner
from devhealth.summary import OrgSummary, summarise
from devhealth.warehouse import Warehouse

DEMO_ORG = "demo"


@dataclass(frozen=True)
class RunOptions:
    repos: tuple[Path, ...] = ()
    synthetic: bool = True
    since: date | None = None
    # the organizations the job loads: each gets the synthetic history (unless synthetic is off), and the
    # first gets the repositories too
    orgs: tuple[str, ...] = (DEMO_ORG,)
    synthetic_days: int = 90
    synthetic_seed: int = 7


@dataclass
class RunResult:
    summaries: list[OrgSummary] = field(default_factory=list)
    report_path: Path | None = None


def default_repositories(cwd: Path) -> tuple[Path, ...]:
    """The repository the command runs in, when it is one."""
    completed = subprocess.run(["git", "-C", str(cwd), "rev-parse", "--show-toplevel"],
                               capture_output=True, text=True)
    return (Path(completed.stdout.strip()),) if completed.returncode == 0 else ()


def synthetic_window(options: RunOptions, today: date | None = None) -> tuple[date, int]:
    """The synthetic history ends today, so dashboards' relative ranges show it; --since moves its start."""
    end = today or datetime.now(UTC).date()
    if options.since is not None:
        if options.since > end:
            raise InputError(f"--since {options.since.isoformat()}: is after today")
        return options.since, (end - options.since).days + 1
    return end - timedelta(days=options.synthetic_days - 1), options.synthetic_days


def recorded(org: OrgRef, provider: str, scope: str, extract: Callable[[], int]) -> Callable[[], int]:
    """`extract`, written to the semantic layer's sync_runs as it starts and as it ends, failed or not."""

    def run() -> int:
        with recorded_sync(org, provider, scope) as record:
            record.rows_loaded = extract()
        return record.rows_loaded

    return run


def run_job(options: RunOptions, runner: StageRunner) -> RunResult:
    from devhealth import dbt
    from devhealth.demo import ensure_organization, register_synthetic_people
    from devhealth.extract.git import git_repository, git_repository_name
    from devhealth.extract.git.settings import DATASET_NAME, PIPELINE_NAME
    from devhealth.extract.semantic import semantic_layer
    from devhealth.extract.synthetic import SOURCES, load_synthetic
    from devhealth.extract.synthetic import settings as synthetic_settings
    from devhealth.extract.synthetic.generator import SyntheticSpec, build_organization
    from devhealth.pipelines import load, loaded_rows
    from devhealth.semantic_db import migrate

    if not options.synthetic and not options.repos:
        raise InputError("devhealth run: nothing to extract; give --repo PATH or leave synthetic data on")

    runner.run("migrate semantic database", lambda: (0, "at " + str(migrate.upgrade_as_owner()[2])))

    def registered(name: str) -> OrgRef:
        return OrgRef(org_key(ensure_organization(name).id), name)

    synthetic_orgs = {name: registered(name) for name in (options.orgs if options.synthetic else ())}
    repo_org = next(iter(synthetic_orgs.values()), None) or registered(options.orgs[0])
    start, days = synthetic_window(options)
    specs = {name: SyntheticSpec(seed=options.synthetic_seed, days=days, start=start, org_id=org.id)
             for name, org in synthetic_orgs.items()}
    for name, spec in specs.items():
        organization = build_organization(spec)
        runner.run(f"register {name} teams and identities",
                   lambda org=synthetic_orgs[name], organization=organization: register_synthetic_people(
                       org.semantic_id, organization))

    # the semantic layer, not the generator, is the source of truth for teams: its export replaces them
    datasets = tuple(dataset for dataset in SOURCES if dataset != synthetic_settings.SEMANTIC_DATASET)
    for name, spec in specs.items():
        runner.run(f"extract synthetic organization {name}", recorded(
            synthetic_orgs[name], "synthetic", f"seed {spec.seed}",
            lambda spec=spec: sum(load_synthetic(spec, datasets).values())))
    for path in options.repos:
        source = git_repository(path, org_id=repo_org.id)
        runner.run(f"extract git {path}", recorded(
            repo_org, "git", str(path),
            lambda source=source: sum(loaded_rows(load(source, PIPELINE_NAME, DATASET_NAME)).values())))
        name, url = git_repository_name(path)
        register_repository(repo_org, "git", name, url=url)

    runner.run("sync teams", lambda: sum(loaded_rows(load(semantic_layer(), "semantic", "semantic")).values()))

    def build(report: Callable[[int, int, str], None]) -> tuple[int, str]:
        # dbt's own log would drown the progress lines; failures still reach the BuildError message
        result = dbt.build("all", extra=["--quiet"], progress=report)
        nodes = len(result.result.results) if result.result is not None else 0
        return 0, f"{nodes} models, seeds and tests passed"

    runner.run_counted("dbt build", build)

    warehouse = Warehouse()
    result = RunResult()
    report_orgs = list(synthetic_orgs.values()) or [repo_org]
    for org in report_orgs:
        result.summaries.append(summarise(warehouse, org.id, org.name))

    def write_report() -> tuple[int, str]:
        from devhealth.report import write_report as render

        path = devhealth_home() / "report" / "index.html"
        render(warehouse, [(org.id, org.name) for org in report_orgs], path)
        result.report_path = path
        return 0, str(path)

    runner.run("write report", write_report)
    return result
