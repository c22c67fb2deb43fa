"""The learned topic model (copy/topicmodel.py) and how matching listens to it
(copy/check.py ClaimMatcher.pick). Pages written for these tests."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from claimledger.copy import check
from claimledger.copy.check import ClaimMatcher, check_text, judge_units, topic_readings
from claimledger.copy.claimmodel import meaning_vectors
from claimledger.copy.structure import domain
from claimledger.copy.topic import topic_hints
from claimledger.copy.topiccontext import CONTEXT
from claimledger.copy.topicmodel import (
    ABOUT,
    BESIDE,
    HEAD_HINT,
    HEADING,
    HINT,
    PLACE,
    TopicModel,
    topic_features,
    topic_model,
)
from claimledger.library.claims import load_claims

ROOT = Path(__file__).resolve().parents[1]
LIB = load_claims(ROOT / "claims.yaml")

PAGE = """Ketamine infusions for depression

What to expect

Ketamine infusions can ease depression for some adults when other treatments have not helped.
The effects of the infusion wear off within an hour or two, and most people feel clear-headed by the time they leave.
A nurse stays with you the whole time and checks your blood pressure.
"""


def _finding(text: str, start: str) -> check.Finding:
    return next(f for f in check_text("t", text, LIB, {}).findings if f.sentence.startswith(start))


def test_a_sentence_the_cue_rules_leave_unmatched_gets_its_claim_from_its_topic() -> None:
    # "wear off within an hour or two" reads as onset to the cues; the model reads it as the
    # short-term effects passing, and the library's own claim of that topic is matched
    f = _finding(PAGE, "The effects of the infusion wear off")
    assert (f.topic, f.claim_id) == ("safety-short-term", "dissociation-is-temporary")
    # the sentences whose words already say what they claim keep their claims
    assert _finding(PAGE, "Ketamine infusions can ease").claim_id == "treats-major-depression"
    assert _finding(PAGE, "A nurse stays").claim_id == "monitored-throughout-session"


def test_without_a_shipped_model_the_cue_rules_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(check, "topic_model", lambda: None)
    f = _finding(PAGE, "The effects of the infusion wear off")
    assert f.claim_id is None and f.topic == "safety-short-term"


def test_the_model_reads_the_whole_page_at_once_as_it_reads_one_sentence() -> None:
    model = topic_model()
    assert model is not None
    m = ClaimMatcher(LIB)
    judged, page = judge_units(PAGE)
    chosen = [(j, list(j.flags)) for j in judged if j.unit.role == "body"]
    readings = topic_readings(chosen, page, m)
    for (j, flags), (p, scored) in zip(chosen, readings, strict=True):
        assert abs(sum(p.values()) - 1.0) < 1e-9
        near = m.topic_reader.near(j.vector[None, :])[0]
        _, scores, _ = check._about(j.unit, j.scores, page, domain())
        one = model.probabilities(
            check.topic_inputs(j, scores, flags, page, m, scored, near),
            j.vector,
            meaning_vectors([j.unit.heading])[0],
            j.beside_vector(),
        )
        assert max(abs(one[t] - p[t]) for t in p) < 1e-9


def test_the_heading_a_sentence_sits_under_moves_its_topic() -> None:
    dim = meaning_vectors(["x"]).shape[1]
    heads = meaning_vectors(["Is it safe?", "How fast does it work?"])
    weights = {f"head:{k:03d}": (float(a), float(b)) for k, (a, b) in enumerate(heads.T)}
    model = TopicModel(("safety-short-term", "rapid-onset"), weights, (0.0, 0.0))
    vector = np.zeros(dim, dtype=np.float32)
    safe, fast = (model.probabilities({}, vector, h) for h in heads)
    assert safe["safety-short-term"] > 0.5 > fast["safety-short-term"]
    # no heading (a zero row, or none given) reads as no evidence either way
    assert model.probabilities({}, vector) == model.probabilities({}, vector, 0 * heads[0])
    assert model.probabilities({}, vector)["rapid-onset"] == pytest.approx(0.5)
    # a model trained without heading weights reads a page the same with or without headings
    plain = TopicModel(("safety-short-term", "rapid-onset"), {}, (0.0, 1.0))
    assert plain.probabilities({}, vector, heads[0]) == plain.probabilities({}, vector)


def test_the_sentences_beside_a_sentence_move_its_topic() -> None:
    """A short line in a story ("It's been eight months.") reads its topic from its neighbours:
    the model weighs their meaning vectors, the one before and the one after, side by side."""
    dim = meaning_vectors(["x"]).shape[1]
    near = meaning_vectors(["The relief lasted for months.", "Side effects fade within hours."])
    weights = {
        f"{side}{k:03d}": (float(a), float(b)) for side in BESIDE for k, (a, b) in enumerate(near.T)
    }
    model = TopicModel(("durability", "safety-short-term"), weights, (0.0, 0.0))
    vector = np.zeros(dim, dtype=np.float32)
    lasting, fading = (model.probabilities({}, vector, None, np.concatenate([v, v])) for v in near)
    assert lasting["durability"] > 0.5 > fading["durability"]
    # the first line of a page has nothing before it: a zero half reads as no evidence
    before_only = model.probabilities({}, vector, None, np.concatenate([near[0], 0 * near[0]]))
    assert 0.5 < before_only["durability"] < lasting["durability"]
    # a model trained without them reads a page the same with or without neighbours
    plain = TopicModel(("durability", "safety-short-term"), {}, (0.0, 1.0))
    assert plain.probabilities({}, vector, None, np.concatenate([near[0], near[0]])) == (
        plain.probabilities({}, vector)
    )


def test_judged_units_carry_their_neighbours_meaning() -> None:
    judged, _ = judge_units(PAGE)
    assert judged[0].beside[0] is None and judged[-1].beside[1] is None
    for before, j, after in zip(judged, judged[1:], judged[2:], strict=False):
        assert np.array_equal(j.beside[0], before.vector)  # type: ignore[arg-type]
        assert np.array_equal(j.beside[1], after.vector)  # type: ignore[arg-type]
        assert np.array_equal(j.beside_vector(), np.concatenate([before.vector, after.vector]))


def test_a_claim_text_is_nearest_its_own_topic() -> None:
    m = ClaimMatcher(LIB)
    reader = m.topic_reader
    claim = next(c for c in LIB.claims if c.id == "monitored-throughout-session")
    v = meaning_vectors([claim.statement])
    near = reader.near(v)[0]
    assert max(near, key=lambda t: near[t]) == claim.topic
    assert near[claim.topic] > 0.99
    assert reader.near(np.zeros((1, v.shape[1]), dtype=np.float32)) == [{}]


def _told(**p: float) -> dict[str, float]:
    return {k.replace("_", "-"): v for k, v in p.items()}


def test_an_unlikely_topic_gives_way_and_a_likely_or_sure_claim_stays() -> None:
    m = ClaimMatcher(LIB)
    topics = {"rapid-onset": 3.0}
    scored = {"depression-relief-within-hours": 0.30, "dissociation-is-temporary": 0.22}
    # the cue rules alone: the onset claim
    assert m.pick(scored, topics)[0] == "depression-relief-within-hours"
    # the model finds short-term safety far likelier: that topic's best claim (at 0.2 or more)
    told = _told(safety_short_term=0.8, rapid_onset=0.1, procedure=0.1)
    assert m.pick(scored, topics, told)[0] == "dissociation-is-temporary"
    # ... and no claim when that topic's best scores under 0.2
    low = {**scored, "dissociation-is-temporary": 0.15}
    assert m.pick(low, topics, told)[0] is None
    # a matched claim whose topic keeps 0.3 or more stays
    told_kept = _told(safety_short_term=0.6, rapid_onset=0.35, procedure=0.05)
    assert m.pick(scored, topics, told_kept)[0] == "depression-relief-within-hours"
    # so does one matched on most of its wording (0.6 or more), whatever the model says
    sure = {**scored, "depression-relief-within-hours": 0.6}
    assert m.pick(sure, topics, told)[0] == "depression-relief-within-hours"
    # half its wording is not enough against a model far surer of another topic
    half = {**scored, "depression-relief-within-hours": 0.5}
    assert m.pick(half, topics, told)[0] == "dissociation-is-temporary"


def test_a_sentence_the_model_reads_as_about_another_treatment_matches_no_claim() -> None:
    """The model may have the class other-treatment (benchmarks/train_topic.py OTHER_CLASS):
    the library holds no claim of it, so a claim matched on part of its words gives way to none,
    and one matched on most of its words (TOPIC_SURE) stays."""
    m = ClaimMatcher(LIB)
    topics = {"rapid-onset": 3.0}
    scored = {"depression-relief-within-hours": 0.30, "dissociation-is-temporary": 0.22}
    told = _told(other_treatment=0.7, rapid_onset=0.1, safety_short_term=0.2)
    assert m.pick(scored, topics, told)[0] is None
    sure = {**scored, "depression-relief-within-hours": 0.6}
    assert m.pick(sure, topics, told)[0] == "depression-relief-within-hours"


def test_the_shipped_model_reads_only_features_the_checker_makes() -> None:
    """Every weight names a feature topic_features can produce (a topic renamed in claims.yaml
    or a claim feature dropped without retraining fails here), every library topic is a class,
    and the file holds what benchmarks/train_topic.py writes (`--check` compares it byte for
    byte)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_topic as tt  # type: ignore[import-not-found]

    data = json.loads(resources.files("claimledger").joinpath("data/topic_model.json").read_text())
    topics = {c.topic for c in LIB.claims}
    assert topics <= set(data["topics"])
    own = (
        "cue:",
        "best:",
        "flag:",
        "match:",
        "near:",
        "claim:",
        "emb:",
        HINT,
        HEAD_HINT,
        ABOUT,
        HEADING,
    )
    prefixes = (*own, *BESIDE, *PLACE, *CONTEXT)
    for name in data["weights"]:
        assert name.startswith(prefixes), name
        head, _, tail = name.partition(":")
        if f"{head}:" in (
            "best:",
            "match:",
            "near:",
            "sec:",
            "prev:",
            "next:",
            HINT,
            HEAD_HINT,
            ABOUT,
        ):
            assert tail in topics, f"{name} names no library topic; retrain the model"
        assert len(data["weights"][name]) == len(data["topics"])
    assert data["l2"] == tt.L2 and data["l2_scale"] == tt.SCALE
    m = topic_model()
    assert isinstance(m, TopicModel) and m.topics == tuple(data["topics"])


