"""Indirectness is stored in its own assessment column; rows written before it fall back to the
rationale text, and the audit chain still verifies."""

from __future__ import annotations

import json
from pathlib import Path

from claimledger.ledger.store import open_ledger
from claimledger.model import Assessment, DesignLevel, StanceLabel
from claimledger.pubmed.records import Article
from claimledger.reports.dossier import EvidenceRow


def _assessment(rationale: str, indirect: str | None) -> Assessment:
    return Assessment(
        claim_id="c",
        claim_version="v1",
        pmid="1",
        method="auto:stance-test",
        design_level=DesignLevel("L1"),
        population="humans",
        sample_size=None,
        stance=StanceLabel.SUPPORTS,
        confidence=0.7,
        anchor_start=None,
        anchor_end=None,
        anchor_text=None,
        rationale=rationale,
        article_hash="h",
        indirect=indirect,
    )


def _row(a: Assessment) -> EvidenceRow:
    return EvidenceRow(
        article=Article(pmid=a.pmid, title="t", abstract="a"),
        origin="search",
        design_level=DesignLevel("L1"),
        design_basis="text",
        population="humans",
        sample_size=None,
        stance=a.stance,
        confidence=a.confidence,
        anchor_text=None,
        anchor_start=None,
        anchor_end=None,
        method=a.method,
        rationale=a.rationale,
        machine_stance=a.stance,
        flags=(),
        deleted=False,
        indirect=a.indirect_reasons,
    )


def test_indirectness_is_stored_in_its_own_column(tmp_path: Path) -> None:
    ledger = open_ledger(tmp_path / "ledger.db")
    reason = "esketamine evidence for a ketamine claim"
    with ledger.transaction():
        ledger.add_assessment(_assessment("stance: benefit", json.dumps([reason])), "tester")
        ledger.add_assessment(_assessment("stance: benefit", json.dumps([])), "tester")
    new, direct = ledger.assessments("c")
    assert new.indirect_reasons == (reason,)
    assert _row(new).item().indirect == (reason,)  # read from the column, not the rationale
    assert direct.indirect_reasons == () and _row(direct).item().directness == 1.0
    ledger.verify_audit()


def test_rows_from_before_the_column_read_their_rationale(tmp_path: Path) -> None:
    ledger = open_ledger(tmp_path / "ledger.db")
    with ledger.transaction():
        ledger.add_assessment(_assessment("stance: benefit; indirect: a | b", None), "tester")
    old = ledger.assessments("c")[0]
    assert old.indirect_reasons is None
    assert _row(old).item().indirect == ("a", "b")
    ledger.verify_audit()
