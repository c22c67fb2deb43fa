"""Wording cues by meaning (data/wording.yaml, session 20): permanence said in other words (relief
that lasts a lifetime, stays reset, does not fade, a condition that does not come back or no longer
holds power), the whole experience played down (patients "just feel a little spacey", "nothing ever
happens", "so minor it hardly counts"), the speaker's own condition said to have ended ("my anxiety
was gone"), the speaker off the medicines since or one patient's score offered as the result, and a
share of patients who feel calmer, stay well or never need a booster, with no source, a record
"without a single serious problem" or "non-habit-forming", safety history turned into a promise
("used for fifty years, so you can relax"), the rival's failure ("where medication has failed"), and
a condition that "melts away", a better life that "starts here" or a result "in as few as five
sessions". Each is written here in new words; the honest sentences of the same shape that must stay
unflagged were written first (benchmarks/copy-dev/README.md: plain, hedged or disclosed facts are
claims, not overstatements).
"""

from __future__ import annotations

import pytest

from claimledger.copy.wording import lexicon_flags


def codes(sentence: str, quoted: bool = False) -> set[str]:
    return {f.code for f in lexicon_flags(sentence, quoted)}


HONEST = [
    # durability bounded, or asked about
    "After one infusion, relief usually lasts several days to two weeks.",
    "The relief lasts about a week for most people, so a series is planned.",
    "How long the improvement lasts after a full course is still being studied.",
    "Untreated, anxiety can last a lifetime.",
    "Bladder damage from years of heavy use can last a lifetime.",
    "Some patients stay well for months with occasional boosters; others relapse sooner.",
    "Boosters given every few weeks can help keep symptoms from returning.",
    "If your symptoms don't come back within a month, we space out the visits.",
    "Patients who don't return for a follow-up get a call from our nurse.",
    "Ketamine does not have the hold on patients that opioids can have, but misuse is possible.",
    # side effects described honestly, or nothing happening as an instruction
    "Most patients feel a little drowsy for an hour or so, and some feel sick.",
    "If nothing happens after three infusions, we talk about other options.",
    "Tell the nurse about any reaction, however minor it seems.",
    # a patient's changed condition told with a negation, a condition or a wish
    "After six infusions my depression has not lifted, and we are trying something else.",
    "My anxiety hardly eased in the first month.",
    "If my panic attacks stopped, I could go back to work.",
    "Will my depression be gone after the series?",
    "My depression lifted for a few days and then came back.",
    "My anxiety was gone by the evening, though I still have harder weeks.",
    # medicines stopped as advice, or a share of patients that is no outcome
    "Don't stop taking your antidepressants without talking to your prescriber.",
    "If I stop taking my pills, will the depression come back?",
    "9 out of 10 patients would recommend us to a friend.",
    "We will ask you to fill in the PHQ-9 before each infusion.",
    "Serious reactions are rare, but not one of them should be ignored.",
    "Ketamine has been used in operating rooms for over 50 years, so its risks are well described.",
    "In the trial, not a single serious adverse event was reported during the infusions.",
    "If something goes wrong during the infusion, the nurse stops the pump at once.",
    "We explain what TMS can and can't do before you book.",
    "Esketamine may act within days, which standard antidepressants cannot do.",
    "Tell us about any medications that you cannot take.",
    "The lozenge melts away under your tongue in about 15 minutes.",
    "Your first visit starts here: fill in the intake form.",
    "Each infusion takes just 40 minutes, and most people feel relaxed.",
    "For some people, anxiety may melt away within hours of a session.",
    "If your pain score dropped by less than 2 points, tell the nurse.",
    "Most people feel back to normal by the next morning.",
    "Most guests feel like themselves again by the time they get home.",
    "In a 2023 trial, 70% of participants felt calmer after four weeks.",
    # review21 (overfix21): logistics and staffing lines are no safety promise; a record or a
    # permanence denied, hedged or said to vary; a relative clause is a condition; harm-reduction
    # advice and a balanced disclosure; calm during the session; another medicine's label
    "We dim the lights for every session, so you can relax.",
    "Arrive for your appointment ten minutes early so you can relax before the infusion.",
    "You will stay with us for at least two hours after each dose, so plan to relax and bring a book.",
    "Our nurses have worked in emergency medicine for over 20 years, which means you are in capable hands.",
    "Nobody can promise you will finish treatment without any serious reaction.",
    "Buspirone is non-habit-forming, unlike benzodiazepines.",
    "Some patients find the benefits do not last indefinitely.",
    "Results vary: for some patients relief lasts, and for others a booster is needed.",
    "For patients whose symptoms do not return, we stop the boosters.",
    "If you use ketamine, never use alone; at low doses most people just feel a little dizzy, "
    "but higher doses can knock you out.",
    "Some patients only feel slightly dizzy, while others have strong dissociation and nausea.",
    "Most patients feel calm during the infusion, though some feel anxious at first.",
    # ... the illness's own story, a lift that came back, a cautionary story, a non-result, a group
    "For years my anxiety stopped me from leaving the house.",
    "My depression ended my marriage and nearly my career.",
    "My pain has gone on for ten years despite three surgeries.",
    "My depression lifted for a while, but returned after a month.",
    "My migraines stopped being my whole identity once I found a support group.",
    "I stopped taking my antidepressants on my own and felt terrible for weeks.",
    "She came off her benzos too fast and had a seizure.",
    "Her PHQ-9 went from 21 to 19, barely a change, so we stopped the infusions.",
    "In the 2019 trial, their depression scores fell by about 10 points on average.",
    # ... the indication's own wording is no superiority claim
    "Ketamine may be considered where two or more antidepressants have failed.",
    "Ketamine can help some people where other medications have failed, though not everyone responds.",
    # the same shapes in new words (overfix21)
    "We play soft music during the session, so you can relax and let the time pass.",
    "Our front desk has served this town for 30 years, so expect a warm welcome.",
    "Nobody can promise you will never have a single bad reaction.",
    "Gabapentin is non-habit-forming for most people, but it is not right for everyone.",
    "For most clients the relief does not last indefinitely.",
    "Results vary; for some clients the improvement lasts, others need a top-up.",
    "Clients whose cravings do not return after the programme move to monthly check-ins.",
    "At a festival, some people just feel a bit nauseous, while others pass out.",
    "Most people feel calmer during the session, but a few feel uneasy.",
    "My depression stopped me from working for two years.",
    "My back pain ended his football career.",
    "My anxiety disappeared for a few hours, then came back.",
    "He came off his pills too quickly and had withdrawal symptoms.",
    "His GAD-7 fell from 15 to 13, only a small change.",
    "In the study group, their pain scores dropped by 2 points on average.",
    "Esketamine is used where at least two antidepressants have failed to help.",
]