def test_a_finding_the_model_reads_as_about_another_treatment_says_so() -> None:
    """A sentence naming no treatment that the topic model reads as about another one (topic
    other-treatment, no claim) is reported as about another treatment, not as a gap in the
    library; one matched to nothing on the product's topics still is."""
    from claimledger.copy.check import Finding
    from claimledger.reports.check import _head

    other = Finding(
        "The tablets took the edge off.", 0, 30, None, 0.1, None, topic="other-treatment"
    )
    assert _head(other) == "ABOUT ANOTHER TREATMENT · not matched to this library"
    named = Finding(
        "TMS helps.", 0, 10, None, 0.0, None, topic="other-treatment", other_treatment="tms"
    )
    assert _head(named).startswith("ABOUT ANOTHER TREATMENT (tms)")
    gap = Finding("It eases cravings.", 0, 18, None, 0.12, None, topic="other-indications")
    assert _head(gap).startswith("NOT IN LIBRARY · topic other-indications")


def test_a_finding_is_about_another_treatment_when_it_names_one_or_the_topic_model_reads_so() -> (
    None
):
    from claimledger.copy.check import Finding

    def finding(topic: str | None = None, other: str | None = None) -> Finding:
        s = "The tablets took the edge off."
        return Finding(s, 0, len(s), None, 0.1, None, topic=topic, other_treatment=other)

    assert finding(other="tms").about_other_treatment
    assert finding(topic="other-treatment").about_other_treatment
    assert not finding(topic="depression").about_other_treatment
    assert not finding().about_other_treatment


