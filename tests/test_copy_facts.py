"""Misstated facts against the sourced table of data/facts.yaml (copy/facts.py).

The sentences are written for these tests (none is taken from the dev pages); each pair is a
wrong date or statement and the accurate form of the same fact.
"""

from __future__ import annotations

import pytest

from claimledger.copy.facts import fact_check, facts, page_subjects
from claimledger.copy.structure import page_units
from claimledger.copy.wording import page_flags
from claimledger.data.lexicon import load_lexicon

KETAMINE_PAGE = ("ketamine",)
BOTH = ("ketamine", "esketamine")

WRONG = [
    ("The FDA first cleared TMS for major depression in 2001.", (), None, "2001"),
    ("Ketamine has held FDA approval since 1962.", (), None, "1962"),
    ("Spravato received FDA approval in 2017 for hard-to-treat depression.", (), None, "2017"),
    ("The FDA approved it for surgical anesthesia in 1981.", KETAMINE_PAGE, "ketamine", "1981"),
    ("It was a field anesthetic in the Second World War.", KETAMINE_PAGE, "ketamine", "war"),
    ("Ketamine has relieved pain for more than 90 years.", (), None, "90 years"),
    ("Ketamine is a natural medicine from the rainforest.", (), None, "natural medicine"),
    ("After the first two doses, you can continue Spravato at home.", (), None, "at home"),
    ("We observe you for 45 minutes after each Spravato treatment.", (), None, "45 minutes"),
    ("Ketamine became a controlled substance in 2006.", (), None, "2006"),
    ("Prozac was approved in 1979.", (), None, "1979"),
    ("Zurzuvae, the first pill for postpartum depression, was approved in 2021.", (), None, "2021"),
    ("The DEA approved ketamine for medical use.", (), None, "DEA approved"),
    ("Approved since 2014!", BOTH, "ketamine", "2014"),  # a bare approval on a ketamine page
    ("It was invented in 1975 for the army.", KETAMINE_PAGE, "ketamine", "1975"),
    ("Psilocybin is federally legal for adults now.", (), None, "federally legal"),
    ("Ketamine is an opioid painkiller that works fast.", (), None, "opioid"),
    ("ECT was first introduced in the 1960s.", (), None, "1960s"),
    ("The FDA has banned ketamine for depression.", (), None, "banned"),
    ("Ketamine is just a synthetic form of LSD.", (), None, "lsd"),
    # session 23 (over24): two events dated in one sentence, each date compared with its own
    (
        "Ketamine was first synthesized in 1956 and was approved by the FDA in 1970.",
        (),
        None,
        "1956",
    ),
    (
        "The FDA approved it in 1970, years after it was first made in 1951.",
        KETAMINE_PAGE,
        "ketamine",
        "1951",
    ),
    (
        "Ketamine is not a controlled substance, so any doctor can prescribe it.",
        (),
        None,
        "controlled",
    ),
    ("Spravato is a Schedule II drug.", (), None, "schedule ii"),
    ("You can pick up Spravato at your local pharmacy.", (), None, "pharmacy"),
    ("TMS is done under general anesthesia.", (), None, "anesthesia"),
    ("ECT is done without anesthesia these days.", (), None, "without anesthesia"),
    (
        "Its antidepressant power was found by accident when surgery patients woke up happier.",
        KETAMINE_PAGE,
        "ketamine",
        "by accident",
    ),
    # eighth session
    ("Ketamine's discovery in 1949 changed anesthesia.", (), None, "1949"),
    ("The first double-blind trial of ketamine for depression ran in 1991.", (), None, "1991"),
    (
        "The FDA approved it in 1963, and it then went to Vietnam.",
        KETAMINE_PAGE,
        "ketamine",
        "1963",
    ),
    ("In 1999 the FDA reclassified ECT machines.", (), None, "1999"),
    ("The FDA has now approved psilocybin for anxiety.", (), None, "approved"),
    ("Psilocybin sits on the WHO list of essential medicines.", (), None, "essential"),
    ("Ketamine is basically just a street drug with a prescription label.", (), None, "street"),
    ("Ketamine has no legitimate medical use.", (), None, "medical use"),
    ("Spravato is the first medicine approved to prevent suicide.", (), None, "prevent suicide"),
    ("Oregon legalized psilocybin therapy by a vote in 2012.", (), None, "2012"),
    (
        "Oregon legalized psilocybin in 2020, and the FDA approved it in 2023.",
        ("psilocybin",),
        "psilocybin",
        "fda approved",
    ),
]

