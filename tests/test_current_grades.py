"""Ledger.current_grades (one query for many claims) says what current_grade says per claim."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimledger.assess.grading import RUBRIC_VERSION
from claimledger.ledger import store
from claimledger.ledger.store import open_ledger
from claimledger.library.claims import load_claims
from claimledger.model import GradeLabel, GradeRecord, TraceStep
from claimledger.service.grading import check_evidence

ROOT = Path(__file__).resolve().parents[1]


def _grade(claim_id: str, version: str, label: GradeLabel, rubric: str) -> GradeRecord:
    return GradeRecord(
        claim_id=claim_id,
        claim_version=version,
        grade=label,
        provisional=label is GradeLabel.LIMITED,
        needs_non_pubmed_source=False,
        trace=(TraceStep(str(label), "test", ()),),
        rubric_version=rubric,
        evidence_hash=f"h-{claim_id}-{rubric}",
    )


@pytest.mark.parametrize("per_query", [500, 3])  # one query, and the ids split over several
def test_current_grades_equal_current_grade_per_claim(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, per_query: int
) -> None:
    """The shipped library in a ledger where some claims were regraded, some graded only at an
    older version (so ungraded now) and some never: the batch read gives each claim's latest
    grade of its current version, as current_grade does, and leaves the ungraded out."""
    monkeypatch.setattr(store, "_IDS_PER_QUERY", per_query)
    library = load_claims(ROOT / "claims.yaml")
    claims = list(library.claims)
    ledger = open_ledger(tmp_path / "ledger.db")
    with ledger.transaction():
        for i, c in enumerate(claims):
            ledger.ensure_claim_version(c, "test")
            if i % 5 == 4:
                continue  # never graded
            if i % 5 == 3:  # graded only at a version the library no longer has
                ledger.add_grade(_grade(c.id, "old-version", GradeLabel.STRONG, "r0"), "test")
                continue
            ledger.add_grade(_grade(c.id, c.version, GradeLabel.LIMITED, RUBRIC_VERSION), "test")
            if i % 5 == 1:  # regraded: the later row is the current one
                ledger.add_grade(_grade(c.id, c.version, GradeLabel.MODERATE, "r2"), "test")
            if i % 5 == 2:  # an older version graded after the current one
                ledger.add_grade(_grade(c.id, "old-version", GradeLabel.STRONG, "r3"), "test")
    pairs = [(c.id, c.version) for c in claims]
    batch = ledger.current_grades(pairs)
    one_by_one = {p: g for p in pairs if (g := ledger.current_grade(*p)) is not None}
    assert batch == one_by_one
    assert len(batch) == sum(1 for i in range(len(claims)) if i % 5 < 3)
    assert {g.grade for g in batch.values()} == {GradeLabel.LIMITED, GradeLabel.MODERATE}
    evidence = check_evidence(library, ledger)
    assert {cid for cid, _ in one_by_one} == set(evidence)
    assert all(evidence[cid].grade == g.label for (cid, _), g in one_by_one.items())
    ledger.close()


def test_current_grades_of_no_claims_is_empty(tmp_path: Path) -> None:
    ledger = open_ledger(tmp_path / "ledger.db")
    assert ledger.current_grades([]) == {}
    ledger.close()
