"""A line set wholly in capitals is read in lower case for the model (claimmodel.shouted_features).

All copy here is written for these tests (no clinic's words)."""

from __future__ import annotations

from claimledger.copy.check import judge_units
from claimledger.copy.claimmodel import SHOUTED, shouted_features

PAGE = """KETAMINE CLINIC OF SPRINGFIELD

KETAMINE INFUSIONS CAN EASE DEPRESSION WITHIN HOURS!!

OUR HOURS

Ketamine infusions can ease depression within hours.

CALL US TODAY
"""


def test_a_shouted_claim_gets_the_reading_its_lower_case_twin_gets() -> None:
    judged, _ = judge_units(PAGE, "txt")
    by = {j.unit.norm: j.features for j in judged}
    shouted = by["KETAMINE INFUSIONS CAN EASE DEPRESSION WITHIN HOURS!!"]
    written = by["Ketamine infusions can ease depression within hours."]
    assert shouted["rule"] == 0.0  # the rules still refuse a line in capitals
    assert shouted[f"{SHOUTED}rule"] == written["rule"] == 1.0
    assert shouted[f"{SHOUTED}effect"] == written["effect"] > 0
    assert shouted[f"{SHOUTED}cond"] > 0
    assert not any(k.startswith(SHOUTED) for k in written)


def test_headings_and_calls_in_capitals_read_as_nothing() -> None:
    judged, _ = judge_units(PAGE, "txt")
    for line in ("KETAMINE CLINIC OF SPRINGFIELD", "OUR HOURS", "CALL US TODAY"):
        f = next(j.features for j in judged if j.unit.norm == line)
        assert not any(k.startswith(SHOUTED) for k in f), line


def test_only_a_line_with_capitals_and_no_lower_case_is_read_again() -> None:
    seen: list[str] = []

    def read(low: str) -> tuple[bool, dict[str, float]]:
        seen.append(low)
        return True, {}

    assert shouted_features("Ketamine EASES depression.", read) == {}
    assert shouted_features("100% — 24/7", read) == {}
    assert shouted_features("IT WORKS!", read) == {f"{SHOUTED}rule": 1.0}
    assert seen == ["it works!"]


def test_a_shouted_item_is_read_with_its_shouted_intro_line_lowered_too() -> None:
    page = "SIDE EFFECTS OF KETAMINE MAY INCLUDE:\n\n- NAUSEA AND DIZZINESS\n"
    judged, _ = judge_units(page, "txt")
    item = next(j for j in judged if j.unit.norm == "NAUSEA AND DIZZINESS")
    assert item.unit.context.isupper()
    low = judge_units("side effects of ketamine may include:\n\n- nausea and dizziness\n", "txt")[0]
    twin = next(j for j in low if j.unit.norm == "nausea and dizziness")
    assert item.features[f"{SHOUTED}effect"] == twin.features["effect"] > 0
    assert item.features[f"{SHOUTED}rule"] == twin.features["rule"] == 1.0
