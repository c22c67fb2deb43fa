"""Wording cues by meaning (data/wording.yaml, session 21): an approval carried over from the
product that holds it (Spravato's approval said to cover IV ketamine, "the same approval", both
forms approved, a regulator's "green light" or "sign-off", racemic ketamine called the same medicine
as the spray), superiority said without "than" ("the stronger of the two", "simply
stronger", "faster than anything", a rival "officially obsolete", none of a rival's
harms), side effects played down in other words (likened to a nap or a daydream, risks that
"basically disappear" or are "more theoretical than real", "a non-issue", gone for everyone, harms
that belong to people who abuse the drug) and efficacy said indirectly (works when medicines have
failed, a result the same day, in every patient). Each is
written here in new words; the honest sentences of the same shape that must stay unflagged were
written first (benchmarks/copy-dev/README.md: plain, hedged or disclosed facts are claims, not
overstatements).
"""

from __future__ import annotations

import pytest

from claimledger.copy.wording import lexicon_flags


def codes(sentence: str, quoted: bool = False) -> set[str]:
    return {f.code for f in lexicon_flags(sentence, quoted)}


# review22's counter-examples (/tmp/review22/findings.md, over22 1-16): honest copy each rule
# first read wrongly
REVIEWED = [
    "Our team will work with you even if other treatments haven't helped.",
    "Dr. Patel works closely with adults when antidepressants have failed.",
    "Whatever you've tried before, our intake nurse will go through it with you.",
    "Blood pressure rises in almost every patient during the infusion.",
    "Blood pressure rises in every patient during the infusion, which is why a nurse stays with you.",
    "The dose is reduced for every patient over 65.",
    "Your safety comes above everything else.",
    "At our clinic, patient safety is placed above all else.",
    "The old paper intake forms are now obsolete: you can fill everything in online.",
    "The better of the two options for you is the one your psychiatrist recommends.",
    "The nasal spray is the better of the two for people who are afraid of needles.",
    "Our care coordinators help when patients can't get a ride home.",
    "TMS needs six weeks of daily sessions, and each ketamine infusion takes about 40 minutes.",
    "Your claim goes through the same approval process as any other prescription.",
    "The final decision rests on your doctor, who reviews all your records before any ketamine is given.",
    "In 2023 the FDA warned about the risks of all forms of compounded ketamine sold online.",
    "Spravato's FDA approval covers both treatment-resistant depression and depressive symptoms"
    " with suicidal thoughts.",
    "Racemic ketamine is a 50:50 mix of two mirror-image molecules, so it contains the same"
    " molecule as esketamine.",
    "Veterans Affairs authorization is required before your first ketamine infusion.",
    "Bladder damage from heavy ketamine use doesn't just go away when you stop.",
    "Is the risk of addiction more theoretical than real? No: ketamine can be misused, and we"
    " screen for it.",
    "These warnings don't just apply to people who misuse ketamine; they apply to everyone.",
    "Our patients never have to sit out nausea alone: the nurse gives anti-nausea medicine when"
    " it starts.",
    "Side effects not seen at the first doses can appear at later ones, so we watch every session.",
    "Fears that ketamine is only a party drug are overblown: it is an anaesthetic used in"
    " hospitals for decades.",
    "Your visit takes about two hours, and everything is over before lunch.",
    "Milligram for milligram, IV ketamine is simply more potent, because all of it reaches the"
    " bloodstream.",
    "Looking for relief? Book a consultation today.",
    "It was approved in 1970 and is widely used to sedate children in emergency rooms.",
    "Nearly everyone gets a follow-up call from the nurse the next day.",
    "Almost everyone leaves with a printed aftercare sheet.",
    "The dissociative feeling is strongest at 20 minutes; you'll feel it fade over the next hour.",
    "If there is nothing you notice after three infusions, tell us and we will review the plan.",
    "Since esketamine was approved in the US in 2019, it has been approved in the EU and Canada too.",
    # dev lines labelled accurate that an earlier draft flagged
    "Spravato, the nasal spray, is FDA-approved for treatment-resistant depression; the IV form we"
    " use isn't, although it has been studied for longer.",
    "You'll rest in the recliner for about 20 to 30 minutes while the effects wear off and your"
    " nurse checks your vitals once more.",
    # flagged before this session too
    "Any new ketamine product would have to go through the same FDA approval process.",
]

