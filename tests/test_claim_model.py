"""The learned claim-likeness model and the wording concepts broadened in round two.

All copy here is written for these tests (no clinic's words)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from claimledger.copy.check import check_text, judge_units
from claimledger.copy.claimmodel import ClaimModel, claim_model, length_bucket, shape_features
from claimledger.copy.wording import answer_flags, dated_facts, fact_flag, lexicon_flags
from claimledger.library.claims import load_claims

LIBRARY = load_claims(Path(__file__).resolve().parents[1] / "claims.yaml")


def test_probability_follows_weights_and_threshold() -> None:
    m = ClaimModel({"a": 2.0, "b": -2.0}, 0.0, 0.6)
    assert m.probability({}) == pytest.approx(0.5)
    assert m.probability({"a": 1.0}) > 0.8 > 0.2 > m.probability({"b": 1.0})
    assert m.is_claim({"a": 1.0}) and not m.is_claim({})


@pytest.mark.parametrize(
    ("words", "bucket"), [(2, "fragment"), (6, "short"), (20, "ordinary"), (40, "long")]
)
def test_length_bucket(words: int, bucket: str) -> None:
    assert length_bucket(words) == bucket


def test_shipped_model_has_a_threshold_and_uses_the_rules() -> None:
    m = claim_model()
    assert 0.0 < m.threshold < 1.0
    assert m.weights["rule"] > 0  # round one's verdict is evidence, not the whole answer


PAGE = """Ketamine Care at Harbour Lane

Parking is free behind the building.

Ketamine infusions eased depressive symptoms within hours for many people in trials.

