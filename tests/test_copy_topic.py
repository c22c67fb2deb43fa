"""What the page tells about a sentence's topic (copy/topic.py): its point, its section, and the
page's own treatment. Pages written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimledger.copy.check import check_text
from claimledger.copy.structure import domain, page_units
from claimledger.copy.topic import about_page_treatment, off_point, page_treatment, section_topics
from claimledger.library.claims import load_claims

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = load_claims(ROOT / "claims.yaml")


def _finding(text: str, sentence_start: str) -> object:
    found = [f for f in check_text("t", text, LIBRARY, {}).findings]
    return next(f for f in found if f.sentence.startswith(sentence_start))


def test_an_approval_sentence_is_not_the_efficacy_claim_for_the_condition_it_names() -> None:
    page = (
        "Ketamine for PTSD\n\n"
        "Ketamine may ease PTSD symptoms for some patients. "
        "Ketamine is not FDA-approved for PTSD, so any use for this condition is off-label.\n"
    )
    f = _finding(page, "Ketamine is not FDA-approved")
    assert f.topic == "regulatory"  # type: ignore[attr-defined]
    assert f.claim_id != "treats-ptsd"  # type: ignore[attr-defined]
    # the efficacy sentence beside it keeps its condition claim
    assert _finding(page, "Ketamine may ease").claim_id == "treats-ptsd"  # type: ignore[attr-defined]


def test_off_point_needs_a_strong_aspect_and_a_weak_claim_topic() -> None:
    d = domain()
    assert off_point("ptsd", {"regulatory": 4.4, "ptsd": 1.6}, d)
    assert not off_point("ptsd", {"regulatory": 4.4, "ptsd": 3.2}, d)  # close: both are points
    assert not off_point("ptsd", {"regulatory": 2.4, "ptsd": 0.5}, d)  # too weak to be the point
    assert not off_point("safety-short-term", {"depression": 6.0}, d)  # a condition, not an aspect
    # an approval claim for a sentence that never mentions approval ("Spravato is a breakthrough")
    assert off_point("regulatory", {"depression": 3.2}, d)
    assert not off_point("regulatory", {"depression": 3.2, "regulatory": 0.5}, d)
    assert not off_point("regulatory", {"procedure": 0.6}, d)  # no clear point of its own


def test_a_sentence_with_no_cue_takes_its_sections_topic() -> None:
    units = list(
        page_units("Side effects\n\nIt is over in minutes.\n\nWhy choose us\n\nWe care.\n")
    )
    scores = [{"safety-short-term": 3.2} if u.norm == "Side effects" else {} for u in units]
    assert section_topics(units, scores) == ["safety-short-term", "safety-short-term", None, None]


SUPPLEMENT = """NeuroCalm: the natural alternative

NeuroCalm capsules support a calm, focused mind. Our supplement blend is made from six herbs.
Ketamine infusions are expensive and need a clinic visit.
Tastes fine, easy to swallow, and I feel more even during the day.
"""


def test_a_sentence_naming_no_treatment_on_another_treatments_page_is_about_that_treatment() -> (
    None
):
    d = domain()
    units = list(page_units(SUPPLEMENT))
    assert page_treatment(units, d) == "supplement"
    last = units[-1]
    assert last.treatment == "ketamine"  # the reader's current treatment: the last one named
    assert about_page_treatment(last, "supplement", d)
    assert not about_page_treatment(last, "ketamine", d)  # on the product's own page it stays
    named = next(u for u in units if u.norm.startswith("Ketamine infusions"))
    assert not about_page_treatment(named, "supplement", d)


MEDSPA = """Feel better, look better