HONEST = [
    # approval: the label's own words, the off-label status said, the two forms set apart
    "Spravato is FDA-approved for treatment-resistant depression in adults.",
    "IV ketamine does not carry the same approval as Spravato; its use for depression is off-label.",
    "Only the nasal spray is approved for depression; our infusions are used off-label.",
    "Unlike Spravato, our infusions share no FDA approval for depression.",
    "The FDA approved ketamine as an anaesthetic in 1970.",
    "Your insurer's approval covers both infusions and the nasal spray.",
    "The approval covers adults with treatment-resistant depression.",
    "Neither form is approved for anxiety or PTSD.",
    "Esketamine is one half of the ketamine molecule, but it is a different medicine with its own label.",
    "The HPRA has approved esketamine nasal spray for treatment-resistant depression.",
    # comparison left open, hedged, or put as a question
    "Which of the two is the better choice for you depends on your history.",
    "Whether IV ketamine is the stronger of the two has not been tested head to head.",
    "Ketamine may be an alternative to antidepressants for some patients.",
    "Is ketamine a safer alternative to opioids?",
    "Whether IV ketamine is simply stronger has never been tested.",
    "Some critics call ECT practically obsolete, but it is still used for severe depression.",
    "Antidepressants can take several weeks to work, while ketamine may act within hours for some.",
    "In trials, esketamine acted within a day, while antidepressants take weeks.",
    "Talk therapy takes months, and it works best alongside medication.",
    "We do all that we can, without rushing you.",
    "Ketamine was first made in 1962 as a safer alternative to PCP.",
    "We explain all the benefits of an infusion and its risks at the consultation.",
    "No other clinic in the county can match our evening hours.",
    "Every patient gets the same safety checks as in the clinic.",
    # side effects told honestly
    "Please don't eat for six hours before the infusion; just a glass of water is allowed.",
    "Drowsiness usually passes within two hours for most patients.",
    "Is the dizziness always gone by the time I get home?",
    "Bladder problems are mostly seen in people who use ketamine daily for years, and we screen for them.",
    "Addiction is a real risk with ketamine, so we keep the number of doses low.",
    "Tell us if you feel unwell after the infusion, even if it seems minor.",
    "Our patients don't have to fast for more than six hours.",
    "Bladder problems are seen in heavy recreational users and have not been reported in trials at treatment doses.",
    "Blood pressure usually settles within an hour of the infusion.",
    "Those risks are mostly seen with recreational use, not with supervised treatment.",
    "Bladder damage has not been seen at the doses used in clinics so far.",
    "Tell us if the dizziness does not always pass quickly.",
    "Some people think the risks of ketamine are overstated, but the label lists them for good reason.",
    "Any dizziness you feel usually wears off before you leave.",
    "The side effects of ketamine are generally mild and temporary.",
    "Dissociation is temporary and lasts about an hour.",
    "If you feel nothing at all after three infusions, we review the plan.",
    # efficacy hedged, denied, or a check on every patient
    "Ketamine can help when other medicines have failed.",
    "Ketamine may work even if antidepressants did not help you.",
    "Whatever you've tried before, tell us about it at your consultation.",
    "We measure blood pressure in every patient before each infusion.",
    "Ketamine does not work in every patient, and we tell you early if it is not helping.",
    "Some patients find ketamine stops the panic within an hour.",
    "Ketamine stops working for many patients after a few weeks.",
    "Most patients feel drowsy the same afternoon, so arrange a ride home.",
    "Relief from a single infusion usually fades within a week.",
    "Take a break this weekend and call us on Monday.",
    "We hope you feel better today.",
    "The lift is out of service today; please use the stairs.",
    "Nearly everyone feels a little drowsy after the infusion.",
    "You'll notice the nurse checks your blood pressure every fifteen minutes.",
    "If you feel no change, tell us; you may notice the fog lift only after a few sessions.",
    "Not everyone responds, and nearly everyone who does needs boosters.",
]

