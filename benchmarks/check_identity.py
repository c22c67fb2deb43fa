"""Is `claimledger check` output identical between this checkout and another git revision?

A speed change must not change what check says. This runs check on every page of
benchmarks/copy-dev (HTML, Markdown, plain text) and on the five seeds (../shared/seeds, the
files seed-labels.yaml names) twice: with this checkout's src/ and claims.yaml, and with those of
``--baseline REV`` extracted from git into a temporary directory (copy_accuracy.py's
baseline_tree, so each side uses its own shipped models and lexicons). Each side runs in its own
subprocess whose PYTHONPATH is that tree's src/. For every page it compares the check's JSON
output (findings, offsets, topics, flags, candidates and their scores, messages), its plain-text
report and the repr of the CheckResult (every field, floats exactly), and prints how many pages
differ and which. It never reads benchmarks/heldback or benchmarks/copy-holdout.

    python benchmarks/check_identity.py                  # against main
    python benchmarks/check_identity.py --baseline 2a6ce75
    python benchmarks/check_identity.py --docs 1-100     # only dev pages numbered 1-100 (+ seeds)

Exit status 1 when any page differs. The two sides run at the same time (one process each).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from copy_accuracy import SHARED, baseline_tree, parse_docs  # noqa: E402

DEV = ROOT / "benchmarks" / "copy-dev"
SUFFIXES = (".html", ".md", ".txt")

# Runs inside a subprocess whose PYTHONPATH is one version of src/: reads {claims, docs} as JSON
# on stdin, prints one record per page: the JSON and text reports and the result's repr.
DRIVER = r"""
import json, sys
from claimledger.copy.check import ClaimMatcher, check_text
from claimledger.copy.documents import read_document
from claimledger.library.claims import load_claims
from claimledger.reports.check import render_check
job = json.load(sys.stdin)
lib = load_claims(job["claims"])
m = ClaimMatcher(lib)
out = {}
for path in job["docs"]:
    d = read_document(path)
    kw = {"roles": d.roles} if getattr(d, "roles", None) else {}
    r = check_text(d.name, d.text, lib, {}, m, d.kind, **kw)
    out[path] = {"json": render_check([r], "json"), "text": render_check([r], "text"),
                 "repr": repr(r)}
json.dump(out, sys.stdout)
"""


def pages(docs: str | None) -> list[Path]:
    """Every dev page (or those numbered in ``docs``), then the seeds."""
    wanted = parse_docs(docs) if docs else None
    dev = []
    for p in sorted(DEV.iterdir()):
        if p.suffix not in SUFFIXES or p.name == "README.md":
            continue
        head = p.name.split("-")[0].split("_")[0]
        if wanted is not None and not (head.isdigit() and int(head) in wanted):
            continue
        dev.append(p)
    seeds = yaml.safe_load((DEV / "seed-labels.yaml").read_text())["documents"]
    return dev + [SHARED / "seeds" / Path(d["file"]).name for d in seeds]


def start(src: Path, claims: Path, docs: list[Path]) -> subprocess.Popen[str]:
    """The checker of ``src`` started on ``docs`` (the job read from a file, so both sides run
    at once and neither waits on a pipe)."""
    env = {**os.environ, "PYTHONPATH": str(src), "OPENBLAS_NUM_THREADS": "1"}
    with tempfile.TemporaryFile("w+") as job:
        json.dump({"claims": str(claims), "docs": [str(d) for d in docs]}, job)
        job.seek(0)
        return subprocess.Popen(
            [sys.executable, "-c", DRIVER],
            stdin=job,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )


def finish(proc: subprocess.Popen[str], name: str) -> dict[str, dict[str, Any]]:
    """What the checker started by ``start`` printed, per page."""
    out, err = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"checker {name} failed:\n{err}")
    result: dict[str, dict[str, Any]] = json.loads(out)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline", default="main", metavar="REV", help="the revision to compare")
    ap.add_argument("--docs", help='only these dev pages, by file-name number ("1-100")')
    args = ap.parse_args()
    docs = pages(args.docs)
    rev = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", args.baseline],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    with tempfile.TemporaryDirectory() as tmp:
        base = baseline_tree(Path(tmp), rev)
        here = start(ROOT / "src", ROOT / "claims.yaml", docs)
        there = start(base / "src", base / "claims.yaml", docs)
        mine, theirs = finish(here, "in this checkout"), finish(there, f"at {rev}")
    differ = []
    for p in map(str, docs):
        parts = [k for k in ("json", "text", "repr") if mine[p][k] != theirs[p][k]]
        if parts:
            differ.append((p, parts))
    findings = sum(len(json.loads(mine[str(p)]["json"])["findings"]) for p in docs)
    print(
        f"{len(docs)} pages ({len(docs) - 5} dev pages + 5 seeds), {findings:,} findings in this "
        f"checkout; check output differing from {rev}: {len(differ)} pages"
    )
    for p, parts in differ:
        print(f"  {Path(p).name}: {', '.join(parts)} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