def test_compare_neighbours_trains_the_same_folds_without_their_vectors() -> None:
    """`train_topic.py --report --compare-neighbours` prints models with and without the
    neighbours' vectors from one run: the second set has no neighbour weights, the first has,
    and the module's NEIGHBOURS is left as it was."""
    import argparse

    import numpy as np

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_topic as tt

    def ex(writer: str, topic: str, k: int) -> object:
        v = np.eye(4, dtype=np.float32)[k]
        return tt.Example(
            writer, "s", topic, None, {"cue:x": float(k)}, v, {}, {}, True, None, None, True,
            np.zeros(4, dtype=np.float32), "s", np.concatenate([v, v]),
        )  # fmt: skip

    exs = [ex(w, t, k) for w in ("a", "b") for t, k in (("depression", 0), ("procedure", 1))]
    was = tt.NEIGHBOURS
    plain = tt._without_neighbours(exs, argparse.Namespace(groups=None, apart=None))
    full = tt._models(exs, None, None)
    assert was is tt.NEIGHBOURS
    assert not any(n.startswith(BESIDE) for mo in plain.values() for n in mo.weights)
    assert any(n.startswith(BESIDE) for mo in full.values() for n in mo.weights) == was


def test_a_sentence_s_phrasing_hints_its_topic_where_no_cue_names_it() -> None:
    """Lines written for this test: a result told as lasting, a life given back, a result dated
    by the visit it came after, a medicine's label; a logistics line hints at nothing."""
    hinted = {
        "Two years on, I am still doing well.": "durability",
        "The low days never came back.": "durability",
        "She went back to work last spring.": "quality-of-life",
        "It gave me my evenings back.": "quality-of-life",
        "Most people notice a change by the second infusion.": "rapid-onset",
        "The spray is indicated for adults, together with an oral antidepressant.": "regulatory",
    }
    for line, topic in hinted.items():
        assert topic in topic_hints(line), line
    assert topic_hints("We are open Monday to Friday, nine to five.") == frozenset()
    # every hint names a library topic (the model's classes)
    assert {t for line in hinted for t in topic_hints(line)} <= {c.topic for c in LIB.claims}