OVERSTATED = [
    # approval carried over
    (
        "Because Spravato is approved, our IV treatment rests on the same approval.",
        "APPROVAL_SCOPE",
    ),
    (
        "The FDA's approval of the spray extends to every form of ketamine we offer.",
        "APPROVAL_SCOPE",
    ),
    ("Both forms are FDA-approved for depression, so pick whichever suits you.", "APPROVAL_SCOPE"),
    ("The TGA has given ketamine the green light for anxiety.", "APPROVAL_SCOPE"),
    ("Our lozenges contain the same medicine as Spravato for far less.", "APPROVAL_SCOPE"),
    ("Ketamine is approved by every major health authority for mood disorders.", "APPROVAL_SCOPE"),
    ("The Medsafe approval means ketamine is now a recognised PTSD treatment.", "APPROVAL_SCOPE"),
    # superiority without "than"
    ("IV ketamine is clearly the more effective of the two.", "COMPARATIVE_SUPERIORITY"),
    ("In our hands, IV is simply better.", "COMPARATIVE_SUPERIORITY"),
    ("Faster relief than any antidepressant on the shelf.", "COMPARATIVE_SUPERIORITY"),
    ("Talk therapy alone is now basically obsolete.", "COMPARATIVE_SUPERIORITY"),
    (
        "You get none of the weight gain or numbness that comes with SSRIs.",
        "COMPARATIVE_SUPERIORITY",
    ),
    ("Pills take six weeks to work. Ketamine works in an afternoon.", "COMPARATIVE_SUPERIORITY"),
    ("What takes years on the couch, we do in a single weekend.", "COMPARATIVE_SUPERIORITY"),
    ("Ketamine does everything ECT does, without the memory loss.", "COMPARATIVE_SUPERIORITY"),
    ("The relief that SSRIs could never give you.", "COMPARATIVE_SUPERIORITY"),
    ("TMS succeeds where pills have failed.", "COMPARATIVE_SUPERIORITY"),
    ("Ketamine is actually gentler on the body than antidepressants.", "COMPARATIVE_SUPERIORITY"),
    ("All the benefits of an infusion, from your own sofa.", "COMPARATIVE_SUPERIORITY"),
    ("Spravato works within hours, and pills can't touch that.", "COMPARATIVE_SUPERIORITY"),
    (
        "Our lozenges give you everything an infusion offers, without the needle.",
        "COMPARATIVE_SUPERIORITY",
    ),
    ("At-home dosing has the same safety profile as a clinic infusion.", "COMPARATIVE_SUPERIORITY"),
    ("Psilocybin lasts longer, so it's simply the better medicine.", "COMPARATIVE_SUPERIORITY"),
    # side effects played down
    ("The dissociation is basically just a long nap.", "MINIMISATION"),
    ("With our dosing, the risks basically disappear.", "MINIMISATION"),
    ("Side effects are more theoretical than real at clinic doses.", "MINIMISATION"),
    ("At these doses, bladder trouble is a non-issue.", "MINIMISATION"),
    ("Any dizziness fades for every single patient before they leave.", "MINIMISATION"),
    ("The floaty feeling is nothing to panic about.", "MINIMISATION"),
    ("Memory problems only happen to people who abuse it for years.", "MINIMISATION"),
    ("Our patients simply don't get the bladder damage recreational users do.", "MINIMISATION"),
    (
        "Bladder damage is a problem for daily recreational users, not for our patients.",
        "MINIMISATION",
    ),
    ("Serious reactions are unheard of at the doses we prescribe.", "MINIMISATION"),
    ("Any rise in blood pressure always settles on its own.", "MINIMISATION"),
    ("The sedation is rarely more than a short nap.", "MINIMISATION"),
    ("The online warnings about ketamine are wildly overblown.", "MINIMISATION"),
    ("Whatever you feel is gone by the time you reach the car park.", "MINIMISATION"),
    ("At clinic doses those problems are more or less theoretical.", "MINIMISATION"),
    ("Memory problems can occur, but they are temporary.", "MINIMISATION"),
    ("A rise in blood pressure is rarely anything to think about.", "MINIMISATION"),
    ("The spacey feeling is over before you finish your tea.", "MINIMISATION"),
    # efficacy said indirectly
    ("When antidepressants have failed, ketamine works.", "UNQUALIFIED_EFFICACY"),
    ("It works even if medications never did anything for you.", "UNQUALIFIED_EFFICACY"),
    ("Ketamine shuts down the panic, often within the hour.", "UNQUALIFIED_EFFICACY"),
    ("Our infusions start working the same afternoon.", "UNQUALIFIED_EFFICACY"),
    ("Feel lighter this week.", "UNQUALIFIED_EFFICACY"),
    ("Our infusions start working on the very first day.", "UNQUALIFIED_EFFICACY"),
    ("Wake up tomorrow without the weight.", "UNQUALIFIED_EFFICACY"),
    ("You'll notice the fog begin to lift within the first day.", "UNQUALIFIED_EFFICACY"),
    (
        "After one session practically everybody feels the depression lifting.",
        "UNQUALIFIED_EFFICACY",
    ),
    ("Walk in tired, walk out restored.", "UNQUALIFIED_EFFICACY"),
    ("Works when pills, therapy and TMS have all let you down.", "UNQUALIFIED_EFFICACY"),
    ("Mood improves noticeably in every patient we treat.", "UNQUALIFIED_EFFICACY"),
]


