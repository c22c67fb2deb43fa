"""HTTP requests made by `claimledger refresh`, against the loopback E-utilities stand-in.

Serves the real records in ../shared/pubmed-fixtures from tests/standin.py on 127.0.0.1 and
counts, in one run:
  - requests for a first refresh of a claims library, and for a second refresh with nothing new;
  - what fetching each PMID on its own would cost (what per-article clients do: the same
    searches, then one EFetch per hit of each claim);
  - the highest number of requests the server saw in any one second (no API key: limit 3).

Two libraries are measured: the shipped claims.yaml (its ketamine queries match only the few
ketamine records among the fixtures), and a "broad" library of 60 claims whose queries match
many fixture records, so batching has something to batch. The broad library's queries are
benchmark inputs, not claims.

    python benchmarks/refresh_requests.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
SHARED = Path(os.environ.get("CLAIMLEDGER_SHARED", ROOT.parent / "shared"))

from standin import StandIn, load_records  # noqa: E402

from claimledger.ledger.store import open_ledger  # noqa: E402
from claimledger.library.claims import load_claims, parse_claims  # noqa: E402
from claimledger.pubmed.eutils import EutilsClient  # noqa: E402
from claimledger.service.refresh import refresh  # noqa: E402

# Each benchmark query ORs common words so that it matches most of the ~350 fixture records, the
# way a real claim query matches hundreds of PubMed records.
_WORDS = [
    "patients",
    "treatment",
    "study",
    "risk",
    "cells",
    "results",
    "methods",
    "clinical",
    "disease",
    "analysis",
    "effect*",
    "increase*",
    "data",
    "health",
    "model",
    "levels",
    "significant*",
    "care",
    "human*",
    "protein*",
    "age",
    "population",
    "outcome*",
    "response",
    "function",
    "time",
    "group*",
    "use",
    "evidence",
    "high",
    "low",
    "new",
    "role",
    "factors",
    "between",
    "during",
    "compared",
]
BROAD_TERMS = [
    " OR ".join(f"{_WORDS[(i + k) % len(_WORDS)]}[tiab]" for k in range(12)) for i in range(60)
]


def broad_library_text() -> str:
    items = []
    for i, term in enumerate(BROAD_TERMS):
        items.append(
            f"  - id: broad-{i:02d}\n    statement: Benchmark query {i}.\n    topic: mechanism\n"
            f"    kind: mechanism\n    polarity: asserts-fact\n    query: '{term}'\n"
        )
    return "settings:\n  relevance_limit: 200\nclaims:\n" + "".join(items)


def per_pmid_requests(standin: StandIn, searches: int, hits_per_claim: list[int]) -> int:
    return searches + sum(hits_per_claim)


def measure(name: str, library, records) -> None:  # type: ignore[no-untyped-def]
    standin = StandIn(records=dict(records)).start()
    try:
        with tempfile.TemporaryDirectory() as d:
            ledger = open_ledger(Path(d) / "ledger.db")
            client = EutilsClient(email="bench@claimledger.invalid", base_url=standin.url)
            first = refresh(library, ledger, client, actor="bench", grade=False)
            n_first = len(standin.log)
            searches = len(standin.requests_to("esearch"))
            hits = [c.hits for c in first.claims]
            unique = len({p for c in library.claims for p in ledger_links(ledger, c.id)})
            rate_first = standin.max_per_second()
            client2 = EutilsClient(email="bench@claimledger.invalid", base_url=standin.url)
            refresh(library, ledger, client2, actor="bench", grade=False)
            n_second = len(standin.log) - n_first
            rate = standin.max_per_second()
    finally:
        standin.stop()
    naive = per_pmid_requests(standin, searches, hits)
    naive_unique = searches + unique
    k = len(library.claims)
    print(f"\n[{name}] {k} claims, {sum(hits)} claim-PMID hits, {unique} unique PMIDs")
    print(f"  first refresh:       {n_first:6d} requests")
    print(
        f"  per-PMID fetching:   {naive:6d} requests (same searches + one EFetch per hit); "
        f"ratio {naive / n_first:.1f}x fewer with claimledger (target >= 50x)"
    )
    print(f"  per-PMID, deduped:   {naive_unique:6d} requests; ratio {naive_unique / n_first:.1f}x")
    print(
        f"  no-change refresh:   {n_second:6d} requests = {n_second / k:.2f} per claim "
        f"(target <= 2 per claim + a constant; here {k} + {n_second - k})"
    )
    print(
        f"  highest rate seen:   {max(rate, rate_first)} requests in one second (target <= 3 without a key)"
    )


def ledger_links(ledger, claim_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [linked.article.pmid for linked in ledger.claim_articles(claim_id)]


def main() -> None:
    records = load_records(SHARED / "pubmed-fixtures")
    print(f"stand-in serving {len(records)} real PubMed records from {SHARED / 'pubmed-fixtures'}")
    measure("shipped claims.yaml", load_claims(ROOT / "claims.yaml"), records)
    measure("broad benchmark library", parse_claims(broad_library_text(), "broad.yaml"), records)


if __name__ == "__main__":
    main()
