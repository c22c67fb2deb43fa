"""Parse speed and peak memory: claimledger.pubmed.medline.iter_articles vs Bio.Entrez.read vs bare loops.

Builds a large PubmedArticleSet (about 100 MB by default) by repeating the real records in
../shared/pubmed-fixtures, then in one run measures, each method in its own subprocess (so peak
RSS is its own): records/s and peak memory of our parser, of Bio.Entrez.read on the same file,
and of bare iterparse loops that only count and clear elements (ElementTree and lxml). Prints the
ratios against Bio.Entrez.read and against the fastest bare loop (best of five interleaved
rounds, and the paired ratio in each round with its median),
and our peak memory on a file a quarter the size (memory must not grow with file size).

    python benchmarks/parse_speed.py [--mb 100] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(os.environ.get("CLAIMLEDGER_SHARED", Path(__file__).resolve().parents[2] / "shared"))
HEAD = (
    b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
    b'1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
    b"<PubmedArticleSet>\n"
)


def real_records() -> list[bytes]:
    from lxml import etree

    fx = SHARED / "pubmed-fixtures"
    out = []
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    for f in sorted(fx.glob("*.xml")) + sorted((fx / "metapub_pmid_xml").glob("*.xml")):
        root = etree.parse(str(f), parser).getroot()
        els = [root] if root.tag == "PubmedArticle" else root.findall("PubmedArticle")
        out.extend(etree.tostring(e, encoding="utf-8") for e in els)
    return out


def build(path: Path, mb: int) -> int:
    recs = real_records()
    n = 0
    size = 0
    with open(path, "wb") as fh:
        fh.write(HEAD)
        while size < mb * 1024 * 1024:
            for r in recs:
                fh.write(r + b"\n")
                size += len(r) + 1
                n += 1
        fh.write(b"</PubmedArticleSet>\n")
    return n


def run_method(method: str, path: str) -> dict[str, float]:
    t = time.perf_counter()
    if method == "claimledger":
        from claimledger.pubmed.medline import iter_articles

        n = sum(1 for _ in iter_articles(path))
    elif method == "biopython":
        from Bio import Entrez

        with open(path, "rb") as fh:
            data = Entrez.read(fh, validate=False)
        n = len(data["PubmedArticle"])
    elif method == "etree-bare":
        import xml.etree.ElementTree as ET

        n = 0
        ctx = ET.iterparse(path, events=("start", "end"))
        _, root = next(ctx)
        for ev, el in ctx:
            if ev == "end" and el.tag == "PubmedArticle":
                n += 1
                root.clear()
    elif method == "lxml-bare":
        from lxml import etree

        n = 0
        for _, el in etree.iterparse(
            path,
            events=("end",),
            tag="PubmedArticle",
            load_dtd=False,
            no_network=True,
            resolve_entities=False,
        ):
            n += 1
            el.clear(keep_tail=False)
            while el.getprevious() is not None:
                del el.getparent()[0]
    else:
        raise SystemExit(f"unknown method {method}")
    secs = time.perf_counter() - t
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"records": n, "seconds": secs, "records_per_s": n / secs, "peak_rss_mb": rss_mb}


def run_once(method: str, path: Path) -> dict[str, float]:
    """One run of ``method`` in a fresh subprocess, so its peak RSS is its own."""
    out = subprocess.run(
        [sys.executable, __file__, "--method", method, "--file", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout)
    return result


def measure(methods: tuple[str, ...], path: Path, repeat: int) -> dict[str, list[dict[str, float]]]:
    """``repeat`` rounds, each running every method once, interleaved so that a shared machine
    speeding up or slowing down during the run affects every method alike."""
    runs: dict[str, list[dict[str, float]]] = {m: [] for m in methods}
    for _ in range(repeat):
        for m in methods:
            runs[m].append(run_once(m, path))
    return runs


def best(runs: list[dict[str, float]]) -> dict[str, float]:
    top = dict(max(runs, key=lambda r: r["records_per_s"]))
    top["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    return top


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=5, help="rounds (best of them is reported)")
    ap.add_argument("--method")
    ap.add_argument("--file")
    a = ap.parse_args()
    if a.method:
        print(json.dumps(run_method(a.method, a.file)))
        return
    with tempfile.TemporaryDirectory() as d:
        big, small = Path(d) / "big.xml", Path(d) / "small.xml"
        n = build(big, a.mb)
        build(small, max(1, a.mb // 4))
        print(
            f"file: {big.stat().st_size / 1e6:.0f} MB, {n} records (real fixture records repeated)"
        )
        # ours next to the bare loops in every round: paired ratios are what the targets compare
        methods = ("claimledger", "lxml-bare", "etree-bare", "biopython")
        runs = measure(methods, big, a.repeat)
        small_runs = measure(("claimledger",), small, a.repeat)
    res = {m: best(r) for m, r in runs.items()}
    for m, r in res.items():
        print(
            f"{m:12} {r['records_per_s']:10.0f} records/s  {r['seconds']:6.2f} s  peak RSS {r['peak_rss_mb']:7.1f} MB  ({r['records']} records)"
        )
    # the same ratio round by round: how much of the spread is the machine
    per_round = [
        ours_r["records_per_s"] / max(e["records_per_s"], x["records_per_s"])
        for ours_r, e, x in zip(
            runs["claimledger"], runs["etree-bare"], runs["lxml-bare"], strict=True
        )
    ]
    ours = res["claimledger"]["records_per_s"]
    floor = max(res["etree-bare"]["records_per_s"], res["lxml-bare"]["records_per_s"])
    print(
        f"\nclaimledger / Bio.Entrez.read throughput:      {ours / res['biopython']['records_per_s']:.1f}x  (target >= 10x)"
    )
    print(f"claimledger / fastest bare iterparse:          {ours / floor:.2f}  (target >= 0.7)")
    print(
        "  same ratio in each round:                   "
        + ", ".join(f"{r:.2f}" for r in per_round)
        + f"  (median {statistics.median(per_round):.2f})"
    )
    print(
        f"claimledger peak RSS, {a.mb // 4} MB file vs {a.mb} MB file: {best(small_runs['claimledger'])['peak_rss_mb']:.1f} MB vs {res['claimledger']['peak_rss_mb']:.1f} MB"
    )


if __name__ == "__main__":
    main()