OVERSTATED = [
    # permanence in other words
    ("Most clients find the calm they gain here lasts a lifetime.", "UNQUALIFIED_EFFICACY"),
    ("With the monthly plan, members remain pain-free indefinitely.", "UNQUALIFIED_EFFICACY"),
    ("Once your mood circuit is rewired, it tends to stay rewired.", "UNQUALIFIED_EFFICACY"),
    ("Our graduates stay well for years after one programme.", "UNQUALIFIED_EFFICACY"),
    ("This is healing that stays with no pills to remember.", "UNQUALIFIED_EFFICACY"),
    ("The improvement never fades the way a pill's does.", "UNQUALIFIED_EFFICACY"),
    ("The panic attacks don't come back.", "UNQUALIFIED_EFFICACY"),
    ("A booster plan that keeps anxiety from ever returning.", "UNQUALIFIED_EFFICACY"),
    (
        "After the retreat, the old grief no longer holds any power over you.",
        "UNQUALIFIED_EFFICACY",
    ),
    # the experience played down
    ("Honestly, most guests only feel a bit floaty and then drive home.", "MINIMISATION"),
    ("Between us, nothing much ever happens in the recovery room.", "MINIMISATION"),
    ("The dizziness is so mild most people barely register it.", "MINIMISATION"),
    ("Any reactions are rare and hardly worth mentioning.", "MINIMISATION"),
    # the speaker's own condition ended
    ("After the third session my panic attacks were simply gone.", "TESTIMONIALS_AS_PROOF"),
    (
        "My migraines vanished after two infusions and the nurses were lovely.",
        "TESTIMONIALS_AS_PROOF",
    ),
    ("Five stars. My OCD has completely stopped.", "TESTIMONIALS_AS_PROOF"),
    ("Six sessions in, I flushed all my sleeping pills.", "TESTIMONIALS_AS_PROOF"),
    ("He's completely off his antidepressants now, his mother says.", "TESTIMONIALS_AS_PROOF"),
    ("After four infusions his GAD-7 came down to 6.", "TESTIMONIALS_AS_PROOF"),
    # a record without a single serious problem
    ("We have run 8,000 sessions without a single serious incident.", "ABSOLUTE_SAFETY"),
    ("In nine years we have never seen one patient suffer a lasting injury.", "ABSOLUTE_SAFETY"),
    ("Our troches are non-habit forming.", "ABSOLUTE_SAFETY"),
    ("Surgeons have relied on it for decades, so you can relax.", "ABSOLUTE_SAFETY"),
    ("Nothing has ever gone wrong in our recovery suite.", "ABSOLUTE_SAFETY"),
    # a condition melting away, a better life starting here, a result in a few sessions
    ("Our lozenges melt away stress and worry in minutes.", "UNQUALIFIED_EFFICACY"),
    ("Your Anxiety-Free Future Begins Today", "UNQUALIFIED_EFFICACY"),
    ("Heal your PTSD in as few as four sessions.", "UNQUALIFIED_EFFICACY"),
    # the rival's failure as the end of a clause
    (
        "Our infusions reach the kind of pain that painkillers just can't touch.",
        "COMPARATIVE_SUPERIORITY",
    ),
    ("It helps where years of antidepressants have failed.", "UNQUALIFIED_EFFICACY"),
    # a share of patients with an outcome and no source
    ("Seven in ten of our clients feel like themselves again by week three.", "UNSUPPORTED_FIGURE"),
    ("92% of graduates stay sober through their first year.", "UNSUPPORTED_FIGURE"),
    ("4 out of 5 members never need a booster.", "UNSUPPORTED_FIGURE"),
    # overfix21: the fixed rules still read these
    ("Ketamine has been used for fifty years, so you are in safe hands.", "ABSOLUTE_SAFETY"),
    ("Our lozenges are completely non-habit-forming.", "ABSOLUTE_SAFETY"),
    ("We have given 5,000 infusions without one serious reaction.", "ABSOLUTE_SAFETY"),
    ("Once treated, the relief lasts indefinitely.", "UNQUALIFIED_EFFICACY"),
    ("Our ketamine program succeeds where antidepressants have failed.", "UNQUALIFIED_EFFICACY"),
    ("Where other treatments have failed, ketamine breaks the pain cycle.", "UNQUALIFIED_EFFICACY"),
    ("My depression was gone after the second infusion.", "TESTIMONIALS_AS_PROOF"),
    ("Three infusions later, I came off my antidepressants.", "TESTIMONIALS_AS_PROOF"),
    ("I stopped needing my sleeping pills.", "TESTIMONIALS_AS_PROOF"),
    ("Her PHQ-9 went from 22 to 6 in a month.", "TESTIMONIALS_AS_PROOF"),
    ("Most clients just feel a little floaty and then go home.", "MINIMISATION"),
    ("My panic lifted during the second infusion and has never returned.", "TESTIMONIALS_AS_PROOF"),
    ("She's off her sleeping pills and sleeps through the night.", "TESTIMONIALS_AS_PROOF"),
    (
        "Where SSRIs and counselling fall short, our protocol gets to the root.",
        "UNQUALIFIED_EFFICACY",
    ),
    ("Non-habit-forming and gentle", "ABSOLUTE_SAFETY"),
    ("Its decades-long safety record means there is nothing to worry about.", "ABSOLUTE_SAFETY"),
    ("Most guests only feel a bit light-headed for a few minutes.", "MINIMISATION"),
]


@pytest.mark.parametrize("sentence", HONEST)
def test_honest_sentences_stay_unflagged(sentence: str) -> None:
    assert codes(sentence) == set()


@pytest.mark.parametrize(("sentence", "code"), OVERSTATED)
def test_overstatements_by_meaning_are_flagged(sentence: str, code: str) -> None:
    assert code in codes(sentence)