def test_topic_hints_reads_what_each_phrasing_pattern_finds_in_any_case() -> None:
    """topic_hints runs the phrasings on the lower-cased text through one index, kept for the
    page: the same topics as each topic's phrasings run with re.IGNORECASE on the text as it is
    (capitals, accents, a letter whose lower case is longer, an empty line), read again after
    the page is forgotten."""
    import re

    from claimledger.data.lexicon import load_lexicon
    from claimledger.library.lexicon import forget_texts

    table = load_lexicon("copy")["topic_hints"]
    separate = {t: re.compile("|".join(f"(?:{p})" for p in ps), re.I) for t, ps in table.items()}
    lines = [
        "TWO YEARS ON, I AM STILL DOING WELL.",
        "It Gave Me My Evenings Back.",
        "Most people notice a change BY THE SECOND INFUSION.",
        "İt's been six months and the fog is lifting.",
        "Café staff: we take your blood pressure every 15 minutes, same-day.",
        "The spray is Indicated for adults; the relief didn't wear off.",
        "We are open Monday to Friday, nine to five.",
        "",
    ]
    for line in lines:
        want = frozenset(t for t, rx in separate.items() if rx.search(line))
        assert topic_hints(line) == want, line
        forget_texts()
        assert topic_hints(line) == want, line


@pytest.mark.parametrize(
    ("line", "unhinted"),
    [
        (
            "Patients who have tried two antidepressants often respond to ketamine within hours.",
            "regulatory",
        ),
        ("Ketamine on its own can lift mood within hours.", "regulatory"),
        ("A ride home is required after each infusion.", "regulatory"),
        ("No referral is required.", "regulatory"),
        ("Ketamine is used safely as an anaesthetic in children.", "regulatory"),
        ("Ketamine may be right for you if two antidepressants have not helped.", "regulatory"),
        ("Side effects don't last: most fade within two hours.", "durability"),
        ("Staying hydrated before your session helps with nausea.", "durability"),
        ("We take most major insurance plans.", "procedure"),
    ],
)
def test_a_generic_word_is_no_topic_hint(line: str, unhinted: str) -> None:
    """An efficacy, safety or logistics line does not get the regulatory or durability hint for
    a word any page uses ("required", "on its own", "staying", "don't last")."""
    assert unhinted not in topic_hints(line)


@pytest.mark.parametrize(
    ("line", "topic"),
    [
        ("Spravato is indicated for adults with treatment-resistant depression.", "regulatory"),
        ("The spray is only available through a certified pharmacy under a REMS.", "regulatory"),
        ("Ketamine is not approved for use in children.", "regulatory"),
        ("The relief didn't wear off.", "durability"),
        ("It's been six months and the fog is lifting.", "durability"),
        ("It's been eighteen months since my last infusion.", "durability"),
        ("It's been a couple of years now.", "durability"),
        ("We take your blood pressure every 15 minutes.", "procedure"),
    ],
)
def test_a_topics_own_phrasing_keeps_its_hint(line: str, topic: str) -> None:
    """Number words as a class: any count of months or years is a result told as lasting."""
    assert topic in topic_hints(line)