@pytest.mark.parametrize("sentence", HONEST + REVIEWED)
def test_honest_sentences_are_not_flagged(sentence: str) -> None:
    assert codes(sentence) == set()


@pytest.mark.parametrize(("sentence", "code"), OVERSTATED)
def test_overstatements_by_meaning_are_flagged(sentence: str, code: str) -> None:
    assert code in codes(sentence)


@pytest.mark.parametrize(
    ("sentence", "treatment", "flagged"),
    [
        # a clearance list naming conditions outside the treatment's clearances
        ("TMS is FDA-cleared for depression, anxiety, PTSD and chronic pain.", "tms", True),
        ("Zuranolone is FDA-approved for postpartum depression and anxiety.", "neurosteroid", True),
        # the list kept within them, a cleared use naming its noun phrase
        ("TMS is FDA-cleared for depression and OCD.", "tms", False),
        ("TMS is FDA-cleared for major depression and for smoking cessation.", "tms", False),
        (
            "Zuranolone was approved by the FDA for postpartum depression in 2023.",
            "neurosteroid",
            False,
        ),
        ("SSRIs are FDA-approved for depression, anxiety, OCD and PTSD.", "ssri", False),
        # review22 16: TMS's clearance for anxiety symptoms in adults with depression is real
        (
            "TMS is FDA-cleared for depression, OCD, smoking cessation and anxiety symptoms in"
            " adults with depression.",
            "tms",
            False,
        ),
        ("TMS is FDA-cleared for anxiety and depression.", "tms", True),
        # review22 15: young people outside the approval's clause
        (
            "It was approved in 1970 and is widely used to sedate children in emergency rooms.",
            "ketamine",
            False,
        ),
        (
            "The VA covers Spravato; Veterans Affairs authorization is needed first.",
            "esketamine",
            False,
        ),
        # ketamine's approval said to reach young people, or widened to every depression
        ("Ketamine is approved for teenagers as well.", "ketamine", True),
        # review22 22: a "don't" elsewhere in the sentence does not set the two forms apart
        (
            "Spravato and IV ketamine are both FDA-approved for depression, so you don't need to choose.",
            "ketamine",
            True,
        ),
        (
            "Don't wait: Spravato and ketamine infusions are FDA-approved for depression.",
            "ketamine",
            True,
        ),
        ("In 2020 that approval was widened to every adult with depression.", "ketamine", True),
        ("Ketamine is approved for children as an anaesthetic.", "ketamine", False),
        ("Ketamine was approved in 1970 as an anaesthetic.", "ketamine", False),
        # an approval inferred from another product's, or a body's endorsement said as approval
        (
            "Since Spravato got approved, the IV version is FDA-endorsed for depression too.",
            "ketamine",
            True,
        ),
        (
            "Because Epidiolex is FDA-approved, our CBD gummies are FDA-approved too.",
            "cannabis",
            True,
        ),
        ("The VA has now approved ketamine for PTSD.", "ketamine", True),
        # young people read inside the approval's clause for the nasal spray too (review22)
        (
            "Spravato is approved for adults; it has not been studied in teenagers.",
            "esketamine",
            False,
        ),
        ("Spravato is approved for depression in adults and teenagers.", "esketamine", True),
        # review22 21: emergency psychiatric care is no anaesthetic use
        ("IV ketamine is FDA approved for use in emergency psychiatric care.", "ketamine", True),
        (
            "The VA covers Spravato for veterans with treatment-resistant depression.",
            "esketamine",
            False,
        ),
        (
            "Since Spravato was approved in 2019, many insurers have covered it too.",
            "esketamine",
            False,
        ),
        ("Unlike Spravato, the IV version is not FDA-approved for depression.", "ketamine", False),
        ("Spravato is FDA-approved; the IV form is used off-label.", "ketamine", False),
        ("Spravato, a nasal spray made from ketamine, was approved in 2019.", "esketamine", False),
        (
            "Ketamine has been used safely in operating rooms since it was approved in 1970.",
            "ketamine",
            False,
        ),
    ],
)
def test_approval_scope_of_a_named_treatment(sentence: str, treatment: str, flagged: bool) -> None:
    got = {f.code for f in lexicon_flags(sentence, treatment=treatment)}
    assert ("APPROVAL_SCOPE" in got) is flagged


