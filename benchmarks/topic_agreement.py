"""How far is the checker's topic from what careful labellers agree on? (issue 13, seventh session)

Right library topic is the copy checker's weakest figure. Part of any gap is label noise: two
people can read "Ketamine has been an FDA-approved anaesthetic since 1970" as history or as
regulatory. To tell noise from checker error, two labellers who saw neither labels.yaml, nor each
other's work, nor the checker (brief: topic-agreement/BRIEF.md) gave a topic and a library claim to
every claim sentence of 14 dev pages, one page drawn at random from each writer set. This prints,
on those sentences:

- agreement on topic and claim id between the page's writer (labels.yaml) and each labeller,
- the checker in this checkout against each of them, and on the sentences all three people agree
  on (where the label is not in doubt),
- the topic pairs people disagree on.

The checker's topic is its finding's topic ("other-treatment" for a sentence about another
treatment; none when it reports nothing there). These pages are dev pages the checker was tuned
on, so its figures here are dev figures; the point is the comparison with the people.

    python benchmarks/topic_agreement.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from copy_accuracy import load_set, page_readings, run_checker  # noqa: E402

HERE = ROOT / "benchmarks" / "topic-agreement"
DEV = ROOT / "benchmarks" / "copy-dev"
LABELLERS = ("labeller-a", "labeller-b")
Item = tuple[str, str]  # (file, text)


def blind_labels(name: str) -> dict[Item, dict[str, Any]]:
    entries = yaml.safe_load((HERE / f"{name}.yaml").read_text(encoding="utf-8"))["items"]
    return {(e["file"], e["text"]): e for e in entries}


def checker_topics(files: list[str]) -> dict[Item, dict[str, Any]]:
    """The writer's label and the checker's topic for every claim sentence of ``files``."""
    dev = load_set(DEV)
    paths = [DEV / f for f in files]
    results = run_checker(ROOT / "src", ROOT / "claims.yaml", paths)
    out: dict[Item, dict[str, Any]] = {}
    for path, res in zip(paths, results, strict=True):
        for lab, f in page_readings(dev, path, res):
            if lab.label == "none":
                continue
            got = None if f is None else ("other-treatment" if f["other_treatment"] else f["topic"])
            out[(path.name, lab.text)] = {
                "writer": {"topic": lab.topic, "claim": lab.claim},
                "checker": {"topic": got, "claim": None if f is None else f["claim_id"]},
            }
    return out


def pct(n: int, d: int) -> str:
    return f"{n}/{d} ({100 * n / d:.0f}%)" if d else "-"


def main() -> None:
    blind = {name: blind_labels(name) for name in LABELLERS}
    items = list(blind[LABELLERS[0]])
    files = list(dict.fromkeys(f for f, _ in items))
    seen = checker_topics(files)
    missing = [i for i in items if i not in seen]
    if missing:
        raise SystemExit(f"{len(missing)} blind items are no longer claim sentences in labels.yaml")
    who: dict[str, dict[Item, dict[str, Any]]] = {
        "writer": {i: seen[i]["writer"] for i in items},
        **{name: {i: blind[name][i] for i in items} for name in LABELLERS},
        "checker": {i: seen[i]["checker"] for i in items},
    }
    people = ["writer", *LABELLERS]
    print(f"{len(items)} claim sentences on {len(files)} dev pages")
    print("| pair | same topic | same library claim |")
    print("|---|---|---|")
    names = list(who)
    for a, x in enumerate(names):
        for y in names[a + 1 :]:
            topic = sum(who[x][i]["topic"] == who[y][i]["topic"] for i in items)
            claim = sum(who[x][i]["claim"] == who[y][i]["claim"] for i in items)
            print(f"| {x} vs {y} | {pct(topic, len(items))} | {pct(claim, len(items))} |")
    agreed = [i for i in items if len({who[p][i]["topic"] for p in people}) == 1]
    found = [i for i in agreed if who["checker"][i]["topic"] is not None]
    right = sum(who["checker"][i]["topic"] == who["writer"][i]["topic"] for i in found)
    print(f"\nall three people give the same topic: {pct(len(agreed), len(items))}")
    print(
        f"checker on those: right topic {pct(right, len(agreed))}; of the sentences it reports {pct(right, len(found))}"
    )
    pairs: Counter[tuple[str, ...]] = Counter()
    for i in items:
        topics = tuple(sorted({str(who[p][i]["topic"]) for p in people}))
        if len(topics) > 1:
            pairs[topics] += 1
    print("\ntopics the people disagree on (count):")
    for topics, n in pairs.most_common():
        print(f"  {n:3d}  {' | '.join(topics)}")
    wrong: Counter[tuple[str, str]] = Counter()
    for i in agreed:
        got = who["checker"][i]["topic"]
        if got != who["writer"][i]["topic"]:
            wrong[(str(who["writer"][i]["topic"]), str(got))] += 1
    print("\nchecker errors where all three people agree, agreed -> checker (count):")
    for (want, got), n in wrong.most_common(12):
        print(f"  {n:3d}  {want} -> {got}")


if __name__ == "__main__":
    main()
