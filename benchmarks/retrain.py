"""Retrain the three shipped models in order, sharing what the runs have in common.

    python benchmarks/retrain.py           # claim model, overstatement back-up, topic model
    python benchmarks/retrain.py --check   # each fails if the shipped file differs (stops there)

train_claims.py writes data/claim_model.json and the trees blended with it, data/claim_trees.json
(lightgbm, the "trees" extra: pip install -e '.[trees]'; CLAIMS_TREES=0 trains the linear model
alone and removes the trees file); train_overstated.py reads the same out-of-fold
claim probabilities (the writer folds, kept on disk by the first run) and writes
data/overstated_model.json;
train_topic.py reads both shipped models and writes data/topic_model.json (TOPIC_TREES=1: also
the trees blended with it, data/topic_trees.json, lightgbm too; off by default, see train_topic.py
TREES). The three read the
labelled pages once between them: each page's judged units are kept in the judged-pages cache
(benchmarks/judged_cache.py; CLAIMLEDGER_TRAIN_CACHE names its folder, "off" disables it), keyed
by everything judging depends on. Each script prints its stages' times ("[time] ...", stderr).
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ("train_claims.py", "train_overstated.py", "train_topic.py")


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--check", action="store_true", help="compare with the shipped files")
    a = ap.parse_args()
    for script in ORDER:
        wall, cpu = time.perf_counter(), _children_cpu()
        cmd = [sys.executable, str(HERE / script), *(["--check"] if a.check else [])]
        print(f"$ {' '.join(cmd)}", flush=True)
        code = subprocess.run(cmd, check=False).returncode
        print(
            f"[time] {script}: {time.perf_counter() - wall:.0f} s wall, "
            f"{_children_cpu() - cpu:.0f} s CPU",
            file=sys.stderr,
            flush=True,
        )
        if code:
            sys.exit(code)


def _children_cpu() -> float:
    """CPU seconds of the finished scripts so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


if __name__ == "__main__":
    main()