Ketamine infusions can ease depression for some adults when other treatments have not helped.
Botox temporarily relaxes the muscles that cause frown lines; results usually last three months.
Semaglutide is a weekly injection that can help adults lose weight alongside diet and exercise.
Ketamine has been FDA-approved as an anesthetic since 1970.
"""


def test_other_services_on_the_page_and_old_approvals_get_their_own_topics() -> None:
    assert _finding(MEDSPA, "Botox").other_treatment == "aesthetic"  # type: ignore[attr-defined]
    assert _finding(MEDSPA, "Semaglutide").other_treatment == "aesthetic"  # type: ignore[attr-defined]
    # an old approval is history or regulatory: the dev labels give this very sentence
    # regulatory once, and its close variants history 15 times and regulatory 8
    old = _finding(MEDSPA, "Ketamine has been FDA")
    assert old.topic in ("history", "regulatory")  # type: ignore[attr-defined]
    assert old.other_treatment is None  # type: ignore[attr-defined]
    ketamine = _finding(MEDSPA, "Ketamine infusions")
    assert ketamine.other_treatment is None  # type: ignore[attr-defined]
    assert ketamine.topic == "depression"  # type: ignore[attr-defined]


def _point(sentence: str) -> str | None:
    from claimledger.copy.check import aspect_first, best_topic, topic_scores

    d = domain()
    return best_topic(aspect_first(topic_scores(sentence, d), sentence, d))


def test_how_the_treatment_is_given_is_read_in_everyday_phrasings() -> None:
    # monitoring in the passive, screening told as a review of the patient's history
    assert (
        _point("Her oxygen and heart rate are watched closely for the whole visit.") == "procedure"
    )
    assert _point("Before the first dose, a doctor goes over your health history.") == "procedure"
    # a dose compared with an anaesthetic one, even on a depression page
    assert _point("For depression the dose is a small fraction of a surgical one.") == "procedure"
    assert _point("Infusions are given twice a week at first.") == "procedure"


def test_no_take_home_doses_is_about_misuse_and_a_refusal_list_about_who_should_not() -> None:
    assert _point("No doses are ever sent home with patients between visits.") == "dependence"
    assert _point("We will not treat you if you have had a recent stroke.") == "contraindications"


def test_two_failed_antidepressants_make_a_depression_sentence() -> None:
    assert _point("It is for people who have tried two or more antidepressants.") == "depression"


def test_effects_passing_within_hours_are_short_term_and_screening_for_a_condition_a_step() -> None:
    assert _point("Any dizziness tends to settle within an hour or so.") == "safety-short-term"
    assert _point("Each patient is screened carefully for psychosis and mania.") == "procedure"


def test_a_sentence_with_no_topic_cue_never_states_an_approval() -> None:
    d = domain()
    # naming the approved product is not stating its approval
    assert off_point("regulatory", {}, d)
    assert off_point("history", {}, d)
    assert not off_point("depression", {}, d)
    page = "Spravato at our clinic\n\n93% of our Spravato patients reach full remission.\n"
    f = _finding(page, "93% of our Spravato")
    assert f.claim_id != "esketamine-fda-approval-2019"  # type: ignore[attr-defined]


def test_the_timeframe_of_a_fading_or_lasting_effect_decides_durability_or_side_effect() -> None:
    # a result fading after days or weeks, or never coming back, is how long it lasts
    assert _point("The improvement usually fades within one to two weeks.") == "durability"
    assert _point("Three weeks on, it has not come back.") == "durability"
    assert _point("Most of our patients stay well after the first series.") == "durability"
    # an effect passing within minutes or hours is a side effect's course
    assert _point("The strange feelings last roughly forty minutes.") == "safety-short-term"


def test_a_risk_played_down_with_no_topic_word_is_about_safety() -> None:
    page = (
        "Ketamine for depression\n\n"
        "Ketamine can ease depression for some adults. "
        "Honestly, an infusion is no more intense than a glass of wine.\n"
    )
    f = _finding(page, "Honestly, an infusion")
    assert any(fl.code == "MINIMISATION" for fl in f.flags)  # type: ignore[attr-defined]
    assert f.topic == "safety-short-term"  # type: ignore[attr-defined]


def test_a_claim_bound_to_rarity_needs_a_sentence_that_says_rare() -> None:
    from claimledger.copy.topic import Qualifiers

    q = Qualifiers(
        {
            "harm-is-rare": (("Fainting is rare.", "rarely, patients faint"), ""),
            "causes-harm": (("It commonly causes fainting.",), ""),
        }
    )
    assert q.bound["harm-is-rare"] == {"rarity"} and not q.bound["causes-harm"]
    assert q.factor("harm-is-rare", q.of("Some patients faint.")) < 1.0
    assert q.factor("harm-is-rare", q.of("Fainting is uncommon.")) == 1.0
    assert q.factor("causes-harm", q.of("Fainting is uncommon.")) < 1.0
    page = (
        "Ketamine side effects\n\n"
        "Common effects include:\n\n"
        "- a brief rise in blood pressure or heart rate\n- mild nausea\n\n"
        "Your blood pressure may rise a little during the infusion.\n\n"
        "A rise in blood pressure or heart rate during an infusion is rare.\n"
    )
    for says_it_rises in ("a brief rise", "Your blood pressure may rise"):
        f = _finding_md(page, says_it_rises)
        assert f.claim_id == "raises-blood-pressure-heart-rate"  # type: ignore[attr-defined]
    rare = _finding_md(page, "A rise in blood pressure")
    assert rare.claim_id == "blood-pressure-rise-is-rare"  # type: ignore[attr-defined]


def _finding_md(text: str, sentence_start: str) -> object:
    found = check_text("t", text, LIBRARY, {}, kind="md").findings
    return next(f for f in found if f.sentence.lstrip("- ").startswith(sentence_start))


def test_a_short_answer_takes_its_questions_topic() -> None:
    from claimledger.copy.check import judge_units

    page = (
        "Ketamine FAQ\n\nCan it hurt my bladder?\n\nAt our doses it never happens.\n\n"
        "Is it habit-forming?\n\nWe have not seen that.\n"
    )
    sections = {j.unit.norm: j.section for j in judge_units(page)[0]}
    assert sections["At our doses it never happens."] == "long-term-risk"
    assert sections["We have not seen that."] == "dependence"
    f = _finding(page, "At our doses it never happens.")
    assert f.topic == "long-term-risk"  # type: ignore[attr-defined]


def test_everyday_phrasings_of_library_claims_meet_them() -> None:
    page = (
        "Ketamine for depression\n\n"
        "Ketamine may help adults whose depression has not improved with two antidepressants.\n\n"
        "Before your first infusion, a physician goes over your health history and medications.\n\n"
        "After the first series, many patients stay well, with occasional boosters.\n"
    )
    assert _finding(page, "Ketamine may help adults").claim_id == (  # type: ignore[attr-defined]
        "treats-treatment-resistant-depression"
    )
    assert _finding(page, "Before your first").claim_id == (  # type: ignore[attr-defined]
        "screening-before-treatment"
    )
    assert _finding(page, "After the first series").claim_id == (  # type: ignore[attr-defined]
        "benefits-last-months"
    )


def test_everyday_side_effect_names_meet_the_common_side_effects_claim() -> None:
    from claimledger.copy.check import ClaimMatcher

    m = ClaimMatcher(LIBRARY)
    scores = m.scores("A headache and some tiredness are common afterwards.")
    best = max(scores, key=lambda c: scores[c])
    assert best == "common-side-effects-transient"
    assert scores[best] >= 0.2  # the everyday names share the library claim's words


def test_safety_told_as_a_record_or_a_tolerance_meets_the_safety_claim() -> None:
    from claimledger.copy.check import ClaimMatcher

    m = ClaimMatcher(LIBRARY)
    for s in (
        "In over ten years we have never had a serious complication with ketamine.",
        "At low doses, ketamine is well tolerated by most adults.",
    ):
        assert m.match(s)[0] == "safe-in-clinical-setting"


def test_an_altered_state_in_everyday_words_meets_the_dissociation_claim() -> None:
    from claimledger.copy.check import ClaimMatcher

    m = ClaimMatcher(LIBRARY)
    assert m.match("Many people feel a little spaced out or out-of-body during a session.")[0] == (
        "dissociation-is-temporary"
    )


def test_a_sentence_naming_no_condition_takes_its_page_condition() -> None:
    from claimledger.copy.check import ClaimMatcher, topic_scores

    m = ClaimMatcher(LIBRARY)
    s = "Usually within a few hours."
    topics = topic_scores(s)
    on_depression = m.scores(s, topics, "depression")
    on_anxiety = m.scores(s, topics, "anxiety")
    # the claim of the page's condition agrees; a claim of another condition does not
    assert m.pick(on_depression, topics)[0] == "depression-relief-within-hours"
    assert (
        on_anxiety["depression-relief-within-hours"]
        < on_depression["depression-relief-within-hours"]
    )
    assert on_depression["anxiety-relief-within-hours"] < on_anxiety["anxiety-relief-within-hours"]


def test_a_timeframe_claim_of_the_sentence_condition_beats_the_bare_condition_claim() -> None:
    from claimledger.copy.check import ClaimMatcher, aspect_first, topic_scores

    m = ClaimMatcher(LIBRARY)
    s = "People with treatment-resistant depression often improve within a day of the first infusion."
    topics = aspect_first(topic_scores(s), s, domain())
    scored = m.scores(s, topics)
    # the condition claim shares more words, but says nothing of how fast
    assert max(scored, key=lambda c: scored[c]) == "treats-treatment-resistant-depression"
    assert m.pick(scored, topics, sentence=s)[0] == "depression-relief-within-hours"


def test_a_claim_that_states_its_timeframe_in_a_condition_topic_counts_as_timed() -> None:
    from claimledger.copy.check import ClaimMatcher, aspect_first, topic_scores

    m = ClaimMatcher(LIBRARY)
    s = "One infusion cut PTSD symptoms within 24 hours in a controlled trial."
    topics = aspect_first(topic_scores(s), s, domain())
    scored = m.scores(s, topics)
    assert max(scored, key=lambda c: scored[c]) == "treats-ptsd"
    # the PTSD claim that says how fast (filed under ptsd, not rapid-onset) is the one made
    assert m.pick(scored, topics, sentence=s)[0] == "ptsd-relief-within-24-hours"


def test_meaning_chooses_between_matched_claims_of_one_topic_only() -> None:
    from claimledger.copy.check import ClaimMatcher

    m = ClaimMatcher(LIBRARY)
    s = "A course is six infusions over two to three weeks."
    topics = {"procedure": 4.0}
    close = {"session-lasts-40-to-60-minutes": 0.40, "six-infusions-over-two-to-three-weeks": 0.38}
    assert m.pick(close, topics)[0] == "session-lasts-40-to-60-minutes"  # the words alone
    assert m.pick(close, topics, sentence=s)[0] == "six-infusions-over-two-to-three-weeks"
    # a claim of another topic, or one under the threshold, is no rival
    other = {"dissociation-is-temporary": 0.40, "six-infusions-over-two-to-three-weeks": 0.38}
    assert m.pick(other, {"safety-short-term": 4.0}, sentence=s)[0] == "dissociation-is-temporary"
    low = {"session-lasts-40-to-60-minutes": 0.40, "six-infusions-over-two-to-three-weeks": 0.2}
    assert m.pick(low, topics, sentence=s)[0] == "session-lasts-40-to-60-minutes"


def test_a_claims_score_does_not_depend_on_the_order_claims_are_scored_in() -> None:
    """Claims alike in topic and condition but not in timeframe (treats-ptsd and
    ptsd-relief-within-24-hours) agree differently with a sentence that says how fast."""
    import dataclasses

    from claimledger.copy.check import ClaimMatcher

    forward = ClaimMatcher(LIBRARY)
    backward = ClaimMatcher(dataclasses.replace(LIBRARY, claims=tuple(reversed(LIBRARY.claims))))
    for s in (
        "Patients with depression and PTSD often feel relief within hours.",
        "Depression and PTSD symptoms eased within 24 hours of one infusion.",
    ):
        a, b = forward.scores(s), backward.scores(s)
        assert a.keys() == b.keys()
        for cid in a:
            assert a[cid] == pytest.approx(b[cid]), (s, cid)


def test_each_condition_topic_declares_its_condition_and_a_wrong_one_is_refused() -> None:
    """The matcher's page condition comes from data/copy.yaml's declarations, checked when the
    lexicon is compiled, not read from the topics' names (where a name yielding no condition
    was silently dropped)."""
    import copy

    from claimledger.copy.structure import _check_declared
    from claimledger.data.lexicon import load_lexicon

    d = domain()
    assert set(d.topic_conditions) == d.condition_topics
    assert d.topic_conditions["chronic-pain"] == "pain"
    assert d.topic_conditions["other-indications"] is None  # declared mixed, not dropped
    assert d.timeframes == {"rapid-onset", "durability"}
    raw = copy.deepcopy(load_lexicon("copy"))
    raw["condition_topics"]["chronic-pain"] = "chronic pain"  # not a key of `conditions`
    with pytest.raises(ValueError, match="condition topic 'chronic-pain'"):
        _check_declared(raw)
    raw = copy.deepcopy(load_lexicon("copy"))
    raw["aspects"]["timeframes"].append("depression")  # a condition, not an aspect
    with pytest.raises(ValueError, match="timeframe 'depression'"):
        _check_declared(raw)
    raw["condition_topics"] = list(raw["condition_topics"])  # names without conditions
    with pytest.raises(ValueError, match="must map"):
        _check_declared(raw)


@pytest.mark.parametrize(
    "sentence",
    [
        "Our clinic is open six days a week.",
        "Unlike other options, the sessions are short.",  # a comparator opening, no name
    ],
)
def test_a_sentence_naming_no_treatment_names_none(sentence: str) -> None:
    # _find_named returns before its comparator reading when nothing is named (speed)
    from claimledger.copy.structure import _find_named

    assert _find_named(domain(), sentence) == ()


def test_a_sentence_naming_the_product_names_it() -> None:
    from claimledger.copy.structure import _find_named

    assert _find_named(domain(), "Ketamine works within hours.") == ("ketamine",)


def test_a_medicines_licence_is_its_regulatory_status_and_a_licensed_prescriber_is_not() -> None:
    # clinics outside the US say a medicine is licensed, or holds a licence
    assert _point("Ketamine given into a vein is not licensed for depression.") == "regulatory"
    assert _point("Ketamine holds a licence as an anaesthetic, not as an antidepressant.") == (
        "regulatory"
    )
    assert _point("Spravato has a UK marketing authorisation for adults.") == "regulatory"
    # staff and clinics are licensed too: that says nothing of the medicine
    assert _point("A licensed prescriber reviews your history before you start.") != "regulatory"
    assert _point("Our clinic holds a licence from the state health department.") is None
    # review of session 15: a person's or a clinic's licence after no medicine
    assert _point("Our psychiatrist is licensed in the United States and Canada.") != "regulatory"
    assert (
        _point("Our therapists have a licence to treat patients in three states.") != "regulatory"
    )
    assert _point("The clinic holds a licence for controlled drugs from the Home Office.") != (
        "regulatory"
    )
    assert _point("Esketamine is licensed in the UK for treatment-resistant depression.") == (
        "regulatory"
    )
