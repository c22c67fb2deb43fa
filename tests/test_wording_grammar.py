"""Wording cues built from word classes by grammar (data/wording.yaml `word-classes`, `grammar`):
they hold for any word of a class, and stay off accurate statements of the same shape."""

from __future__ import annotations

import pytest

from claimledger.copy.wording import expand, lexicon_flags, quote_runs, wording


def codes(sentence: str, **kw: object) -> set[str]:
    return {f.code for f in lexicon_flags(sentence, **kw)}  # type: ignore[arg-type]


def test_a_word_class_expands_into_a_pattern_and_quantifiers_are_left() -> None:
    assert expand(r"\b{harm}\b(\w+ ){0,3}", {"harm": "(?:risk|harm)"}) == (
        r"\b(?:risk|harm)\b(\w+ ){0,3}"
    )
    assert wording().categories  # every class a category uses is defined


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        # any harm noun denied outright, not only "side effects"
        ("With us there are zero complications and no withdrawal.", "ABSOLUTE_SAFETY"),
        ("Our protocol carries no long-term organ damage.", "ABSOLUTE_SAFETY"),
        ("Zero lasting effects on memory or mood.", "ABSOLUTE_SAFETY"),
        ("It is no rougher on you than a glass of wine.", "MINIMISATION"),
        ("Our infusions have made antidepressants obsolete.", "COMPARATIVE_SUPERIORITY"),
        ("One session does the work of months of talk therapy.", "COMPARATIVE_SUPERIORITY"),
        ("A few people feel dizzy, but that's about it.", "MINIMISATION"),
        ("It won't ever lead to dependence.", "ABSOLUTE_SAFETY"),
        ("Ketamine is safe for every patient.", "ABSOLUTE_SAFETY"),
        # a minimising adverb before any sensation; a trivial comparison
        ("You may notice only a touch of wooziness.", "MINIMISATION"),
        ("The dizziness is no worse than a glass of wine.", "MINIMISATION"),
        ("These are just label warnings.", "MINIMISATION"),
        # a superlative of any evaluative adjective about a treatment or in an arena
        ("Ours is the gentlest infusion protocol in the state.", "PUFFERY"),
        ("We offer the most innovative treatment available.", "PUFFERY"),
        ("The results are truly phenomenal.", "PUFFERY"),
        # comparatives against any competitor; universals; promises
        ("Ketamine works faster and more reliably than pills.", "COMPARATIVE_SUPERIORITY"),
        ("Every single patient responds.", "UNQUALIFIED_EFFICACY"),
        ("You will feel calmer after one visit.", "UNQUALIFIED_EFFICACY"),
        ("It reverses years of damage.", "UNQUALIFIED_EFFICACY"),
        ("Infusions are guaranteed to work.", "UNQUALIFIED_EFFICACY"),
        # a figure about patients, a multiple, a vague majority
        ("Three times more patients recover with our protocol.", "UNSUPPORTED_FIGURE"),
        ("The vast majority of our clients report feeling better.", "UNSUPPORTED_FIGURE"),
    ],
)
def test_grammar_cues_hold_for_any_word_of_their_class(sentence: str, code: str) -> None:
    assert code in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Patients with no history of addiction may be eligible.",
        "Unlike ketamine, SGB causes no dissociation, so you stay fully yourself.",
        "It is not without side effects, and we will go through them with you.",
        "One of the most studied aspects of ketamine is its rapid onset.",
        "The most common side effects are nausea and dizziness.",
        "Ketamine was first made in 1962 by a chemist looking for a gentler anesthetic than PCP.",
        "Opioids dull pain but can cause tolerance and dependence over time.",
        "Blurred or double vision can happen during the session.",
        "The risk of seizure is very rare, estimated at less than 1 in 10,000 sessions.",
        "It was strange for twenty minutes and then I was just tired.",
        "Some patients achieve full remission after a series of infusions.",
        "This product is not intended to diagnose, treat, cure, or prevent any disease.",
        "We help people overcome depression with a plan made for them.",
    ],
)
def test_accurate_lines_of_the_same_shape_stay_unflagged(sentence: str) -> None:
    assert codes(sentence) == set()


