"""Runnable pipeline for the git source, as `dlt init` lays it out:
`python src/devhealth/extract/git_pipeline.py PATH [--branch B] [--blame] [--org NAME]`
(or `python -m devhealth.extract.git_pipeline ...`).

Rows belong to an organization of the semantic layer: `--org`, or the only one there is. A fresh home
with none is told how to create one rather than loading under a made-up id.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from devhealth.errors import DevhealthError, one_line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devhealth.extract.git_pipeline",
                                     description="Load one local git repository into the warehouse's raw database.")
    parser.add_argument("path", help="a folder inside the repository")
    parser.add_argument("legacy_branch", nargs="?", help=argparse.SUPPRESS)
    parser.add_argument("--branch", help="branch or revision to read; HEAD by default")
    parser.add_argument("--blame", action="store_true", help="also load lines owned per author at the head")
    parser.add_argument("--org", help="organization name; the only one when omitted")
    args = parser.parse_args(argv)
    try:
        from devhealth.extract.git import git_repository, git_repository_name
        from devhealth.extract.git.settings import DATASET_NAME, PIPELINE_NAME
        from devhealth.orgs import recorded_sync, register_repository, resolve_org
        from devhealth.pipelines import load, loaded_rows

        org = resolve_org(args.org)
        source = git_repository(args.path, branch=args.branch or args.legacy_branch, blame=args.blame, org_id=org.id)
        with recorded_sync(org, "git", args.path) as record:
            rows = loaded_rows(load(source, PIPELINE_NAME, DATASET_NAME))
            record.rows_loaded = sum(rows.values())
        name, url = git_repository_name(args.path)
        register_repository(org, "git", name, url=url)
    except DevhealthError as error:
        print(f"error: {one_line(error)}", file=sys.stderr)
        return 1
    print(f"{org.name}: {rows}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
