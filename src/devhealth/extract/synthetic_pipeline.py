"""Runnable pipeline for the synthetic organization, as `dlt init` lays it out:
`python src/devhealth/extract/synthetic_pipeline.py [SEED] [--org NAME]`
(or `python -m devhealth.extract.synthetic_pipeline ...`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from devhealth.extract.script import run_for_org, script_arguments
from devhealth.extract.synthetic import load_synthetic_for_org
from devhealth.extract.synthetic.generator import SyntheticSpec


def main(argv: Sequence[str] | None = None) -> int:
    parser = script_arguments("synthetic_pipeline", "Generate the synthetic organization and load it into raw.")
    parser.add_argument("seed", nargs="?", type=int, default=SyntheticSpec().seed,
                        help="seed; the same seed always loads the same rows")
    args = parser.parse_args(argv)
    return run_for_org(args.org, lambda org: load_synthetic_for_org(SyntheticSpec(seed=args.seed), org))


if __name__ == "__main__":
    sys.exit(main())