Call 555-0142 to book your first visit.
"""


def test_model_separates_a_claim_from_filler() -> None:
    judged, _ = judge_units(PAGE, "txt")
    m = claim_model()
    # the page's probabilities, as check reads them (with the shipped claim trees only the
    # page-level blend is scored)
    probs = m.page_probabilities([j.features for j in judged], [j.vector for j in judged])
    by_text = {j.unit.norm: p for j, p in zip(judged, probs, strict=True)}
    claim = next(p for s, p in by_text.items() if s.startswith("Ketamine infusions eased"))
    parking = next(p for s, p in by_text.items() if s.startswith("Parking"))
    assert claim >= m.threshold > parking
    found = [f.sentence for f in check_text("page", PAGE, LIBRARY, {}).findings]
    assert any(s.startswith("Ketamine infusions eased") for s in found)
    assert not any(s.startswith(("Parking", "Call")) for s in found)


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("Relief in hours, not weeks, for your low mood.", "UNQUALIFIED_EFFICACY"),
        ("A zero-risk path out of depression.", "ABSOLUTE_SAFETY"),
        ("The gentlest treatment for stubborn pain.", "PUFFERY"),
        ("Most guests notice a difference after one weekend.", "UNSUPPORTED_FIGURE"),
        ("61% of clients saw their scores drop.", "UNSUPPORTED_FIGURE"),
        ("Six in ten clients respond after two visits.", "UNSUPPORTED_FIGURE"),
        ("Practically no side effects, ever.", "ABSOLUTE_SAFETY"),
        ("Take your life back from chronic pain.", "UNQUALIFIED_EFFICACY"),
        ("A science-backed answer to low mood.", "UNQUALIFIED_EFFICACY"),
        ("Hardly any side effects compared with pills.", "MINIMISATION"),
    ],
)
def test_broadened_wording_concepts(sentence: str, code: str) -> None:
    assert code in {f.code for f in lexicon_flags(sentence)}


@pytest.mark.parametrize(
    "sentence",
    [
        "A 5% rise in blood pressure during the session is common.",
        "Relief may take several sessions for some people.",
        "Rare side effects include a brief rise in heart rate.",
    ],
)
def test_accurate_lines_stay_unflagged(sentence: str) -> None:
    assert lexicon_flags(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("Our drops have no harmful effects on the body.", "ABSOLUTE_SAFETY"),
        ("It's plant-based, so it's gentle and safe.", "ABSOLUTE_SAFETY"),
        ("You cannot overdose on a clinic dose.", "ABSOLUTE_SAFETY"),
        ("Say goodbye to your depression.", "UNQUALIFIED_EFFICACY"),
        ("The only method that addresses the root cause of low mood.", "UNQUALIFIED_EFFICACY"),
        ("Patients get immediate relief, often in the chair.", "UNQUALIFIED_EFFICACY"),
        ("This treatment will relieve your nerve pain.", "UNQUALIFIED_EFFICACY"),
        ("Infusions have transformed thousands of lives.", "PUFFERY"),
        ("The number one choice for stubborn low mood.", "PUFFERY"),
        ("The risks of a supervised dose are generally minimal.", "MINIMISATION"),
        ("Bladder damage is not a concern for clinic patients.", "MINIMISATION"),
        ("Three times more likely to respond than with pills.", "UNSUPPORTED_FIGURE"),
        ("A far safer route than daily tablets.", "COMPARATIVE_SUPERIORITY"),
        ("Unlike SSRIs, infusions leave no weight gain behind.", "COMPARATIVE_SUPERIORITY"),
        ("Our capsules give you the same benefits, without a needle.", "COMPARATIVE_SUPERIORITY"),
        ("Screening keeps patients safe and ensures their safety in the chair.", "ABSOLUTE_SAFETY"),
        ("A lasting solution for people who feel stuck.", "UNQUALIFIED_EFFICACY"),
        ("The only side effect is a little drowsiness.", "MINIMISATION"),
        ("Lozenges carry fewer side effects than daily pills.", "COMPARATIVE_SUPERIORITY"),
        (
            "Ketamine lozenges are approved by the U.S. Food and Drug Administration.",
            "APPROVAL_SCOPE",
        ),
    ],
)
def test_wording_categories_from_the_regulatory_list(sentence: str, code: str) -> None:
    assert code in {f.code for f in lexicon_flags(sentence)}


@pytest.mark.parametrize(
    "sentence",
    [
        "Side effects are usually mild and pass within the hour.",
        "Rare side effects include a brief rise in heart rate.",
        "No serious adverse events were reported in the trial.",
        "Relief may come within a day for some people.",
        "Psilocybin has an FDA breakthrough therapy designation for resistant depression.",
        "Ketamine has been approved by the FDA as an anaesthetic since 1970.",
    ],
)
def test_honest_risk_and_hedged_lines_stay_unflagged(sentence: str) -> None:
    assert lexicon_flags(sentence) == []


def test_a_dated_event_is_compared_with_the_library_whichever_claim_matched() -> None:
    facts = dated_facts([(c.id, c.statement) for c in LIBRARY.claims])
    wrong = fact_flag(
        "Spravato nasal spray was approved for adults with depression in 2015.", facts
    )
    assert wrong is not None and wrong.code == "DATE_DIFFERS_FROM_LIBRARY"
    assert wrong.message.startswith('"2015": the library dates this to 2019 (esketamine-fda')
    # ketamine's anaesthetic approval is another event; an expanded approval is a later one
    assert fact_flag("The FDA approved ketamine as an anaesthetic in 1970.", facts) is None
    assert fact_flag("In 2020 the Spravato approval was expanded to a new group.", facts) is None
    assert fact_flag("Spravato was approved in 2019 for resistant depression.", facts) is None
    page = "Spravato nasal spray\n\nThe FDA approved esketamine for anxious depression in 2015.\n"
    (finding,) = check_text("page", page, LIBRARY, {}).findings
    # the sourced record (data/facts.yaml) says it, with its source; the library's date is not repeated
    assert "MISSTATED_FACT" in {f.code for f in finding.flags}
    assert "DATE_DIFFERS_FROM_LIBRARY" not in {f.code for f in finding.flags}


def test_shape_features_read_the_kind_of_statement() -> None:
    claim = shape_features("In trials, patients reported less pain within two hours.")
    filler = shape_features("Call us today to book your first visit at our Main Street office.")
    assert {"cue:evidence_subject", "cue:population_subject", "cue:timeframe"} <= set(claim)
    assert "cue:call_to_action" in filler and "cue:first_person_plural" in filler
    assert "cue:call_to_action" not in claim and "cue:evidence_subject" not in filler


@pytest.mark.parametrize(
    "sentence",
    [
        '"I can finally sleep without waking at four."',
        '"For the first time in years I looked forward to the weekend."',
    ],
)
def test_a_quoted_first_person_result_is_a_testimonial(sentence: str) -> None:
    assert "TESTIMONIALS_AS_PROOF" in {f.code for f in lexicon_flags(sentence, quoted=True)}
    assert "TESTIMONIALS_AS_PROOF" not in {f.code for f in lexicon_flags(sentence[1:-1])}


def test_the_speakers_own_condition_said_to_have_ended_is_a_testimonial_quoted_or_not() -> None:
    """over21's rule reads the meaning (the speaker's condition gone since the treatment), not
    the quotation marks; a lift that did not hold stays unflagged."""
    sentence = "My panic attacks have mostly gone since the third visit."
    assert "TESTIMONIALS_AS_PROOF" in {f.code for f in lexicon_flags(f'"{sentence}"', quoted=True)}
    assert "TESTIMONIALS_AS_PROOF" in {f.code for f in lexicon_flags(sentence)}
    relapse = "My depression lifted for a while, but returned after a month."
    assert "TESTIMONIALS_AS_PROOF" not in {f.code for f in lexicon_flags(relapse)}


def test_a_markdown_heading_that_asks_opens_a_question_for_its_short_answer() -> None:
    from claimledger.copy.structure import page_units

    page = (
        "# Ketamine for trauma\n\n## Does ketamine wipe out memories?\n\n"
        "Not really. People still remember what happened.\n\n## Aftercare\n\nRest.\n"
    )
    units = {u.norm: u for u in page_units(page, "md")}
    assert units["Does ketamine wipe out memories?"].role == "question"
    assert units["Not really."].context == "Does ketamine wipe out memories?"
    assert units["People still remember what happened."].context == ""
    assert units["Rest."].context == ""  # under a plain heading, not a question


def test_dates_are_compared_event_by_event() -> None:
    facts = dated_facts([(c.id, c.statement) for c in LIBRARY.claims])
    # the first subject named is the one dated; a decade that overlaps the library's year fits
    accurate = [
        "Ketamine, the parent of esketamine, was approved as an anaesthetic in 1970.",
        "It was first developed in the 1960s and approved as an anaesthetic in 1970.",
        "Ketamine's antidepressant effect was first noticed in the early 2000s.",
        "A 2023 trial found a clear antidepressant effect.",
    ]
    for s in accurate:
        assert fact_flag(s, facts, "ketamine") is None, s
    wrong = "Doctors first noticed ketamine's antidepressant effect in the 1990s."
    flag = fact_flag(wrong, facts)
    assert flag is not None and "dates this to 2000s" in flag.message


@pytest.mark.parametrize(
    ("question", "answer", "code"),
    [
        ("Is it addictive?", "Never.", "ABSOLUTE_SAFETY"),
        ("Will it damage my bladder?", "Not at our doses.", "ABSOLUTE_SAFETY"),
        ("Is it safe?", "Totally.", "ABSOLUTE_SAFETY"),
        ("Is it faster than pills?", "Always.", "COMPARATIVE_SUPERIORITY"),
        ("Will the pain come back?", "Never.", "UNQUALIFIED_EFFICACY"),
        ("Will it work for me?", "Definitely.", "UNQUALIFIED_EFFICACY"),
        ("Are ketamine lozenges FDA-approved for anxiety?", "Yes.", "APPROVAL_SCOPE"),
    ],
)
def test_a_short_answer_is_read_with_its_question(question: str, answer: str, code: str) -> None:
    assert code in {f.code for f in answer_flags(question, answer)}


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Is it addictive?", "Not usually, at clinic doses."),
        ("Can I drive home?", "No."),
        ("Does it work for everyone?", "No."),
        ("Is it safe?", "No."),
        ("Can I keep my antidepressant?", "Usually, yes."),
    ],
)
def test_honest_short_answers_stay_unflagged(question: str, answer: str) -> None:
    assert answer_flags(question, answer) == []


def test_an_answer_carries_its_question_into_the_shape_features() -> None:
    plain = shape_features("Usually not.")
    answer = shape_features("Usually not.", "Do I need a ride home afterwards?")
    assert "answer" in answer and "answer" not in plain
    assert "cue:aftercare" in answer and "cue:aftercare" not in plain


def test_a_markdown_table_row_is_a_unit_under_its_header() -> None:
    from claimledger.copy.structure import page_units

    page = (
        "# Options compared\n\n| | Ketamine | Pills |\n|---|---|---|\n"
        "| Success rate | 85% | 40% |\n| Long-term risks | None | Weight gain |\n"
    )
    rows = [u for u in page_units(page, "md") if u.sentence.startswith("|") and u.norm]
    assert [u.norm for u in rows] == [
        "Ketamine Pills",
        "Success rate 85% 40%",
        "Long-term risks None Weight gain",
    ]
    assert [u.role for u in rows] == ["intro", "item", "item"]
    assert rows[1].context == "Ketamine Pills"
    assert "UNSUPPORTED_FIGURE" in {f.code for f in lexicon_flags(rows[1].norm)}
    assert "ABSOLUTE_SAFETY" in {f.code for f in lexicon_flags(rows[2].norm)}


def test_named_values_and_known_misstatements() -> None:
    facts = dated_facts([(c.id, c.statement) for c in LIBRARY.claims])
    wrong = fact_flag("It was given to wounded soldiers in the Korean War.", facts, "ketamine")
    assert wrong is not None and wrong.message.startswith('"Korean War": the library says')
    assert fact_flag("Medics used ketamine on soldiers in the Vietnam War.", facts) is None
    codes = {f.code for f in lexicon_flags("Ketamine sits in Schedule II with opioids.")}
    assert "MISSTATED_FACT" in codes
    assert lexicon_flags("Ketamine is a Schedule III controlled substance.") == []
    assert lexicon_flags("Psilocybin is a classic psychedelic, but ketamine is not.") == []


def test_a_result_in_reported_speech_is_a_testimonial() -> None:
    told = "After four visits, Dana says, she slept through the night for the first time in years."
    assert "TESTIMONIALS_AS_PROOF" in {f.code for f in lexicon_flags(told)}
    assert (
        lexicon_flags("Dr. Lee says the nurse checks your blood pressure every 15 minutes.") == []
    )


def test_page_scoring_equals_the_trained_features_and_reads_neighbours() -> None:
    from claimledger.copy.claimmodel import page_features

    judged, _ = judge_units(PAGE, "txt")
    feats, vecs = [j.features for j in judged], [j.vector for j in judged]
    m = ClaimModel({"rule": 1.0, "emb:000": 2.0, "nb:emb:001": -1.5, "nb:rule": 0.7}, -0.3, 0.5)
    fast = m.page_probabilities(feats, vecs)
    slow = [m.probability(f) for f in page_features(feats, vecs)]
    assert fast == pytest.approx(slow, abs=1e-12)
    # and with the page-context weights (section-mates, page-mates, role-crossed) measured
    # against an average unit, as the shipped model carries it
    context = {
        "rule": 1.0,
        "sec:rule": 0.9,
        "pg:clause": -0.8,
        "x:heading*capitalised": 1.3,
        "nb:x:heading*capitalised": -0.6,
        "sec:role:heading": -0.7,
    }
    prior = {"rule": 0.4, "clause": 0.7, "role:heading": 0.1, "cue:effect_verb": 0.3}
    m = ClaimModel(context, -0.3, 0.5, prior)
    fast = m.page_probabilities(feats, vecs)
    slow = [m.probability(f) for f in page_features(feats, vecs, prior)]
    assert fast == pytest.approx(slow, abs=1e-12)
    assert len(set(fast)) > 2  # the weights are read
    assert fast != pytest.approx(ClaimModel(context, -0.3, 0.5).page_probabilities(feats, vecs))
    full = page_features(feats, vecs)
    # the first unit's only neighbour is the second
    assert full[0]["nb:rule"] == judged[1].features["rule"]
    assert full[0]["emb:000"] == pytest.approx(float(vecs[0][0]))


def test_a_headlines_meaning_has_its_own_weights() -> None:
    from claimledger.copy.claimmodel import page_features

    judged, _ = judge_units(PAGE, "txt")
    feats, vecs = [j.features for j in judged], [j.vector for j in judged]
    heads = [i for i, j in enumerate(judged) if j.unit.role == "heading"]
    others = [i for i, j in enumerate(judged) if j.unit.role in ("body", "question")]
    assert heads and others
    m = ClaimModel({"rule": 1.0, "x:heading*emb:000": 3.0, "x:item*emb:001": -2.0}, -0.3, 0.5)
    fast = m.page_probabilities(feats, vecs)
    full = page_features(feats, vecs)
    assert fast == pytest.approx([m.probability(f) for f in full], abs=1e-12)
    plain = ClaimModel({"rule": 1.0}, -0.3, 0.5).page_probabilities(feats, vecs)
    assert all(fast[i] != pytest.approx(plain[i]) for i in heads if vecs[i][0])
    assert all(fast[i] == pytest.approx(plain[i]) for i in others)
    assert not any("*emb:" in k and k.startswith("nb:") for f in full for k in f)  # own only


def test_a_short_page_carries_little_page_context() -> None:
    """The mates' departure from the average unit is shrunk by how many there are: a unit alone
    has no context (the average page), two mates count 2/(2 + SHRINK) of what forty would."""
    import numpy as np

    from claimledger.copy.claimmodel import SHRINK, page_features
    from claimledger.data.embedding import static_embedding

    prior = {"rule": 0.5}
    unit = {"rule": 1.0}
    vec = np.zeros(static_embedding().dim, dtype=np.float32)
    (alone,) = page_features([unit], [vec], prior)
    assert not any(k.startswith(("sec:", "pg:")) for k in alone)
    short = page_features([unit] * 3, [vec] * 3, prior)[0]
    long = page_features([unit] * 41, [vec] * 41, prior)[0]
    assert short["pg:rule"] == pytest.approx(2 * 0.5 / (2 + SHRINK))
    assert long["pg:rule"] == pytest.approx(40 * 0.5 / (40 + SHRINK))
    m = ClaimModel({"pg:rule": 2.0}, 0.0, 0.5, prior)
    assert (
        m.page_probabilities([unit] * 3, [vec] * 3)[0]
        < m.page_probabilities([unit] * 41, [vec] * 41)[0]
    )


def test_entries_under_a_references_heading_are_references_until_the_next_heading() -> None:
    from claimledger.copy.structure import page_units

    page = (
        "# Ketamine and low mood\n\nKetamine eased low mood within hours in trials.\n\n"
        "## References\n\n- Doe J, et al. A randomized trial of ketamine in resistant "
        "depression. J Psychiatry. 2006.\n\n## Side effects\n\n- Nausea is common.\n"
    )
    roles = {u.norm: u.role for u in page_units(page, "md")}
    assert roles["A randomized trial of ketamine in resistant depression."] == "reference"
    assert roles["Ketamine eased low mood within hours in trials."] == "body"
    assert roles["Nausea is common."] == "item"
    found = [f.sentence for f in check_text("page", page, LIBRARY, {}).findings]
    assert not any("randomized trial" in s for s in found)


def test_an_intro_line_is_never_reported_by_the_model_its_items_are_read_with_it() -> None:
    # the intro's claim is said by its items, each read with the intro as context; writers
    # label the items (copy written for this test)
    page = (
        "Ketamine infusions, and what the trials found.\n\n"
        "The most common side effects in clinical trials were:\n\n"
        "- dizziness and a dreamy, detached feeling during the infusion\n"
        "- a short rise in blood pressure\n"
        "- nausea\n"
    )
    judged, _ = judge_units(page, "md")
    by_norm = {j.unit.norm: j for j in judged}
    intro = by_norm["The most common side effects in clinical trials were:"]
    assert intro.unit.role == "intro" and not intro.reportable
    item = by_norm["a short rise in blood pressure"]
    assert item.unit.context == intro.unit.norm and item.reportable
    found = [f.sentence for f in check_text("page", page, LIBRARY, {}).findings]
    assert "The most common side effects in clinical trials were:" not in found


def test_items_of_a_form_or_an_instruction_are_never_reported_by_the_model() -> None:
    # a checklist's choices and a call-if list's triggers read like claims with their intro,
    # but are a form and an instruction (copy written for this test)
    page = (
        "Before your first infusion.\n\n"
        "Tick any that apply:\n\n"
        "- high blood pressure that is not controlled\n"
        "- a history of psychosis\n\n"
        "Call us the same day if you have:\n\n"
        "- pain or burning when you pass urine\n\n"
        "Ketamine may ease depression within hours for some people:\n\n"
        "- many patients feel lighter after the first infusion\n\n"
        "Call us today if you would like:\n\n"  # a call to action, not an instruction
        "- a treatment that helped about half of trial patients with resistant depression\n\n"
        "Call us today if you are ready for:\n\n"  # calls to action too (review25 F3)
        "- relief that many patients notice within hours\n\n"
        "Call us if you have been looking for:\n\n"
        "- an option when antidepressants have not helped\n\n"
        "Call your doctor right away if you notice any of these symptoms:\n\n"
        "- a racing heartbeat that does not settle\n"
    )
    judged, _ = judge_units(page, "md")
    reportable = {j.unit.norm: j.reportable for j in judged if j.unit.role == "item"}
    assert reportable == {
        "high blood pressure that is not controlled": False,
        "a history of psychosis": False,
        "pain or burning when you pass urine": False,
        "many patients feel lighter after the first infusion": True,
        "a treatment that helped about half of trial patients with resistant depression": True,
        "relief that many patients notice within hours": True,
        "an option when antidepressants have not helped": True,
        "a racing heartbeat that does not settle": False,
    }


def test_grammar_features_read_who_the_subject_is_and_the_mood() -> None:
    from claimledger.copy.claimmodel import clause_head, grammar_features

    assert clause_head("At our Main Street clinic, we offer infusions.") == "we offer infusions."
    assert grammar_features("At our Main Street clinic, we offer infusions.") == {
        "subj:clinic": 1.0
    }
    assert "subj:staff" in grammar_features("Dr. Reyes has given anesthesia for twenty years.")
    assert "subj:staff" in grammar_features("Our registered nurses stay with you throughout.")
    assert grammar_features("Ketamine eases nerve pain for weeks.", treatment_named=True) == {
        "subj:treatment": 1.0
    }
    assert "subj:evidence" in grammar_features("Several small trials found less pain at a week.")
    assert "subj:population" in grammar_features("Most patients feel a change within a day.")
    told = grammar_features("Bring a list of your current medicines.")
    assert told.get("mood:imperative") == 1.0
    assert "mood:obligation" in grammar_features("You must not drive until the next day.")
    item = grammar_features("any imaging reports from the last two years", "Please bring:")
    assert item == {"mood:intro_imperative": 1.0}
    assert "mood:imperative" not in grammar_features("Take it or leave it?")
    assert grammar_features("— Dana R., patient since 2023") == {"attribution": 1.0}
    under = grammar_features("Each infusion is $450.", heading="Fees & Insurance")
    assert under == {"business_section": 1.0}


def _units(page: str) -> dict[str, dict[str, float]]:
    judged, _ = judge_units(page, "md")
    return {j.unit.norm: dict(j.features) for j in judged}


def test_structure_features_read_what_kind_of_line_a_unit_is() -> None:
    # copy written for this test
    page = (
        "# Safe. Gentle. Proven.\n\n"
        "## How It Works\n\n"
        "## Feel Like Yourself Again Within Days\n\n"
        "## Our Approach\n\n"
        '> "I was terrified the first time I walked in."\n\n'
        "Chronic pain affects one adult in five.\n\n"
        "Infusions are overseen by board-certified anesthesiologists.\n\n"
        "Each infusion costs $450.\n\n"
        "| Plan | Sessions |\n|---|---|\n| Starter | 6 |\n\n"
        "Ketamine eases nerve pain for weeks in many patients.\n"
    )
    f = _units(page)
    assert {"frag:stopped", "frag:tagline"} <= set(f["Safe."])  # one line, three fragments
    assert "head:wh" in f["How It Works"]
    assert not _recall(f["How It Works"])  # a section's label, though "works" is in it
    assert "mood:benefit_imperative" in f["Feel Like Yourself Again Within Days"]
    assert "frag:bare" in f["Our Approach"] and "frag:tagline" not in f["Our Approach"]
    told = next(v for k, v in f.items() if k.startswith('"I was terrified'))
    assert {"tense:past", "narr:first_past"} <= set(told)
    assert "subj:condition" in f["Chronic pain affects one adult in five."]
    assert "agent:by" in f["Infusions are overseen by board-certified anesthesiologists."]
    assert "price" in f["Each infusion costs $450."]
    assert "table_row" in f["Starter 6"]
    claim = f["Ketamine eases nerve pain for weeks in many patients."]
    assert not {"frag:stopped", "frag:bare", "subj:condition", "price", "tense:past"} & set(claim)


def test_recall_features_read_claims_said_without_a_claims_shape() -> None:
    # copy written for this test: a Title Case headline or a fragment naming a condition, an
    # outcome or a promise, and what another treatment does, get "rc:" features; a nav label, a
    # call to action and a section label do not; a bare "No." answer names nothing itself
    page = (
        "# Quiet Relief From Dark Thoughts\n\n"
        "One visit. Real change.\n\n"
        "Safe. Gentle. Proven.\n\n"
        "## Contact Us Today\n\n"
        "## Our Team\n\n"
        "Electroconvulsive therapy improves severe depression in most patients.\n\n"
        "Ketamine is given by infusion over forty minutes.\n\n"
        "## 1962: A safer cousin of PCP\n\n"
        "Why is ketamine the safest antidepressant there is?\n\n"
        "## Will I need to stop my other medicines?\n\n"
        "No.\n"
    )
    f = _units(page)
    assert "rc:title_about" in f["Quiet Relief From Dark Thoughts"]
    assert "rc:dated" in f["1962: A safer cousin of PCP"]  # a timeline entry
    assert "rc:question_asserts" in f["Why is ketamine the safest antidepressant there is?"]
    assert not {"rc:fragment_about", "rc:promise"} & set(f["No."])  # its question names it
    assert "rc:fragment_about" in f["Real change."]  # an outcome named, no verb
    assert "rc:promise" in f["Proven."]
    for label in ("Contact Us Today", "Our Team"):
        assert not [k for k in f[label] if k.startswith("rc:")]
    other = f["Electroconvulsive therapy improves severe depression in most patients."]
    assert "rc:other_says" in other
    assert "rc:other_says" not in f["Ketamine is given by infusion over forty minutes."]


def _recall(f: dict[str, float]) -> list[str]:
    return [k for k in f if k.startswith("rc:")]


def test_recall_features_need_more_than_the_products_name() -> None:
    # copy written for this test (a reviewer's probes): on a product's site every nav label,
    # footer, price line and FAQ question names the product; none of them claims. Headlines,
    # fragments and questions that promise an outcome still get their rc: features.
    page = (
        "# Fast Relief From Dark Thoughts With IV Therapy\n\n"
        "## How It Works\n\n"
        "## Schedule Your Ketamine Consultation\n\n"
        "## Ketamine Pricing and Insurance\n\n"
        "## What to Expect at Your First Ketamine Infusion\n\n"
        "## Conditions We Treat\n\n"
        "## Same-Day Appointments Available\n\n"
        "Clinically reviewed by Dr. Maria Lopez, MD.\n\n"
        "## FAQ\n\n"
        "### Is ketamine right for me?\n\nYour doctor will decide with you.\n\n"
        "### How much does ketamine cost?\n\nAsk our front desk.\n\n"
        "### Does insurance cover ketamine?\n\nAsk our front desk.\n\n"
        "### Why is ketamine the safest option there is?\n\n"
        "Denver Ketamine Clinic | 123 Main St, Denver CO 80202\n\n"
        "© 2026 Denver Ketamine Clinic.\n"
    )
    f = _units(page)
    assert {"rc:title_about", "rc:promise"} <= set(
        f["Fast Relief From Dark Thoughts With IV Therapy"]
    )
    assert "rc:question_asserts" in f["Why is ketamine the safest option there is?"]
    for line in (
        "How It Works",
        "Schedule Your Ketamine Consultation",
        "Ketamine Pricing and Insurance",
        "What to Expect at Your First Ketamine Infusion",
        "Conditions We Treat",
        "Same-Day Appointments Available",
        "Clinically reviewed by Dr. Maria Lopez, MD.",
        "Is ketamine right for me?",
        "How much does ketamine cost?",
        "Does insurance cover ketamine?",
        "Denver Ketamine Clinic | 123 Main St, Denver CO 80202",
        "© 2026 Denver Ketamine Clinic.",
    ):
        assert not _recall(f[line]), line


def test_a_dated_entry_is_a_year_and_an_event_not_a_footer_or_a_number() -> None:
    # copy written for this test: a timeline's entries get rc:dated; a copyright footer, a
    # range of years, a full date and a phone number do not
    page = (
        "1962: A safer cousin of PCP is synthesised.\n\n"
        "2019 - FDA approves esketamine.\n\n"
        "© 2026 - Denver Ketamine Clinic\n\n"
        "2019-2024 Denver Ketamine Clinic, all rights reserved.\n\n"
        "2024-03-15: Clinic opens on Saturdays\n\n"
        "1800-555-0199 — call us any time.\n"
    )
    f = _units(page)
    assert "rc:dated" in f["1962: A safer cousin of PCP is synthesised."]
    assert "rc:dated" in f["2019 - FDA approves esketamine."]
    for line in (
        "© 2026 - Denver Ketamine Clinic",
        "2019-2024 Denver Ketamine Clinic, all rights reserved.",
        "2024-03-15: Clinic opens on Saturdays",
        "1800-555-0199 — call us any time.",
    ):
        assert "rc:dated" not in f[line], line


def test_what_another_treatment_does_is_not_where_or_how_it_is_had() -> None:
    # copy written for this test: another treatment's effect gets rc:other_says; the clinic
    # offering it, or what it takes to get it, does not
    page = (
        "SSRIs take six weeks to work.\n\n"
        "Our clinic also offers TMS therapy on weekdays.\n\n"
        "SSRIs require a prescription from your primary care doctor.\n"
    )
    f = _units(page)
    assert "rc:other_says" in f["SSRIs take six weeks to work."]
    assert "rc:other_says" not in f["Our clinic also offers TMS therapy on weekdays."]
    assert "rc:other_says" not in f["SSRIs require a prescription from your primary care doctor."]


def test_a_tagline_of_claim_fragments_outscores_a_section_label() -> None:
    # "Safe. Gentle. Proven." as a hero line says what the treatment is; "Side Effects" names a
    # section (copy written for this test)
    page = (
        "# Ketamine Infusions in Harbour Lane\n\nSafe. Gentle. Proven.\n\n## Side Effects\n\n"
        "Some patients feel dizzy for an hour after an infusion.\n"
    )
    judged, _ = judge_units(page, "md")
    probs = claim_model().page_probabilities(
        [j.features for j in judged], [j.vector for j in judged]
    )
    p = {j.unit.norm: q for j, q in zip(judged, probs, strict=True)}
    assert p["Proven."] > p["Side Effects"]


def test_context_features_read_the_intro_line_and_heading_word_classes() -> None:
    from claimledger.copy.claimmodel import context_features
    from claimledger.copy.structure import page_units

    text = (
        "What You'll Bring\n\nPlease bring:\n- a list of your current medicines\n\n"
        "Does insurance cover it?\n\nUsually not.\n"
    )
    units = {u.norm: u for u in page_units(text)}
    item = context_features(units["a list of your current medicines"])
    # the item inherits the intro's mood and the heading's second person, as word classes only
    assert item == {"ctx:mood:imperative": 1.0, "hd:cue:second_person": 1.0}
    assert context_features(units["Please bring:"]) == {"hd:cue:second_person": 1.0}
    # a heading reads no heading; an answer's question is read with the answer, not here
    assert context_features(units["What You'll Bring"]) == {}
    assert not any(k.startswith("ctx:") for k in context_features(units["Usually not."]))


def test_unit_features_carry_the_context_line_classes() -> None:
    from claimledger.copy.check import judge_units

    judged, _ = judge_units("Clients come to me with:\n- grief that feels frozen\n")
    item = next(j for j in judged if j.unit.role == "item")
    # who the list is about and who speaks, read from the intro line the item sits under
    assert item.features["ctx:subj:population"] == 1.0
    assert item.features["ctx:cue:first_person_singular"] == 1.0
    assert "ctx:subj:population" not in judge_units("Ketamine can ease:\n- grief\n")[0][1].features


def test_context_features_say_whether_the_heading_is_about_a_condition_alone() -> None:
    from claimledger.copy.claimmodel import context_features
    from claimledger.copy.structure import page_units

    text = (
        "What Is Chronic Pain?\n\nIt can start after an injury.\n\n"
        "Ketamine for Chronic Pain\n\nInfusions may ease nerve pain for weeks.\n"
    )
    units = {u.norm: u for u in page_units(text)}
    about_condition = context_features(units["It can start after an injury."])
    assert about_condition.get("hd:cond_only") == 1.0 and "hd:named" not in about_condition
    about_treatment = context_features(units["Infusions may ease nerve pain for weeks."])
    assert about_treatment.get("hd:named") == 1.0 and "hd:cond_only" not in about_treatment


@pytest.mark.parametrize(
    ("sentence", "family", "found"),
    [
        ("If you have been searching for a clinic near me, keep reading.", "seo_framing", True),
        ("In this complete guide we cover the 7 benefits of infusions.", "seo_framing", True),
        ("Ketamine eased symptoms within hours in two trials.", "seo_framing", False),
        ('"We screen everyone first," she said.', "reported_speech", True),
        ("Most patients feel a change within a day.", "reported_speech", False),
    ],
)
def test_genre_cues_mark_seo_framing_and_reported_speech(
    sentence: str, family: str, found: bool
) -> None:
    assert (f"cue:{family}" in shape_features(sentence)) is found


@pytest.mark.parametrize(
    ("sentence", "family", "found"),
    [
        ("People come to us for help with:", "audience", True),
        ("Who we work with", "audience", True),
        ("You may be a good candidate if two antidepressants have not helped.", "audience", True),
        ("Ketamine eased depression within a day in most trials.", "audience", False),
        ("We pair infusions with integration therapy.", "service", True),
        ("The app connects you with a licensed clinician by video.", "service", True),
        ("Ketamine blocks NMDA receptors in the brain.", "service", False),
    ],
)
def test_audience_and_service_cues_mark_who_a_clinic_is_for_and_what_it_offers(
    sentence: str, family: str, found: bool
) -> None:
    assert (f"cue:{family}" in shape_features(sentence)) is found


def test_an_item_under_an_audience_intro_reads_it_as_context() -> None:
    from claimledger.copy.check import judge_units

    judged, _ = judge_units("People come to us for help with:\n- anxiety and chronic worry\n")
    item = next(j for j in judged if j.unit.role == "item")
    assert item.features["ctx:cue:audience"] == 1.0


def _block_reader(text: str) -> Callable[[str], set[str]]:
    """The block features (claimmodel.block_features) of each unit of ``text``, by its text."""
    from claimledger.copy.claimmodel import block_features
    from claimledger.copy.structure import page_units

    units = {u.norm: u for u in page_units(text)}
    return lambda norm: set(block_features(units[norm]))


def test_block_features_read_what_kind_of_block_a_line_sits_in() -> None:
    text = (
        "Kenji, 63 — retired engineer\n\n> The nurses never once made me feel rushed.\n\n"
        "Posted on May 1, 2026 by Clear Harbor\n\nThis year we wanted to try something new.\n\n"
        "Section B. Health history\n\nTell us about any heart disease.\n\n"
        "In this episode\n\n- (09:45) What the trials show\n\n"
        "How it works\n\n1. You check in with the nurse.\n\n"
        "How Ketamine Works\n\nKetamine blocks NMDA receptors in the brain.\n"
    )
    blocks = _block_reader(text)

    assert blocks("The nurses never once made me feel rushed.") == {"blk:person_heading"}
    assert blocks("This year we wanted to try something new.") == {"blk:byline_heading"}
    assert blocks("Tell us about any heart disease.") == {"blk:form"}
    assert "blk:index" in blocks("(09:45) What the trials show")
    assert blocks("You check in with the nurse.") == {"blk:step"}
    # a claim under a plain heading sits in no such block, and a heading reads no heading
    assert blocks("Ketamine blocks NMDA receptors in the brain.") == set()
    assert blocks("Posted on May 1, 2026 by Clear Harbor") == set()


def test_block_features_need_a_name_a_byline_or_a_lettered_section_not_their_look_alikes() -> None:
    """Review 17: a heading with a number is no person with an age, "By the Numbers" is no
    byline, and a sentence opening "Part of ..." or "Section on ..." is no form section."""
    text = (
        "Top 10 Questions About Ketamine\n\nMost patients feel the first effects within hours.\n\n"
        "Over 65? What to Know\n\nOlder adults need a lower starting dose.\n\n"
        "By the Numbers\n\nWe have given 4,000 infusions since 2019.\n\n"
        "Why it differs\n\nPart of what makes ketamine different is its speed.\n\n"
        "Section on side effects and what they mean for you.\n\n"
        "By Dr. Maria Lopez\n\nKetamine was first made in 1962.\n\n"
        "Part A\n\nList every medicine you take.\n"
    )
    blocks = _block_reader(text)

    assert blocks("Most patients feel the first effects within hours.") == set()
    assert blocks("Older adults need a lower starting dose.") == set()
    assert blocks("We have given 4,000 infusions since 2019.") == set()
    assert blocks("Part of what makes ketamine different is its speed.") == set()
    assert blocks("Section on side effects and what they mean for you.") == set()
    # the real shapes still read as blocks
    assert blocks("Ketamine was first made in 1962.") == {"blk:byline_heading"}
    assert blocks("List every medicine you take.") == {"blk:form"}


def test_subject_and_mood_get_their_own_weights_in_a_quotation_item_or_headline() -> None:
    from claimledger.copy.claimmodel import with_context

    quote = {"role:quote": 1.0, "subj:staff": 1.0, "mood:imperative": 1.0}
    body = {"role:body": 1.0, "subj:staff": 1.0}
    crossed_quote, crossed_body = with_context([quote, body])
    assert crossed_quote["x:quote*subj:staff"] == 1.0
    assert crossed_quote["x:quote*mood:imperative"] == 1.0
    assert not any(k.startswith("x:") for k in crossed_body)
