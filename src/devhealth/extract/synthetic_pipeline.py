"""Runnable pipeline for the synthetic organization, as `dlt init` lays it out.

Usage: `python src/devhealth/extract/synthetic_pipeline.py [SEED]`.
"""

from __future__ import annotations

import sys

from devhealth.extract.synthetic import load_synthetic
from devhealth.extract.synthetic.generator import SyntheticSpec

if __name__ == "__main__":
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else SyntheticSpec().seed
    print(load_synthetic(SyntheticSpec(seed=seed)))
