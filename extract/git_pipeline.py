"""Runnable pipeline for the git source, as `dlt init` lays it out: `python extract/git_pipeline.py PATH [BRANCH]`."""

from __future__ import annotations

import sys

from devhealth.extract.git import git_repository
from devhealth.extract.git.settings import DATASET_NAME, PIPELINE_NAME
from devhealth.pipelines import load, loaded_rows

if __name__ == "__main__":
    path, branch = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else None)
    print(loaded_rows(load(git_repository(path, branch=branch), PIPELINE_NAME, DATASET_NAME)))