def test_hints_are_features_a_model_without_their_weights_leaves_unweighted() -> None:
    f = topic_features({}, [], (None, None, None, None), {}, {}, {}, ["durability"])
    assert f == {f"{HINT}durability": 1.0}
    dim = meaning_vectors(["x"]).shape[1]
    vector = np.zeros(dim, dtype=np.float32)
    plain = TopicModel(("durability", "depression"), {"cue:depression": (0.0, 1.0)}, (0.0, 0.5))
    assert plain.probabilities(f, vector) == plain.probabilities({}, vector)
    weighed = TopicModel(("durability", "depression"), {f"{HINT}durability": (2.0, 0.0)}, (0, 0))
    assert weighed.probabilities(f, vector)["durability"] > 0.5


def test_the_checker_reads_a_sentence_s_hints_for_the_topic_model() -> None:
    page = PAGE + "Two years on, most of our patients are still doing well.\n"
    m = ClaimMatcher(LIB)
    judged, pg = judge_units(page)
    j = next(j for j in judged if j.unit.sentence.startswith("Two years on"))
    _, scores, _ = check._about(j.unit, j.scores, pg, domain())
    f = check.topic_inputs(j, scores, list(j.flags), pg, m, {}, {})
    assert f[f"{HINT}durability"] == 1.0
    # the monitoring line hints at how it is given, not at a lasting result
    other = next(j for j in judged if j.unit.sentence.startswith("A nurse stays"))
    read = check.topic_inputs(other, {}, [], pg, m, {}, {})
    assert {k for k in read if k.startswith(HINT)} == {f"{HINT}procedure"}


def test_the_topic_model_reads_what_the_page_is_about() -> None:
    """The share of the page's sentences whose strongest cue is each topic: a page of warnings
    tells the topic of its lines that name none."""
    warnings = (
        "Ketamine and your bladder\n\nRegular heavy use can damage the bladder.\n"
        "Cystitis from ketamine can be painful.\nKetamine can be addictive.\n"
        "Some people need support to stop.\n"
    )
    judged, page = judge_units(warnings)
    assert page.subjects == pytest.approx({"long-term-risk": 0.75, "dependence": 0.25})
    m = ClaimMatcher(LIB)
    j = next(j for j in judged if j.unit.sentence.startswith("Some people"))
    f = check.topic_inputs(j, {}, [], page, m, {}, {})
    assert f[f"{ABOUT}long-term-risk"] == 0.75 and f[f"{ABOUT}dependence"] == 0.25


def test_the_topic_model_reads_the_phrasing_of_the_heading_a_sentence_sits_under() -> None:
    page = "Will the relief last?\n\nFor most of our patients, yes, with a booster now and then.\n"
    judged, pg = judge_units(page)
    j = next(j for j in judged if j.unit.sentence.startswith("For most"))
    f = check.topic_inputs(j, {}, [], pg, ClaimMatcher(LIB), {}, {})
    assert f[f"{HEAD_HINT}durability"] == 1.0


def test_a_report_variant_drops_a_feature_group_and_sets_the_penalty() -> None:
    """`train_topic.py --report --without about: --l2 1e-3` measures the model without a feature
    group and with another penalty: the group's features leave every example, the others stay,
    and the folds train with that penalty. The meaning vectors are groups too ("head:" the
    heading's, "before:" the unit before's: zeroed), and a prefix naming no feature is refused
    (its row would measure nothing)."""
    import numpy as np
    import pytest

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_topic as tt

    def ex() -> Any:
        v = np.eye(4, dtype=np.float32)[0]
        return tt.Example(
            "a", "s", "depression", None,
            {"about:depression": 0.5, "cue:depression": 1.0, "hint:durability": 1.0},
            v, {}, {}, True, None, None, True, v.copy(), "s", np.concatenate([v, v]),
        )  # fmt: skip

    was = tt.L2
    try:
        e = ex()
        tt._variant([e], "about:,hint:", 1e-3)
        assert e.features == {"cue:depression": 1.0}
        assert tt.L2 == 1e-3
        tt.L2 = was
        e = ex()
        tt._variant([e], "head:,before:", None)
        assert not e.heading.any() and e.vector.any()
        assert not e.beside[:4].any() and e.beside[4:].any()
        assert was == tt.L2
        with pytest.raises(SystemExit):
            tt._variant([ex()], "abuot:", None)
    finally:
        tt.L2 = was