RIGHT = [
    ("The FDA first cleared TMS for major depression in 2008.", (), None),
    ("Ketamine has held FDA approval as an anesthetic since 1970.", (), None),
    ("Spravato received FDA approval in 2019 for treatment-resistant depression.", (), None),
    (
        "In 2020 the FDA extended the Spravato label to people with acute suicidal thoughts.",
        (),
        None,
    ),
    ("Since January 2025 Spravato can be prescribed on its own.", (), None),
    ("The FDA approved it for surgical anesthesia in 1970.", KETAMINE_PAGE, "ketamine"),
    ("It was approved in 2019.", BOTH, "ketamine"),  # "it" may be the nasal spray
    ("It was a field anesthetic in the Vietnam War.", KETAMINE_PAGE, "ketamine"),
    ("Ketamine has been used in hospitals for more than 50 years.", (), None),
    ("Ketamine is a synthetic medicine, not a plant medicine.", (), None),
    ("Spravato is never taken at home; we monitor you for at least two hours.", (), None),
    ("Ketamine became a Schedule III controlled substance in 1999.", (), None),
    ("In 2022 our clinic began offering Spravato, which the FDA approved for adults.", (), None),
    (
        "In 2020 Spravato became the first drug approved for depression with suicidal thoughts.",
        (),
        None,
    ),
    ("Ketamine grew out of PCP, an anesthetic developed in the 1950s.", (), None),
    ("In the 1950s researchers were looking for a gentler anesthetic.", KETAMINE_PAGE, "ketamine"),
    # "it" on a stellate-ganglion-block page is the block, not ketamine
    ("Doctors have used it since the 1920s for arm pain.", KETAMINE_PAGE, "nerve-block"),
    ("Health Canada approved Spravato in 2020.", (), None),  # not the FDA's date
    ("Approved since 2019!", BOTH, "ketamine"),
    ("Your treatment plan was approved in 2023.", BOTH, "ketamine"),  # not a regulator's
    ("Psilocybin is still illegal under federal law; Oregon licenses it.", (), None),
    ("Ketamine is a dissociative anesthetic, not an opioid.", (), None),
    ("Recreational ketamine use is illegal.", (), None),
    ("Ketamine is a legal medicine, unlike psilocybin, which is still banned federally.", (), None),
    ("Ketamine is not the same as psilocybin.", (), None),
    ("Ketamine reduces the need for opioids after surgery.", (), None),
    ("Unlike ketamine, SSRIs are not controlled substances.", (), None),
    ("Unlike ECT, TMS does not require anesthesia.", (), None),
    ("ECT is given under general anesthesia.", (), None),
    ("ECT was first used in 1938 in Rome.", (), None),
    ("ECT has been used since the 1940s.", (), None),
    ("The antidepressant effect of ketamine was first shown in a Yale trial in 2000.", (), None),
    # eighth session
    ("Ketamine was discovered in 1962.", (), None),
    ("Ketamine's antidepressant effect was discovered in 2000.", (), None),
    ("A 2006 NIMH trial of ketamine in depression confirmed the effect.", (), None),
    (
        "The first large trial of IV ketamine against ECT in depression was published in 2023.",
        (),
        None,
    ),
    ("In December 2018 the FDA reclassified ECT devices.", (), None),
    ("Psilocybin has breakthrough therapy designation from the FDA, not approval.", (), None),
    ("Psilocybin is not FDA-approved.", (), None),
    ("Ketamine is on the WHO list of essential medicines.", (), None),
    ("Ketamine is more than a party drug: it is an approved anesthetic.", (), None),
    ("Ketamine's reputation as a club drug scares some people.", (), None),
    ("No medicine is approved to prevent suicide.", (), None),
    ("Oregon voters approved psilocybin services in 2020.", (), None),
    ("Oregon's first licensed psilocybin centers opened in 2023.", (), None),
    ("Clozapine is approved to reduce suicidal behavior in schizophrenia.", (), None),
    ("Ketamine was first made in 1962 and was later approved as an anesthetic.", (), None),
    ("Ketamine was first synthesized in 1962 and approved by the FDA in 1970.", (), None),
]


@pytest.mark.parametrize(("sentence", "page", "treatment", "words"), WRONG)
def test_a_contradicted_fact_is_flagged_with_its_source(
    sentence: str, page: tuple[str, ...], treatment: str | None, words: str
) -> None:
    flag = fact_check(sentence, page, treatment)
    assert flag is not None, sentence
    code, message, basis = flag
    assert code == "MISSTATED_FACT"
    assert words.lower() in message.lower()
    assert ", according to " in message and "FTC Act" in basis


@pytest.mark.parametrize(("sentence", "page", "treatment"), RIGHT)
def test_an_accurate_or_unrelated_date_is_not_flagged(
    sentence: str, page: tuple[str, ...], treatment: str | None
) -> None:
    assert fact_check(sentence, page, treatment) is None


def test_every_fact_names_its_source_and_says_something() -> None:
    raw = load_lexicon("facts")
    for f in [*raw["facts"], *raw["contradictions"]]:
        assert str(f.get("source", "")).strip(), f["id"]
        assert str(f.get("says", "")).strip(), f["id"]
    t = facts()
    assert all(f.spans or f.check == "never" for f in t.dated)
    assert all(k in t.treatment for f in t.dated if f.subject for k in [f.subject])


def test_page_subjects_are_counted_and_a_page_flag_uses_them() -> None:
    text = "Ketamine infusions for depression.\n\nKetamine is safe.\n\nIt was first used in World War II.\n"
    units = list(page_units(text, "txt"))
    assert page_subjects([u.norm for u in units]) == ("ketamine",)
    flags = page_flags(units, [False] * len(units))
    last = [f.code for f in flags[-1]]
    assert last.count("MISSTATED_FACT") == 1


def test_a_question_states_no_fact_to_check() -> None:
    """A yes/no question asks what its answer then says ("Wasn't it first used in the Korean
    War?" / "No, in Vietnam."): the date it asks about is not a misstated fact; the same date
    stated is."""
    asked = "Ketamine infusions for depression.\n\nWasn't ketamine first used in the Korean War?\n"
    stated = "Ketamine infusions for depression.\n\nKetamine was first used in the Korean War.\n"
    for text, expected in ((asked, 0), (stated, 1)):
        units = list(page_units(text, "txt"))
        flags = page_flags(units, [False] * len(units))
        assert [f.code for f in flags[-1]].count("MISSTATED_FACT") == expected, text