# the rest of review22's probe (/tmp/review22/over_probe.py), with the treatment each line is about
PROBED = [
    (
        "Milligram for milligram, IV ketamine is simply more potent, because all of it reaches the bloodstream.",
        "ketamine",
    ),
    (
        "Is the risk of addiction more theoretical than real? No: ketamine can be misused, and we screen for it.",
        "ketamine",
    ),
    (
        "Effects wear off within two hours, and a ride home is required for every patient.",
        "ketamine",
    ),
    (
        "Our patients never have to sit out nausea alone: the nurse gives anti-nausea medicine when it starts.",
        "ketamine",
    ),
    (
        "Fears that ketamine is only a party drug are overblown: it is an anaesthetic used in hospitals for decades.",
        "ketamine",
    ),
    ("A medical review covers your health history before any ketamine infusion.", "ketamine"),
    (
        "Our medical review covers your history, your medicines and whether IV ketamine suits you.",
        "ketamine",
    ),
    (
        "Spravato's FDA approval covers both treatment-resistant depression and depressive symptoms with suicidal thoughts.",
        "esketamine",
    ),
    (
        "Racemic ketamine is a 50:50 mix of two mirror-image molecules, so it contains the same molecule as esketamine.",
        "ketamine",
    ),
    ("We accept the VA's authorization for ketamine infusions through Community Care.", "ketamine"),
    (
        "Spravato's approval includes a safety programme (REMS), so you are monitored for two hours.",
        "esketamine",
    ),
    (
        "In 2025 the approval was expanded to let adults with treatment-resistant depression use Spravato on its own.",
        "esketamine",
    ),
    (
        "In 2020 Spravato's approval was widened to adults with depressive symptoms and acute suicidal thoughts.",
        "esketamine",
    ),
    (
        "Spravato has been approved in the US since 2019 for adults with treatment-resistant depression.",
        "esketamine",
    ),
    (
        "Esketamine is approved in the EU for adults with treatment-resistant depression.",
        "esketamine",
    ),
    ("Treatment works with your insurance; book today.", None),
    (
        "Antidepressants can take weeks to work; the infusion itself takes about 40 minutes.",
        "ketamine",
    ),
    (
        "Pills take six weeks to work. Ketamine works in an afternoon for some patients, and not at all for others.",
        "ketamine",
    ),
]


@pytest.mark.parametrize(("sentence", "treatment"), PROBED)
def test_review_probe_lines_are_not_flagged(sentence: str, treatment: str | None) -> None:
    assert {f.code for f in lexicon_flags(sentence, treatment=treatment)} == set()