def test_a_figure_is_supported_by_a_source_in_the_next_sentence_unless_it_is_in_house() -> None:
    figure = "About 70% of patients respond to a series of infusions."
    source = "That figure comes from a 2019 meta-analysis of randomised trials."
    assert "UNSUPPORTED_FIGURE" in codes(figure)
    assert "UNSUPPORTED_FIGURE" not in codes(figure, following=source)
    house = "In our own patient surveys, 91% of people reported improvement."
    assert "UNSUPPORTED_FIGURE" in codes(house, following=source)


@pytest.mark.parametrize(
    ("sentence", "treatment", "flagged"),
    [
        ("TMS is FDA-cleared for major depression and OCD.", "tms", False),
        ("TMS is FDA-cleared for PTSD.", "tms", True),
        ("Our formula is FDA-approved for anxiety.", "supplement", True),
        ("Psilocybin is not FDA-approved for depression.", "psilocybin", False),
        ("Fluoxetine was approved by the FDA in 1987.", "ssri", False),  # names no use
        ("HBOT is FDA-approved for decompression sickness and wound healing.", "hyperbaric", False),
        ("HBOT is FDA-approved for PTSD.", "hyperbaric", True),
        ("Once your insurer has approved TMS for depression, we book you in.", "tms", False),
    ],
)
def test_approval_claims_about_other_treatments_are_checked(
    sentence: str, treatment: str, flagged: bool
) -> None:
    assert ("APPROVAL_SCOPE" in codes(sentence, treatment=treatment)) is flagged


def test_terms_of_art_overstate_only_about_the_pages_product() -> None:
    line = "ECT is still the gold standard for the most severe depression."
    assert "PUFFERY" not in codes(line, own=False)
    assert "PUFFERY" in codes(line, own=True)


def test_an_item_under_a_told_intro_is_a_testimonial() -> None:
    intro = "After a series of infusions, clients tell us they experience:"
    assert "TESTIMONIALS_AS_PROOF" in codes("better sleep and less anxiety", context=intro)
    assert "TESTIMONIALS_AS_PROOF" not in codes("better sleep and less anxiety")


def test_quote_runs_group_the_sentences_of_one_quotation() -> None:
    runs = quote_runs(
        [
            '"I had panic attacks every day.',
            'Now I sleep through the night."',
            "Book now.",
            '"Fine."',
        ]
    )
    assert runs[0] == runs[1] is not None
    assert runs[2] is None and runs[3] is None


def test_a_testimonial_told_over_several_sentences_is_flagged_as_one() -> None:
    from claimledger.copy.check import judge_units

    page = (
        "Patient stories\n\n"
        '"I had panic attacks almost every day before ketamine. '
        "Work was impossible. "
        'My panic attacks are gone."\n\n'
        "Book a consultation today.\n"
    )
    judged, _ = judge_units(page)
    flagged = {
        j.unit.norm[:12]: "TESTIMONIALS_AS_PROOF" in {f.code for f in j.flags} for j in judged
    }
    assert flagged['"I had panic'] and flagged["Work was imp"] and flagged["My panic att"]
    assert not flagged["Book a consu"]


@pytest.mark.parametrize(
    "sentence",
    [
        "After my second infusion I finally bonded with my daughter.",  # a first-person story
        "Four weeks into Spravato, I was gardening with my grandkids again.",
        "Hundreds of five-star reviews prove it: ketamine works.",
        "Many of our patients walk out of their first infusion saying the weight has lifted.",
    ],
)
def test_first_person_stories_and_reviews_offered_as_proof(sentence: str) -> None:
    assert "TESTIMONIALS_AS_PROOF" in codes(sentence)


def test_a_first_person_side_effect_account_is_not_a_testimonial() -> None:
    assert codes("After my first infusion I felt a bit dizzy for an hour.") == set()