def test_disagreements_count_where_cue_rules_and_model_differ_and_who_is_right(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`train_topic.py --report --disagreements` counts, per labelled topic and part (rest of
    dev, the pages apart, the seeds), the claims the cue rules and the model read differently
    and how many each got right; it prints no sentence."""
    import numpy as np

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_topic as tt

    from claimledger.data.embedding import static_embedding

    def ex(writer: str, topic: str, cue: str) -> object:
        v = np.zeros(static_embedding().dim, dtype=np.float32)
        return tt.Example(
            writer, "secret words", topic, None, {}, v, {}, {}, False, cue, None, True,
            v.copy(), "s", np.concatenate([v, v]),
        )  # fmt: skip

    model = tt.TopicModel(("depression", "procedure"), {}, (1.0, 0.0))  # always depression
    exs = [ex("seeds", "procedure", "procedure"), ex("seeds", "depression", "procedure")]
    exs += [ex("15-24", "depression", "depression")]
    tt.disagreements(exs, {"seeds": model, "15-24": model}, "1015-1064")
    out = capsys.readouterr().out
    assert "seeds: cue rules and model disagree on 2: cue right 1, model right 1" in out
    assert "rest: cue rules and model disagree on 0" in out
    assert "secret" not in out
    tt.disagreements(exs, {"seeds": model, "15-24": model}, "")  # no pages apart: two parts
    out = capsys.readouterr().out
    assert "rest: cue rules and model disagree on 0" in out and "seeds: cue" in out
    assert out.count("disagree on") == 2


def test_the_error_classes_say_why_a_topic_was_wrong() -> None:
    """`train_topic.py --report --classes`: each labelled claim's decision in one class, and a
    page's coarse genre from its file name."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_topic as tt

    def ex(topic: str) -> Any:
        v = np.zeros(4, dtype=np.float32)
        return tt.Example(
            "a", "s", topic, None, {}, v, {}, {}, True, None, None, True, v, "s", None,
        )  # fmt: skip

    assert tt.error_class(ex("durability"), "durability", None) == "ok"
    assert tt.error_class(ex("durability"), None, None) == "no topic"
    assert tt.error_class(ex("other-treatment"), "depression", None).startswith("other-treatment")
    assert tt.error_class(ex("depression"), "other-treatment", None).startswith("product claim")
    assert tt.error_class(ex("rapid-onset"), "depression", "x") == "wrong topic, matched a claim"
    assert tt.error_class(ex("rapid-onset"), "depression", None).endswith("no claim matched")
    assert tt.genre("12-tms-vs-ketamine.md") == "comparison"
    assert tt.genre("01-clinic-faq.html") == "faq"
    assert tt.genre("08-history.txt") == "other"


def test_the_unmatched_rules_compare_the_model_with_section_cues_page_and_a_prior_shift(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`train_topic.py --report --unmatched`: a prior shift fitted on claims the model
    under-reads raises that topic and leaves a model that reads them right as it is; each
    unmatched claim is scored under every rule, per part, and no sentence is printed."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_topic as tt

    from claimledger.data.embedding import static_embedding

    def ex(writer: str, topic: str, feats: dict[str, float], cue: str) -> Any:
        v = np.zeros(static_embedding().dim, dtype=np.float32)
        return tt.Example(
            writer, "secret words", topic, None, feats, v, {}, {}, False, cue, None, True,
            v.copy(), "s", np.concatenate([v, v]),
        )  # fmt: skip

    topics = ("depression", "durability")
    lean = [(ex("a", "durability", {}, "x"), {"depression": 0.6, "durability": 0.4})] * 3
    assert tt._prior_shift(lean, topics)[1] > tt._prior_shift(lean, topics)[0]
    even = [(ex("a", t, {}, "x"), {"depression": 0.5, "durability": 0.5}) for t in topics]
    assert np.allclose(tt._prior_shift(even, topics), 0.0, atol=1e-6)
    model = tt.TopicModel(topics, {}, (1.0, 0.0))  # always depression
    exs = [
        ex("15-24", "durability", {"sec:durability": 1.0, "page:depression": 1.0}, "durability"),
        ex("25-34", "depression", {}, "durability"),
    ]
    tt.unmatched(exs, {"15-24": model, "25-34": model}, "1165-1234")
    out = capsys.readouterr().out
    assert "rest: 2 unmatched; model (check) 1; section, else model 2; cue rules 1;" in out
    assert "page condition, else model 1" in out and "secret" not in out
    # the model prefers depression by 0.46 (0.73 against 0.27): no margin lets the section in
    assert "section if within 0.2 1;" in out


def test_a_sweep_sets_a_pick_constant_in_turn_and_restores_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`train_topic.py --report --sweep TOPIC_KEEP=0.2`: a row for the shipped value and one per
    value, the constant restored after; a name that is not a pick constant is refused."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_topic as tt

    from claimledger.data.embedding import static_embedding

    v = np.zeros(static_embedding().dim, dtype=np.float32)
    e = tt.Example(
        "15-24", "secret words", "depression", None, {}, v, {}, {}, False, None, None, True,
        v.copy(), "s", np.concatenate([v, v]),
    )  # fmt: skip
    model = tt.TopicModel(("depression", "procedure"), {}, (1.0, 0.0))
    shipped = check.TOPIC_KEEP
    tt.sweep([e], {"15-24": model}, "1165-1234", "TOPIC_KEEP=0.2")
    out = capsys.readouterr().out
    assert f"TOPIC_KEEP {shipped} (shipped): rest topic 1 claim 0 lacked 0" in out
    assert "TOPIC_KEEP 0.2: rest topic 1" in out and "secret" not in out
    assert shipped == check.TOPIC_KEEP
    with pytest.raises(SystemExit):
        tt.sweep([e], {"15-24": model}, "", "L2=1")


def test_compare_without_trains_the_same_folds_without_a_feature_group() -> None:
    """`train_topic.py --report --compare-without hint:`: a column of models trained on the same
    folds without the group (the examples themselves keep it); a prefix naming no feature is
    refused (its column would measure nothing)."""
    import argparse

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_topic as tt

    def ex(writer: str, topic: str, k: int) -> Any:
        v = np.eye(4, dtype=np.float32)[k]
        feats = {"hint:durability": 1.0, "cue:depression": float(k)}
        return tt.Example(
            writer, "s", topic, None, feats, v, {}, {}, True, None, None, True, v, "s", np.concatenate([v, v]),
        )  # fmt: skip

    exs = [ex(w, t, k) for w in ("a", "b") for k, t in ((0, "durability"), (1, "depression"))]
    ns = argparse.Namespace(groups=None, apart=None)
    bare = tt._without_group(exs, "hint:", ns)
    assert set(bare) == {"a", "b"}
    assert not any(k.startswith("hint:") for mo in bare.values() for k in mo.weights)
    assert any(
        k.startswith("hint:") for mo in tt._models(exs, None, None).values() for k in mo.weights
    )
    assert all("hint:durability" in e.features for e in exs)
    with pytest.raises(SystemExit):
        tt._without_group(exs, "rival:", ns)


def test_topic_trees_refuses_a_saved_file_of_other_groups(tmp_path: Path) -> None:
    """`topic_trees.py --linear/--load F.npz` reads probabilities saved by another run only when
    that run had the same labels and groups (another --apart gives arrays of the same shape)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import topic_trees  # type: ignore[import-not-found]

    y = np.array([0, 1, 1], dtype=np.int64)
    f = tmp_path / "oof.npz"
    np.savez(f, lin=np.ones((3, 2)), trees=np.zeros((3, 2)), y=y, fold=np.array([0, 1, 2]))
    assert topic_trees._saved(f, y, [0, 1, 2])["trees"].shape == (3, 2)
    with pytest.raises(SystemExit):
        topic_trees._saved(f, y, [0, 0, 1])
    with pytest.raises(SystemExit):
        topic_trees._saved(f, np.array([0, 0, 1]), [0, 1, 2])
