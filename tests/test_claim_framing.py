"""Editorial framing (claimmodel.framing_features): the SEO article's register, read as features."""

from __future__ import annotations

import pytest

from claimledger.copy.check import judge_units


def _features(sentence: str) -> dict[str, float]:
    judged, _ = judge_units(sentence)
    assert len(judged) == 1
    return dict(judged[0].features)


@pytest.mark.parametrize(
    ("sentence", "kinds"),
    [
        ("In this guide, we will explore how ketamine care came to be.", {"article", "announce"}),
        ("Let's take a closer look at the science behind infusion therapy.", {"announce"}),
        ("Understanding ketamine care requires looking at its history and its uses.",
         {"understanding"}),
        ("The story of ketamine is a fascinating one.", {"explore", "topic_praise"}),
        ("In conclusion, there is a lot to think about before booking a consult.", {"summary"}),
    ],
)  # fmt: skip
def test_a_framing_line_that_asserts_nothing_is_bare(sentence: str, kinds: set[str]) -> None:
    f = _features(sentence)
    assert {f"frame:{k}" for k in kinds} <= set(f)
    assert f["frame:bare"] == 1.0


@pytest.mark.parametrize(
    "sentence",
    [
        "In this post we explain why ketamine works within hours.",
        "As we've seen, studies show ketamine reduces suicidal thoughts within a day.",
        "In this article: ketamine is not addictive at clinical doses.",
    ],
)
def test_a_framing_line_that_carries_a_claim_is_not_bare(sentence: str) -> None:
    f = _features(sentence)
    assert any(k.startswith("frame:") for k in f)
    assert "frame:bare" not in f


@pytest.mark.parametrize(
    "sentence",
    [
        "We'll review your history before we start.",
        "We will discuss your options at the consult.",
        "Ketamine's effect on mood is remarkable.",
        "In this study, ketamine was given as an investigational drug.",
    ],
)
def test_clinic_process_and_claims_are_not_framing(sentence: str) -> None:
    assert not any(k.startswith("frame:") for k in _features(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "The story of ketamine began in 1962, when Calvin Stevens first synthesised it.",
        "In conclusion, ketamine offers real hope for people with treatment-resistant depression.",
        "PTSD is a complex condition, and ketamine gives many veterans relief.",
        "Let's explore the history of ketamine, first made in 1962.",
        "To sum up, infusions eased depression for most of the people we saw.",
        "As we have seen, the research suggests that ketamine eases anxiety.",
    ],
)
def test_framing_around_a_claim_is_not_bare(sentence: str) -> None:
    """The rest of the sentence, its framing removed, names a condition, an efficacy word, a
    year or number, or is a that-clause on a topic: the framing carries a claim."""
    f = _features(sentence)
    assert any(k.startswith("frame:") for k in f)
    assert "frame:bare" not in f


@pytest.mark.parametrize(
    "sentence",
    [
        "It's important to know that nausea and dizziness are possible after an infusion.",
        "It is worth noting that most patients need a series of six infusions.",
        "It's important to remember that Spravato must be taken under supervision at a "
        "certified centre.",
        "It is also essential to understand that relief may fade after a few weeks.",
    ],
)
def test_it_is_important_to_know_that_introduces_a_claim_not_framing(sentence: str) -> None:
    f = _features(sentence)
    assert "frame:understanding" not in f
    assert "frame:bare" not in f


@pytest.mark.parametrize(
    "sentence",
    [
        "As we delve into the intricacies of ketamine therapy, it is essential to understand "
        "its origins.",
        "Understanding ketamine therapy involves exploring its history",
        "The journey of ketamine from an anesthetic to an antidepressant is fascinating.",
        "It is important to understand the basics before we go further.",
        "This article explores the science behind ketamine therapy, its effectiveness, and "
        "what patients can expect.",
        "This guide walks you through everything that happens before an infusion.",
        "Keep reading to discover the top 7 benefits of ketamine therapy for anxiety.",
        "Final thoughts on ketamine for depression.",
    ],
)
def test_seo_framing_of_the_topic_stays_bare(sentence: str) -> None:
    """The topic, a condition, an efficacy noun naming the topic, a listicle's count or a
    relative "that" in the rest of the sentence is what the framing frames, not a claim."""
    assert _features(sentence)["frame:bare"] == 1.0


@pytest.mark.parametrize(
    "sentence",
    [
        "Our series of infusions is designed for treatment-resistant depression.",
        "This series of six weekly infusions is what most clinics offer.",
        "Our page for new patients lists what to bring.",
    ],
)
def test_a_clinics_own_course_of_care_is_not_the_article_naming_itself(sentence: str) -> None:
    f = _features(sentence)
    assert "frame:article" not in f
    assert "frame:bare" not in f


def test_the_article_naming_itself_is_framing_not_a_second_seo_cue() -> None:
    """framing.article owns "this guide", "read on": the genre cue seo_framing keeps the search
    and the listicle, so the two features are not the same evidence counted twice."""
    f = _features("In this article, we explain what a consult looks like, so read on.")
    assert "frame:article" in f
    assert "cue:seo_framing" not in f
    assert "cue:seo_framing" in _features("Searching for a ketamine clinic near me?")