@pytest.mark.parametrize(
    ("sentence", "flagged"),
    [
        ("Spravato and IV ketamine are both FDA-approved for depression.", True),
        ("Because the two are chemically identical, the approval covers IV ketamine too.", True),
        ("Spravato is FDA-approved for every type of depression, at any age.", True),
        ("Unlike IV ketamine, Spravato is FDA-approved for treatment-resistant depression.", False),
        ("IV ketamine for depression is approved by the FDA, but insurers don't pay.", True),
        ("Once your insurance has approved IV ketamine, we book your first infusion.", False),
        ("No form of ketamine is FDA-approved for anxiety disorders.", False),
        ("The only FDA-approved form, Spravato, was approved in 2019.", False),
    ],
)
def test_approval_scope_read_by_grammar(sentence: str, flagged: bool) -> None:
    assert ("APPROVAL_SCOPE" in codes(sentence)) is flagged


@pytest.mark.parametrize(
    ("sentence", "product", "flagged"),
    [
        # a headline that names no product, on a page about IV ketamine (and no nasal spray)
        ("FDA-approved care for treatment-resistant depression", "ketamine", True),
        ("FDA-approved care for treatment-resistant depression", "esketamine", False),
        ("FDA-approved care for treatment-resistant depression", None, False),  # page names both
        # another treatment named: not the page's unnamed product
        (
            "Naltrexone and acamprosate already have FDA approval for alcohol use.",
            "ketamine",
            False,
        ),
        # conditions in the approval's own clause that it does not cover
        ("Ketamine is FDA-approved for anesthesia and chronic pain.", None, True),
        ("Ketamine is FDA-approved for anesthesia and is widely studied for pain.", None, False),
        ("Spravato is approved by the FDA for depression and PTSD.", None, True),
        ("Spravato is approved by the FDA for depression in adults.", None, False),
        # Spravato is approved for adults only
        ("Spravato is FDA-approved for teenagers with depression.", None, True),
        ("Spravato is FDA-approved for adults; it is not approved for teens.", None, False),
        ("Spravato is FDA-approved as a first-line treatment for depression.", None, True),
        ("Ketamine is FDA-approved for anesthesia and, as Spravato, for depression.", None, False),
        ("The FDA has recognized ketamine as a depression treatment.", None, True),
    ],
)
def test_approval_scope_of_an_unnamed_product_and_of_each_condition(
    sentence: str, product: str | None, flagged: bool
) -> None:
    got = "APPROVAL_SCOPE" in codes(sentence, treatment="ketamine", product=product)
    assert got is flagged


@pytest.mark.parametrize(
    "sentence",
    [
        'Myth: "One infusion fixes depression for good."',
        "60-day money-back guarantee.",
        "If you have tried medication after medication without lasting relief, you are not alone.",
        "Join a proven, physician-led model with turnkey protocols.",
        "Ketamine doesn't work for everyone, and about half of people in studies don't respond.",
    ],
)
def test_wording_that_is_not_asserted_or_not_about_health_stays_unflagged(sentence: str) -> None:
    assert codes(sentence) == set()


@pytest.mark.parametrize(
    "sentence",
    [
        "For mothers who can't wait weeks for a pill to kick in, ketamine is the answer.",
        "Ketamine switches off suicidal thinking overnight.",
        "Better focus and a brighter mood, starting with your very first capsule.",
        "And then the brain is rewiring itself in real time.",
    ],
)
def test_promises_read_by_grammar(sentence: str) -> None:
    assert "UNQUALIFIED_EFFICACY" in codes(sentence)


def test_a_rapid_onset_figure_said_with_can_is_not_a_promise() -> None:
    line = "Unlike SSRIs, which can take six weeks, ketamine can start working in as little as 24 hours."
    assert "UNQUALIFIED_EFFICACY" not in codes(line)


def test_an_fda_approval_of_a_treatment_with_none_is_flagged_without_a_condition() -> None:
    assert "APPROVAL_SCOPE" in codes("Our nootropic blend is FDA approved.", treatment="supplement")
    assert "APPROVAL_SCOPE" not in codes(
        "Our capsules are made in an FDA-registered facility.", treatment="supplement"
    )
    # TMS holds clearances: an approval that names no condition is not checked
    assert "APPROVAL_SCOPE" not in codes("TMS was cleared by the FDA in 2008.", treatment="tms")
