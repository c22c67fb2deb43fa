"""What a quotation block says as a whole (claimmodel.quote_block_features): the label policy
makes a patient's quoted words a claim only when they report an outcome, and a scene-setting
sentence sits in a quotation that does."""

from __future__ import annotations

from claimledger.copy.check import judge_units


def _blocks(text: str) -> list[tuple[str, dict[str, float]]]:
    judged, _ = judge_units(text)
    return [
        (j.unit.norm, {k: v for k, v in j.features.items() if k.startswith("tq:")}) for j in judged
    ]


def test_a_quotation_with_no_outcome_is_silent() -> None:
    text = (
        "What our patients say\n\n"
        '"The nurses remembered my name. Parking was easy and nobody rushed me."\n\n'
        "- Dana R.\n"
    )
    quoted = [(s, f) for s, f in _blocks(text) if f]
    assert len(quoted) == 2
    assert all(f.get("tq:block_silent") == 1.0 and f.get("tq:no_outcome") == 1.0 for _, f in quoted)
    assert all("tq:block_outcome" not in f for _, f in quoted)


def test_a_scene_sentence_sits_in_a_quotation_that_reports_an_outcome() -> None:
    text = (
        "Patient stories\n\n"
        '"I had tried five antidepressants. After two infusions my depression lifted."\n\n'
        "- Sam K.\n"
    )
    quoted = dict(_blocks(text))
    scene = quoted['"I had tried five antidepressants.']
    assert scene.get("tq:no_outcome") == 1.0
    assert scene.get("tq:block_outcome") == 1.0
    assert "tq:block_silent" not in scene
    outcome = next(f for s, f in quoted.items() if s.startswith("After two infusions"))
    assert "tq:no_outcome" not in outcome


def test_body_lines_carry_no_quotation_features() -> None:
    assert all(not f for _, f in _blocks("Ketamine can ease depression within hours.\n"))
