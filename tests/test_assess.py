"""Relevance gate, finding-direction reader, design cues and rubric v2 on small texts.

Every abstract below is SYNTHETIC: written for these tests in the style of real ones (section
labels inline, as the ketamine corpus stores them), not copied from any record. One test reads a
real fixture from ../shared (the guideline that never names ketamine).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from claimledger.assess.design import assess_design
from claimledger.assess.direction import read_efficacy, split_abstract
from claimledger.assess.grading import EvidenceItem, grade_claim
from claimledger.assess.relevance import assess_relevance, claim_scope, no_harm_qualified
from claimledger.assess.stance import Stance, assess_stance
from claimledger.pubmed.medline import iter_articles
from claimledger.pubmed.records import Article

MDD_CLAIM = "Ketamine is an effective treatment for major depressive disorder."
MDD = claim_scope(
    MDD_CLAIM,
    "efficacy",
    population="adults with major depressive disorder",
    intervention="ketamine",
    outcome="depression severity",
)


def _on_mdd(abstract: str, title: str = "Ketamine in major depression") -> Stance:
    """The stance of ``abstract`` towards the MDD efficacy claim."""
    return assess_stance(MDD_CLAIM, "asserts-benefit", title, abstract, scope=MDD)


TRD = claim_scope(
    "Ketamine relieves symptoms of treatment-resistant depression.",
    "efficacy",
    population="adults with treatment-resistant depression",
    intervention="ketamine or esketamine",
)
LASTS = claim_scope(
    "The benefits of a course of ketamine treatment persist for weeks or months afterwards.",
    "efficacy",
    population="adults with depression",
    intervention="ketamine",
    timeframe="weeks to months",
)
NOT_ADDICTIVE = claim_scope(
    "Therapeutic ketamine does not lead to addiction.",
    "safety",
    intervention="medically supervised ketamine",
    outcome="addiction, misuse, dependence",
)
TRANSIENT = claim_scope(
    "Common side effects of ketamine therapy (nausea, dizziness, dissociation) are mild and "
    "resolve soon after the session.",
    "safety",
    intervention="subanesthetic ketamine",
    outcome="adverse events",
)
BP_RISE = claim_scope(
    "Ketamine infusions commonly cause a temporary rise in blood pressure and heart rate.",
    "safety",
    intervention="subanesthetic ketamine",
    outcome="blood pressure, heart rate",
)

RCT = (
    "BACKGROUND: Treatment-resistant depression is common. METHODS: Seventy-two adults with "
    "major depressive disorder were randomized to a single infusion of ketamine or midazolam. "
    "RESULTS: Depression scores (MADRS) fell more after ketamine at 24 hours (p<0.001); response "
    "rates were 64% and 28%. CONCLUSIONS: Ketamine was effective and rapidly reduced depressive "
    "symptoms in treatment-resistant major depression."
)


# --- relevance ------------------------------------------------------------------------------


def test_ketamine_as_the_ect_anaesthetic_is_not_relevant() -> None:
    r = assess_relevance(
        MDD,
        "Ketamine versus thiopental anaesthesia for electroconvulsive therapy in major depression",
        "METHODS: Patients with major depression receiving ECT were randomized to ketamine or "
        "thiopental anesthesia for ECT, and depression was rated weekly. RESULTS: Seizure "
        "duration was longer with ketamine and recovery took longer than with thiopental.",
    )
    assert not r.relevant and "electroconvulsive" in r.reason


ECT_MOOD = (
    "METHODS: Forty patients with major depression referred for electroconvulsive therapy were "
    "randomized to ketamine or propofol as the ECT anaesthetic. RESULTS: After six sessions the "
    "depression scores had fallen more in the ketamine group. CONCLUSIONS: Ketamine anaesthesia "
    "improved depressive symptoms faster during a course of ECT."
)


def test_ect_anaesthesia_with_depression_findings_in_depressed_patients_is_indirect() -> None:
    title = "Ketamine or propofol anaesthesia for ECT"
    r = assess_relevance(MDD, title, ECT_MOOD)
    assert r.relevant and r.weight == 0.5
    assert r.indirect[0].startswith("intervention: ketamine as the anaesthetic")
    rapid = claim_scope(
        "A single dose of ketamine reduces depressive symptoms within hours.", "efficacy"
    )
    assert not assess_relevance(rapid, title, ECT_MOOD).relevant  # co-intervention hides the timing


def test_surgery_counts_indirectly_only_for_patients_who_have_the_condition() -> None:
    treat = (
        "METHODS: Sixty patients with major depressive disorder scheduled for surgery received "
        "esketamine or saline at induction of general anaesthesia; postoperative depressive "
        "symptoms were rated. RESULTS: Depression scores on postoperative day 3 were lower with "
        "esketamine. CONCLUSIONS: Esketamine eased depressive symptoms after surgery."
    )
    r = assess_relevance(MDD, "Esketamine in depressed surgical patients", treat)
    assert r.relevant and any(x.startswith("intervention and setting") for x in r.indirect)
    prevent = treat.replace("patients with major depressive disorder", "women").replace(
        "eased depressive symptoms", "lowered the incidence of depression"
    )
    p = assess_relevance(MDD, "Esketamine at caesarean delivery", prevent)
    assert not p.relevant and "prevents the condition" in p.reason
    fear = (
        "METHODS: Adults having dental surgery received midazolam with ketamine or without. "
        "RESULTS: Anxiety before the operation was lower with ketamine. CONCLUSIONS: Ketamine "
        "premedication reduced anxiety before dental surgery."
    )
    anx = claim_scope("Ketamine treats anxiety disorders.", "efficacy", population="adults")
    f = assess_relevance(anx, "Ketamine premedication for dental surgery", fear)
    assert not f.relevant  # fear before an operation is not an anxiety disorder


def test_a_psychosis_model_in_healthy_volunteers_is_not_relevant() -> None:
    r = assess_relevance(
        MDD,
        "Auditory memory in a ketamine model of psychosis",
        "Healthy volunteers received ketamine as a model of psychosis; mismatch negativity fell.",
    )
    assert not r.relevant and "psychosis" in r.reason


def test_a_record_that_never_names_ketamine_is_not_relevant() -> None:
    r = assess_relevance(
        MDD,
        "Practice guideline for the treatment of depression",
        "This guideline recommends psychotherapy and antidepressant medication for major depression.",
    )
    assert not r.relevant and "never names" in r.reason


def test_another_condition_is_not_relevant_and_esketamine_is_indirect() -> None:
    ocd = assess_relevance(
        TRD,
        "Esketamine augmentation in treatment-resistant obsessive-compulsive disorder",
        "Esketamine reduced Y-BOCS scores in 12 patients with OCD, half with comorbid depression.",
    )
    assert not ocd.relevant and "ocd" in ocd.reason
    esk = assess_relevance(MDD, "Esketamine nasal spray in major depressive disorder", RCT)
    assert esk.relevant and esk.indirect == ("esketamine evidence for a ketamine claim",)
    assert esk.weight == 0.5
    assert assess_relevance(TRD, "Esketamine nasal spray in TRD", RCT).indirect == ()


def test_single_dose_data_are_indirect_for_a_claim_that_benefits_last() -> None:
    r = assess_relevance(LASTS, "A single dose of ketamine in major depression", RCT)
    assert r.relevant and any("lasting" in x for x in r.indirect)


def test_single_dose_data_answer_a_claim_about_how_long_one_dose_lasts() -> None:
    """The claim's own intervention is one dose: single-dose data are direct when their
    follow-up reaches the claim's timeframe (a week), indirect when it stops at 24 hours."""
    dose = claim_scope(
        "The antidepressant effect of a ketamine dose lasts from several days to a few weeks.",
        "efficacy",
        population="adults with depression",
        intervention="ketamine",
        timeframe="days to weeks",
    )
    title = "A single dose of ketamine in major depression"
    assert any("timeframe (week)" in x for x in assess_relevance(dose, title, RCT).indirect)
    week = RCT.replace("rapidly reduced", "reduced for two weeks after the infusion")
    assert assess_relevance(dose, title, week).indirect == ()


def test_a_mechanism_or_imaging_record_does_not_answer_an_efficacy_claim() -> None:
    """A surrogate outcome (synaptic plasticity, connectivity, a biomarker) is not the claim's
    clinical outcome, even when the abstract speaks of depression; a clinical title still counts."""
    ltp = "A systematic review of ketamine-induced long-term potentiation and synaptic scaling"
    r = assess_relevance(MDD, ltp, RCT)
    assert not r.relevant and "surrogate" in r.reason
    fc = assess_relevance(MDD, "Habenula connectivity and intravenous ketamine in TRD", RCT)
    assert not fc.relevant
    clinical = "Rapid antidepressant effects of ketamine and their neural correlates"
    assert assess_relevance(MDD, clinical, RCT).relevant
    cochrane = "Ketamine and other glutamate receptor modulators for depression in adults"
    assert assess_relevance(MDD, cochrane, RCT).relevant
    glutamate = claim_scope(
        "By blocking NMDA receptors, ketamine causes a glutamate surge.", "mechanism"
    )
    assert assess_relevance(
        glutamate, "Ketamine and glutamate: an MRS study", RCT + " glutamate"
    ).relevant


def test_a_bare_condition_name_is_who_was_studied_not_the_outcome() -> None:
    """A cognition study in PTSD patients does not report PTSD symptoms; a trial of cognitive
    behavioural therapy with ketamine is not a cognition study."""
    ptsd = claim_scope(
        "Ketamine reduces symptoms of post-traumatic stress disorder.",
        "efficacy",
        population="adults with PTSD",
    )
    cognition = (
        "METHODS: Fifteen adults with PTSD received one infusion. RESULTS: Attention and verbal "
        "memory declined at 2 hours and recovered by day 1 in PTSD and in healthy controls."
    )
    title = "Acute cognitive effects of single-dose intravenous ketamine in posttraumatic stress disorder"
    r = assess_relevance(ptsd, title, cognition)
    assert not r.relevant and "cognition" in r.reason
    symptoms = cognition.replace("in PTSD and", "; PTSD symptoms fell, as")
    assert assess_relevance(ptsd, title, symptoms).relevant
    cbt = "Intranasal ketamine and cognitive-behavioral therapy for posttraumatic stress disorder"
    assert assess_relevance(ptsd, cbt, cognition).relevant


def test_ketamine_as_the_setting_of_another_intervention_is_kept_out() -> None:
    device = (
        "The effect of a wearable device on anxiety among participants who underwent "
        "ketamine assisted therapy"
    )
    anxiety = claim_scope("Ketamine reduces symptoms of anxiety disorders.", "efficacy")
    abstract = "RESULTS: GAD-7 anxiety scores fell more with the device than without it."
    r = assess_relevance(anxiety, device, abstract + " Ketamine was given at weeks 4 and 6.")
    assert not r.relevant and "setting" in r.reason


def test_a_specific_long_term_harm_answers_a_claim_about_long_term_harms() -> None:
    """Bladder damage, cognitive impairment and dependence are long-term harms: a review of
    urological symptoms in treated patients addresses "long-term risks are minimal"."""
    risks = claim_scope(
        "Long-term adverse effects of therapeutic ketamine are rare.",
        "safety",
        intervention="repeated therapeutic ketamine",
        outcome="long-term adverse effects",
    )
    review = (
        "Twenty-seven studies of ketamine for depression were included. Urological symptoms were "
        "reported in 0-24% of patients and were mild; urinary parameters did not change."
    )
    title = "Urological symptoms following ketamine treatment for psychiatric disorders"
    assert assess_relevance(risks, title, review).relevant


def test_a_review_whose_title_does_not_name_ketamine_is_indirect() -> None:
    r = assess_relevance(MDD, "Psychedelic-assisted therapies for depression: a meta-analysis", RCT)
    assert r.relevant and any("several interventions" in x for x in r.indirect)
    assert assess_relevance(MDD, "Ketamine for depression: a meta-analysis", RCT).indirect == ()
    early = "A randomized trial of an N-methyl-D-aspartate antagonist in major depression"
    assert assess_relevance(MDD, early, RCT).indirect == ()  # the one drug, named by its class
    class_review = "NMDA receptor antagonists in major depression: a systematic review"
    assert assess_relevance(MDD, class_review, RCT).indirect != ()


def test_a_protocol_titled_so_is_never_evidence_even_naming_its_planned_statistics() -> None:
    planned = (
        "METHODS: Adults with depression are randomised to ketamine or midazolam; the MADRS "
        "difference will be supplemented by a 95% confidence interval."
    )
    art = Article(
        pmid="1",
        title="Study protocol for ketamine in depression: a randomised trial",
        abstract=planned,
    )
    assert not assess_design(art).counts_as_evidence
    sap = Article(
        pmid="2",
        title="A statistical analysis plan for a randomized trial of ketamine",
        abstract="",
    )
    assert not assess_design(sap).counts_as_evidence


def test_a_passing_mention_of_recreational_use_does_not_make_a_record_off_pico() -> None:
    review = (
        "RESULTS: Ketamine relieved depression in 12 trials. Beyond depression, evidence supports "
        "its potential in anxiety and certain substance use disorders."
    )
    r = assess_relevance(MDD, "Ketamine for depression: a systematic review", review)
    assert not any("off-PICO" in x for x in r.indirect)
    users = "RESULTS: Among 200 recreational users, recreational use was linked to low mood."
    r = assess_relevance(MDD, "Depression in ketamine users", users)
    assert any("off-PICO" in x for x in r.indirect)


def test_ketamine_around_childbirth_is_the_perioperative_context() -> None:
    side = claim_scope(
        "Common side effects of ketamine therapy are mild and resolve soon after the session.",
        "safety",
        outcome="side effects",
    )
    review = (
        "We included studies of ketamine to prevent depression in women after giving birth by "
        "caesarean or vaginal delivery. RESULTS: Side effects such as dizziness were transient."
    )
    title = "Ketamine in reducing the incidence of postpartum depression: a meta-analysis"
    r = assess_relevance(side, title, review)
    assert not r.relevant and "childbirth" in r.reason


def test_a_comparator_s_timeframe_is_not_the_claim_s_and_its_outcome_word_is_not_a_comparison() -> (
    None
):
    faster = claim_scope(
        "Ketamine relieves depression faster than standard antidepressants, which take weeks "
        "or months to work.",
        "efficacy",
        population="adults with depression",
        comparator="conventional (monoaminergic) antidepressants",
    )
    assert not faster.durable
    ect = (
        "RESULTS: Ketamine versus ECT: antidepressant effects of ketamine were larger at 24 hours. "
        "CONCLUSIONS: Ketamine relieved depression faster."
    )
    r = assess_relevance(faster, "Intravenous ketamine versus electroconvulsive therapy", ect)
    assert r.relevant and any("claim's comparison" in x for x in r.indirect)
    head = ect.replace("Ketamine versus ECT", "Compared with conventional antidepressants")
    r = assess_relevance(faster, "Ketamine versus antidepressants in depression", head)
    assert r.relevant and not any("claim's comparison" in x for x in r.indirect)


def test_an_onset_claim_needs_findings_within_hours() -> None:
    hours = claim_scope(
        "Ketamine reduces anxiety symptoms within hours.",
        "efficacy",
        population="adults with anxiety disorders",
        timeframe="hours after dosing",
    )
    assert hours.within_hours
    weeks = (
        "METHODS: Adults with generalised anxiety received ketamine weekly. RESULTS: Anxiety "
        "scores fell by week 8. CONCLUSIONS: Ketamine reduced anxiety over eight weeks."
    )
    title = "Ketamine for generalised anxiety disorder"
    r = assess_relevance(hours, title, weeks)
    assert r.relevant and any("within hours" in x for x in r.indirect)
    early = weeks.replace("over eight weeks", "within 2 hours of the first dose")
    assert assess_relevance(hours, title, early).indirect == ()
    days = claim_scope(
        "Ketamine rapidly reduces suicidal ideation.", "efficacy", timeframe="hours to days"
    )
    assert not days.within_hours


def test_ketamine_combined_with_another_treatment_is_indirect_for_ketamine_alone() -> None:
    tms = "Combination of transcranial magnetic stimulation and ketamine in major depression"
    r = assess_relevance(MDD, tms, RCT)
    assert r.relevant and any("combined with another treatment" in x for x in r.indirect)
    licensed = "Esketamine nasal spray plus an oral antidepressant in major depression"
    assert not any("combined" in x for x in assess_relevance(MDD, licensed, RCT).indirect)


def test_healthy_controls_beside_ketamine_users_are_not_a_healthy_volunteer_study() -> None:
    memory = claim_scope(
        "Long-term or frequent ketamine use can impair cognition, such as memory.", "safety"
    )
    users = "RESULTS: Chronic ketamine users had worse memory than healthy subjects."
    r = assess_relevance(memory, "Memory in chronic ketamine users", users)
    assert r.relevant and not any("healthy volunteers" in x for x in r.indirect)
    volunteers = "RESULTS: In healthy subjects, one ketamine dose impaired memory for an hour."
    r = assess_relevance(memory, "Ketamine and memory in healthy subjects", volunteers)
    assert any("healthy volunteers" in x for x in r.indirect)


def test_a_treatment_resistant_claim_needs_resistant_participants() -> None:
    trd = claim_scope("Ketamine relieves symptoms of treatment-resistant depression.", "efficacy")
    assert trd.resistant and not MDD.resistant
    all_comers = RCT.replace("Treatment-resistant depression is common", "Depression is common")
    all_comers = all_comers.replace(" in treatment-resistant major depression", "")
    r = assess_relevance(trd, "Ketamine in major depression", all_comers)
    assert r.relevant and any("treatment-resistant" in x for x in r.indirect)
    assert assess_relevance(trd, "Ketamine in major depression", RCT).indirect == ()


def test_a_clinical_record_naming_only_the_drug_class_does_not_answer_a_mechanism_claim() -> None:
    altered = claim_scope(
        "People with depression have altered glutamate signalling.",
        "mechanism",
        population="people with depression",
    )
    cochrane = "Ketamine and other glutamate receptor modulators for depression in adults"
    clinical = "RESULTS: Ketamine reduced depression at 24 hours. CONCLUSIONS: Ketamine works."
    r = assess_relevance(altered, cochrane, clinical)
    assert not r.relevant and "drug's class" in r.reason
    mrs = "RESULTS: Glutamate and glutamine levels (Glx) were lower in depression than in controls."
    assert assess_relevance(altered, "Ketamine and glutamate in depression", mrs).relevant


def test_ketamine_treating_alcohol_use_disorder_is_not_evidence_on_addiction() -> None:
    r = assess_relevance(
        NOT_ADDICTIVE,
        "A ketamine infusion for alcohol use disorder: a randomized pilot trial",
        "RESULTS: Ketamine increased days abstinent. Craving did not differ. No dependence was seen.",
    )
    assert not r.relevant and "treatment for substance-use" in r.reason


def test_recreational_users_are_indirect_for_a_therapeutic_safety_claim() -> None:
    r = assess_relevance(
        NOT_ADDICTIVE,
        "Dependence among recreational ketamine users",
        "RESULTS: Among 200 recreational users, 30% met criteria for ketamine dependence.",
    )
    assert r.relevant and any("recreational" in x for x in r.indirect)


def test_surgery_keeps_a_ketamine_trial_out_of_a_blood_pressure_claim() -> None:
    r = assess_relevance(
        BP_RISE,
        "Low-dose ketamine and postoperative myalgia after surgery",
        "Blood pressure rose at induction of anesthesia in both groups after surgery.",
    )
    assert not r.relevant and "surgery" in r.reason


# --- reading the findings ----------------------------------------------------------------------


def test_inline_section_labels_give_sentence_roles() -> None:
    roles = [(s.role, s.text[:9]) for s in split_abstract(RCT)]
    assert roles[0] == ("other", "Treatment")
    assert ("results", "Depressio") in roles
    assert roles[-1] == ("conclusion", "Ketamine ")


def test_a_positive_rct_supports_and_names_its_sentence_not_its_methods() -> None:
    s = assess_stance(
        "Ketamine is an effective treatment for major depressive disorder.",
        "asserts-benefit",
        "Ketamine for treatment-resistant major depression: a randomized trial",
        RCT,
        scope=MDD,
    )
    assert s.stance == "supports"
    assert s.anchor_text is not None and s.anchor_text.startswith("Ketamine was effective")
    assert s.anchor_start is not None and RCT[s.anchor_start : s.anchor_end] == s.anchor_text
    assert "'effective'" in s.rationale


def test_authors_concluding_no_effect_contradicts_and_hedged_evidence_abstains() -> None:
    null = (
        "METHODS: Forty patients with depression were randomized to ketamine or saline. RESULTS: "
        "Depression scores did not differ between groups. CONCLUSIONS: Ketamine was not effective "
        "for depression in this trial."
    )
    unsure = (
        "METHODS: We pooled 5 small trials of ketamine in depression. RESULTS: Effects varied. "
        "CONCLUSIONS: The evidence is insufficient to judge ketamine for depression; larger trials "
        "are needed."
    )
    assert _on_mdd(null).stance == "contradicts"
    assert _on_mdd(unsure).stance == "inconclusive"


def test_a_statistical_null_abstains_while_a_judgement_of_no_effect_contradicts() -> None:
    base = "METHODS: Sixty adults with depression were randomized to ketamine or saline. "
    nulls = (
        "CONCLUSIONS: There was no significant difference in depression scores between groups.",
        "CONCLUSIONS: Ketamine did not show a significantly greater antidepressant effect than "
        "saline.",
        "CONCLUSIONS: Ketamine reduced depressive symptoms, but the difference from saline was "
        "not statistically significant.",
    )
    for conclusion in nulls:
        s = _on_mdd(base + conclusion)
        assert s.stance == "inconclusive", conclusion
    judged = "CONCLUSIONS: Ketamine did not improve depressive symptoms and is not effective."
    s = _on_mdd(base + judged)
    assert s.stance == "contradicts"


def test_no_effect_on_another_measure_or_a_worsening_side_effect_does_not_contradict() -> None:
    base = "METHODS: Adults with depression received ketamine infusions. "
    others = (
        "CONCLUSIONS: Treatment of depression with ketamine does not change plasma levels of "
        "neurotrophic factors.",
        "CONCLUSIONS: Side effects in depression were psychiatric, in the form of worsening mood "
        "and agitation.",
    )
    for conclusion in others:
        s = _on_mdd(base + conclusion)
        assert s.stance == "inconclusive", conclusion
    own = "CONCLUSIONS: Ketamine did not reduce depressive symptoms."
    s = _on_mdd(base + own)
    assert s.stance == "contradicts"


def test_a_predictor_finding_or_a_call_for_trials_is_not_a_treatment_effect() -> None:
    base = "METHODS: Adults with depression received ketamine infusions. "
    for conclusion in (
        "CONCLUSIONS: No relationship was observed between EEG complexity and reduction in "
        "depressive symptoms.",
        "CONCLUSIONS: However, there is an urgent need for controlled studies to improve "
        "outcomes in depression.",
        "CONCLUSIONS: Randomized trials with larger samples are warranted to clarify whether "
        "biomarkers track the reduction in depressive symptoms.",
    ):
        s = _on_mdd(base + conclusion)
        assert s.stance == "inconclusive", conclusion
    appended = (
        "CONCLUSIONS: Ketamine rapidly reduced depressive symptoms; further controlled trials "
        "are needed."
    )
    s = _on_mdd(base + appended)
    assert s.stance == "supports"


def test_common_but_short_lived_side_effects_support_a_transience_claim() -> None:
    review = (
        "RESULTS: Dizziness, dissociation and nausea were the most common adverse events; they were "
        "mild and short-lived and resolved within two hours. CONCLUSIONS: Ketamine was well tolerated."
    )
    s = assess_stance(
        "Common side effects of ketamine therapy are mild and resolve soon after the session.",
        "asserts-no-harm",
        "Safety and tolerability of ketamine in depression: a meta-analysis",
        review,
        scope=TRANSIENT,
    )
    assert s.stance == "supports"


DISSOCIATION_BRIEF = claim_scope(
    "Dissociation during a ketamine infusion is temporary and subsides after the session.",
    "safety",
    intervention="subanesthetic ketamine",
    outcome="dissociation",
)


def test_a_harm_listed_among_side_effects_is_answered_by_what_is_said_of_them() -> None:
    statement = (
        "Dissociation during a ketamine infusion is temporary and subsides after the session."
    )
    review = (
        "RESULTS: Dizziness, dissociation and nausea were the most common adverse events. "
        "Psychiatric side effects were transient and resolved after dosing. CONCLUSIONS: Ketamine "
        "has a known side-effect profile."
    )
    title = "Tolerability of ketamine: a meta-analysis"
    s = assess_stance(statement, "asserts-no-harm", title, review, scope=DISSOCIATION_BRIEF)
    assert s.stance == "supports" and "'transient'" in s.rationale
    # a serious harm named in general need not be this one: undecided, not contradicted
    serious = review.replace("were transient and resolved after dosing", "were serious in two")
    s = assess_stance(statement, "asserts-no-harm", title, serious, scope=DISSOCIATION_BRIEF)
    assert s.stance == "inconclusive"


def test_negated_harm_severe_illness_and_lasting_benefit_do_not_contradict_a_no_harm_claim() -> (
    None
):
    statement = (
        "Common side effects of ketamine therapy are mild and resolve soon after the session."
    )
    title = "Ketamine in severe depression: an open trial"
    base = "METHODS: Adults with severe and refractory depression received ketamine. "
    for results in (
        "RESULTS: There were no serious adverse events or deaths; ratings were collected weekly.",
        "RESULTS: Neither serious adverse effects, nor any cases of abuse were observed.",
        "RESULTS: Improvements in depressive symptoms persisted through follow-up in severe "
        "depression.",
    ):
        s = assess_stance(statement, "asserts-no-harm", title, base + results, scope=TRANSIENT)
        assert s.stance != "contradicts", results
    harm = "RESULTS: Serious adverse events occurred in four patients and persisted for weeks."
    s = assess_stance(statement, "asserts-no-harm", title, base + harm, scope=TRANSIENT)
    assert s.stance == "contradicts"


def test_a_rise_in_blood_pressure_without_hypertensive_events_still_reports_the_rise() -> None:
    statement = (
        "Ketamine infusions commonly cause a temporary rise in blood pressure and heart rate."
    )
    abstract = (
        "METHODS: Patients received subanesthetic ketamine. RESULTS: Ketamine increased both blood "
        "pressure and heart rate without causing hypertensive events."
    )
    s = assess_stance(
        statement, "asserts-harm", "Ketamine and haemodynamics", abstract, scope=BP_RISE
    )
    assert s.stance == "supports"


def test_cases_of_dependence_contradict_a_no_addiction_claim() -> None:
    review = (
        "RESULTS: Across 16 studies of ketamine for depression, four patients developed tolerance "
        "and dependence. CONCLUSIONS: Cases of dependence occur; the risk of addiction needs "
        "monitoring."
    )
    s = assess_stance(
        "Therapeutic ketamine does not lead to addiction.",
        "asserts-no-harm",
        "Risk of addiction to ketamine during treatment of depression: a systematic review",
        review,
        scope=NOT_ADDICTIVE,
    )
    assert s.stance == "contradicts"


def test_a_blood_pressure_rise_supports_a_harm_claim_and_its_absence_contradicts() -> None:
    statement = (
        "Ketamine infusions commonly cause a temporary rise in blood pressure and heart rate."
    )
    rise = (
        "RESULTS: Systolic blood pressure increased by 12 mmHg during the infusion and returned to "
        "baseline within an hour. CONCLUSIONS: Subanesthetic ketamine transiently raised blood "
        "pressure."
    )
    flat = (
        "RESULTS: There was no significant change in blood pressure or heart rate during the "
        "infusion. CONCLUSIONS: Ketamine was haemodynamically stable in these patients."
    )
    title = "Cardiovascular effects of subanesthetic ketamine in depression"
    assert assess_stance(statement, "asserts-harm", title, rise, scope=BP_RISE).stance == "supports"
    assert (
        assess_stance(statement, "asserts-harm", title, flat, scope=BP_RISE).stance == "contradicts"
    )


# --- design --------------------------------------------------------------------------------------


def test_protocols_and_errata_never_count_as_evidence() -> None:
    protocol = Article(
        pmid="1",
        title="Ketamine for suicidal ideation: study protocol for a randomised controlled trial",
        abstract="METHODS: Participants will be randomised to ketamine or midazolam. The primary "
        "outcome will be suicidal ideation at 24 hours.",
    )
    erratum = Article(pmid="2", title="Erratum", abstract="Reports an error in the article ...")
    for art in (protocol, erratum):
        d = assess_design(art)
        assert not d.counts_as_evidence and "not-evidence" in d.flags
    assert assess_design(
        Article(pmid="3", title="A randomized trial", abstract=RCT)
    ).counts_as_evidence
    review = Article(
        pmid="5",
        title="Intranasal esketamine for depression: a systematic review and meta-analysis",
        abstract="METHODS: The study protocol was registered with PROSPERO. RESULTS: Esketamine "
        "reduced MADRS scores (mean difference -4.1, 95% CI -5.5 to -2.7).",
    )
    assert assess_design(review).counts_as_evidence and assess_design(review).level == "L1"


def test_a_review_of_open_label_studies_is_flagged() -> None:
    art = Article(
        pmid="4",
        title="Maintenance ketamine: a systematic review",
        abstract="We included 8 open-label studies, 20 case series and case reports and 5 "
        "retrospective chart reviews of maintenance ketamine.",
    )
    d = assess_design(art)
    assert d.level == "L1" and "review-of-non-randomised" in d.flags


# --- rubric v2 -----------------------------------------------------------------------------------


def _item(pmid: str, level: str, stance: str, **kw: object) -> EvidenceItem:
    return EvidenceItem(pmid, level, "humans", stance, "reviewer:T", **kw)  # type: ignore[arg-type]


def test_one_stray_contradiction_among_concordant_reviews_does_not_contest() -> None:
    items = [_item(str(i), "L1", "supports") for i in range(4)] + [_item("9", "L1", "contradicts")]
    g = grade_claim(items)
    assert g.grade == "strong"
    assert any(s.rule == "note-stray-contradiction" and s.pmids == ("9",) for s in g.trace)


def test_real_disagreement_at_the_top_level_contests() -> None:
    items = [_item("1", "L1", "supports"), _item("2", "L1", "supports")]
    items += [_item("3", "L1", "contradicts"), _item("4", "L1", "contradicts")]
    assert grade_claim(items).grade == "contested"


def test_strong_never_rests_on_indirect_evidence_alone() -> None:
    esk = ("esketamine evidence for a ketamine claim",)
    items = [_item("1", "L1", "supports", indirect=esk), _item("2", "L1", "supports", indirect=esk)]
    g = grade_claim(items)
    assert g.grade == "moderate"
    direct = [_item("1", "L1", "supports"), _item("2", "L1", "supports")]
    assert grade_claim(direct).grade == "strong"
    assert grade_claim([*direct[:1], items[1]]).grade == "moderate"  # one direct L1 alone


def test_a_review_of_non_randomised_studies_grades_moderate() -> None:
    g = grade_claim([_item("1", "L1", "supports", flags=("review-of-non-randomised",))])
    assert g.grade == "moderate"


def test_mechanism_claims_are_graded_on_mechanistic_evidence() -> None:
    items = [
        EvidenceItem("1", "L5", "animals", "supports", "reviewer:T"),
        EvidenceItem("2", "L5", "animals", "supports", "reviewer:T"),
    ]
    assert grade_claim(items).grade == "insufficient"
    assert grade_claim(items, kind="mechanism").grade == "limited"


def test_an_absolute_no_harm_claim_is_at_most_moderate() -> None:
    two = [_item("1", "L1", "supports"), _item("2", "L1", "supports")]
    assert grade_claim(two, kind="safety").grade == "strong"
    g = grade_claim(two, kind="safety", absolute=True)
    assert g.grade == "moderate"
    assert any("absolute no-harm" in s.detail for s in g.trace)
    assert not no_harm_qualified("Ketamine is safe when given in a clinical setting.")
    assert not no_harm_qualified("Therapeutic ketamine does not lead to addiction.")
    assert no_harm_qualified("Dissociation during an infusion is temporary.")
    assert no_harm_qualified("Long-term adverse effects are rare.")


def test_a_mechanism_needs_two_direct_records_for_moderate() -> None:
    g = grade_claim([_item("1", "L1", "supports")], kind="mechanism")
    assert g.grade == "limited"
    assert any("single (direct) record" in s.detail for s in g.trace)
    two = [_item("1", "L1", "supports"), _item("2", "L1", "supports")]
    assert grade_claim(two, kind="mechanism").grade == "moderate"
    # opinion (a narrative review about humans) is not mechanistic evidence; an animal study is
    opinion = [EvidenceItem("3", "L5", "humans", "supports", "reviewer:T")]
    assert grade_claim(opinion, kind="mechanism").grade == "insufficient"
    animal = [EvidenceItem("4", "L5", "animals", "supports", "reviewer:T")]
    assert grade_claim(animal, kind="mechanism").grade == "limited"


def test_the_trace_notes_imprecise_deciding_evidence() -> None:
    small = [_item("1", "L2", "contradicts", sample_size=12)]
    g = grade_claim(small)
    assert g.grade == "contradicted"
    (note,) = [s for s in g.trace if s.rule == "note-imprecise"]
    assert "single record (n=12)" in note.detail and note.pmids == ("1",)
    trials = [
        _item("1", "L2", "supports", sample_size=20),
        _item("2", "L2", "supports", sample_size=30),
    ]
    assert any("total 50 participants" in s.detail for s in grade_claim(trials).trace)
    big = [
        _item("1", "L2", "supports", sample_size=200),
        _item("2", "L2", "supports", sample_size=300),
    ]
    assert not any(s.rule == "note-imprecise" for s in grade_claim(big).trace)


def test_a_procedure_needs_two_supporting_records_for_moderate() -> None:
    how = ("procedure as administered in studies, not evidence of how it is given in practice",)
    one = [_item("1", "L2", "supports", indirect=how)]
    assert grade_claim(one, kind="procedure").grade == "limited"
    two = [*one, _item("2", "L2", "supports", indirect=how)]
    assert grade_claim(two, kind="procedure").grade == "moderate"


def test_the_trace_says_why_lower_and_indirect_records_were_discounted() -> None:
    items = [
        _item("1", "L1", "supports"),
        _item("5", "L1", "supports"),
        _item("2", "L2", "supports"),
        _item("3", "L3", "contradicts"),
        _item("4", "L2", "supports", indirect=("healthy volunteers, not patients",)),
    ]
    rules = {s.rule: s.pmids for s in grade_claim(items).trace}
    assert rules["strong"] == ("1", "5")
    assert rules["discounted-lower-level"] == ("2",)
    assert rules["note-lower-level-contradiction"] == ("3",)
    assert rules["discounted-indirect"] == ("4",)


# --- a real record ---------------------------------------------------------------------------------

SHARED = Path(os.environ.get("CLAIMLEDGER_SHARED", Path(__file__).resolve().parents[2] / "shared"))
GUIDELINE = SHARED / "pubmed-fixtures" / "metapub_pmid_xml" / "34843274.xml"


@pytest.mark.shared
def test_the_depression_guideline_that_never_names_ketamine_is_kept_out() -> None:
    if not GUIDELINE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{GUIDELINE} is missing")
        pytest.skip(f"needs {GUIDELINE} (../shared beside the checkout)")
    (art,) = list(iter_articles(GUIDELINE))
    s = assess_stance(
        "Ketamine is an effective treatment for major depressive disorder.",
        "asserts-benefit",
        art.title,
        art.abstract,
        scope=MDD,
    )
    assert s.stance == "not-relevant" and "never names" in s.rationale


def test_off_pico_evidence_is_shown_but_never_decides() -> None:
    off = ("off-PICO: non-medical (recreational) users, not patients treated under supervision",)
    items = [
        _item("1", "L3", "supports"),
        _item("2", "L1", "contradicts", indirect=off),
        _item("3", "L1", "contradicts", indirect=off),
    ]
    g = grade_claim(items)
    assert g.grade == "limited"
    assert any(s.rule == "discounted-off-pico" and s.pmids == ("2", "3") for s in g.trace)


def test_a_procedure_claim_needs_a_record_that_describes_the_procedure() -> None:
    session = claim_scope(
        "A ketamine infusion session lasts about 40 to 60 minutes.",
        "procedure",
        intervention="intravenous ketamine 0.5 mg/kg",
        outcome="infusion duration",
    )
    statement = "A ketamine infusion session lasts about 40 to 60 minutes."
    s = assess_stance(statement, "asserts-fact", "Ketamine in major depression", RCT, scope=session)
    assert s.stance == "not-relevant" and "specific terms" in s.rationale
    described = (
        "METHODS: Patients received ketamine 0.5 mg/kg as an intravenous infusion over 40 minutes "
        "in each session. RESULTS: Every infusion session lasted 40 minutes; depression improved."
    )
    s = assess_stance(statement, "asserts-fact", "Ketamine infusions", described, scope=session)
    assert s.stance == "supports" and "procedure" in s.rationale


def test_a_combination_claim_needs_the_co_intervention_and_its_own_outcome() -> None:
    combo = claim_scope(
        "Combining ketamine with psychotherapy makes the treatment more effective.",
        "efficacy",
        population="adults with depression",
        intervention="ketamine-assisted psychotherapy",
    )
    r = assess_relevance(combo, "Ketamine for treatment-resistant major depression", RCT)
    assert not r.relevant and "co-intervention" in r.reason
    qol = claim_scope(
        "Ketamine therapy improves quality of life.",
        "efficacy",
        population="adults with depression",
        outcome="quality of life",
    )
    with_qol = RCT + " Quality of life was measured at baseline."
    s = assess_stance(
        "Ketamine therapy improves quality of life.",
        "asserts-benefit",
        "Ketamine in major depression",
        with_qol,
        scope=qol,
    )
    assert s.stance == "inconclusive"  # benefit on depression does not answer quality of life


def test_a_call_for_further_research_is_not_a_finding() -> None:
    abstract = (
        "METHODS: Twenty adults with major depression received ketamine infusions. RESULTS: "
        "Scores did not change from baseline. CONCLUSIONS: Further studies are needed to learn "
        "whether remission and improved mood follow repeated infusions."
    )
    s = assess_stance(
        "Ketamine is an effective treatment for major depressive disorder.",
        "asserts-benefit",
        "Ketamine infusions in major depression",
        abstract,
        scope=MDD,
    )
    assert s.stance != "supports" and "remission" not in (s.anchor_text or "")


def test_a_benefit_qualified_by_a_contrast_is_mixed() -> None:
    weaker = (
        "METHODS: Adults with anxious depression received six ketamine infusions. CONCLUSIONS: "
        "Ketamine rapidly reduced depressive symptoms, but the response was weaker than in "
        "depression without anxiety."
    )
    s = _on_mdd(weaker, "Ketamine in depression")
    assert s.stance == "inconclusive" and "'weaker'" in s.rationale
    fades = weaker.replace(
        "the response was weaker than in depression without anxiety",
        "most patients relapsed in the two weeks after the last infusion",
    )
    # an immediate benefit that fades still answers "ketamine reduces symptoms" ...
    assert _on_mdd(fades, "Ketamine in depression").stance == "supports"
    # ... but not a claim that the benefit lasts
    lasts = "The benefits of a course of ketamine treatment persist for weeks or months afterwards."
    assert (
        assess_stance(lasts, "asserts-benefit", "Ketamine in depression", fades, scope=LASTS).stance
        == "inconclusive"
    )


def test_a_finding_on_another_outcome_does_not_decide_the_claims_outcome() -> None:
    abstract = (
        "METHODS: Adults with major depression received ketamine as an add-on. CONCLUSIONS: "
        "Ketamine did not decrease cognitive impairment, but improved depressive symptoms within "
        "a week."
    )
    s = _on_mdd(abstract, "Ketamine in depression")
    assert s.stance == "supports" and "'improved'" in s.rationale
    null = abstract.replace(", but improved depressive symptoms within a week", "")
    null = null.replace("cognitive impairment", "depressive symptoms")
    s = _on_mdd(null, "Ketamine in depression")
    assert s.stance == "contradicts" and "'did not decrease'" in s.rationale


def test_a_promising_result_whose_convincing_evidence_is_lacking_abstains() -> None:
    abstract = (
        "METHODS: We reviewed three small trials of ketamine in depressed adults. CONCLUSIONS: "
        "Current evidence suggests that ketamine is a promising intervention for depression. "
        "Convincing evidence for the efficacy of ketamine in this setting remains lacking."
    )
    s = _on_mdd(abstract, "Ketamine in depression")
    assert s.stance == "inconclusive" and "remains lacking" in s.rationale
    hedged_null = abstract.replace(
        "Convincing evidence for the efficacy of ketamine in this setting remains lacking",
        "A single rapid infusion may not be a feasible approach to treatment",
    )
    s = _on_mdd(hedged_null, "Ketamine in depression")
    assert s.stance == "inconclusive"  # a hedged negative is not a finding of no effect
    certainty = abstract.replace(
        "Convincing evidence for the efficacy of ketamine in this setting remains lacking",
        "However, the evidence is limited by small samples",
    )
    s = _on_mdd(certainty, "Ketamine in depression")
    assert s.stance == "supports"  # how certain the evidence is: the rubric's business
    durability = abstract.replace(
        "Convincing evidence for the efficacy of ketamine in this setting remains lacking",
        "Its long-term effects remain unknown",
    )
    s = _on_mdd(durability, "Ketamine in depression")
    assert s.stance == "supports"  # a doubt about durability leaves an acute benefit standing


def test_an_anatomical_superior_is_not_a_benefit() -> None:
    abstract = (
        "METHODS: Depressed adults had MRI before ketamine. RESULTS: Lower kurtosis of the "
        "superior longitudinal fasciculus was seen in depression. CONCLUSIONS: ketamine was "
        "superior to saline for depression."
    )
    sents = split_abstract(abstract)
    topic = re.compile(r"depress\w*", re.I)
    assert read_efficacy(sents[:2], topic).stance == "inconclusive"
    costs = split_abstract("CONCLUSIONS: Treating depression this way was cost-effective.")
    assert read_efficacy(costs, topic).stance == "inconclusive"  # a price, not a benefit
    assert read_efficacy(sents, topic).stance == "supports"


LONG_TERM_SAFE = claim_scope(
    "Long-term adverse effects of therapeutic ketamine are rare.",
    "safety",
    intervention="repeated therapeutic ketamine",
    outcome="long-term adverse effects",
    timeframe="months to years",
)


def test_acute_tolerability_is_indirect_for_a_long_term_safety_claim() -> None:
    statement = "Long-term adverse effects of therapeutic ketamine are rare."
    acute = (
        "METHODS: We pooled trials of ketamine infusions in depression. RESULTS: Dizziness and "
        "nausea were the most common events. Participants were followed for up to 12 months. "
        "CONCLUSIONS: Adverse events were mild and resolved within two hours of the infusion."
    )
    s = assess_stance(
        statement,
        "asserts-no-harm",
        "Ketamine in depression: a review",
        acute,
        scope=LONG_TERM_SAFE,
    )
    assert s.stance == "supports" and any("timeframe" in r for r in s.indirect)
    # the same reassurance from a record about maintenance treatment is direct
    m = assess_stance(
        statement,
        "asserts-no-harm",
        "Maintenance ketamine for depression: a review",
        acute,
        scope=LONG_TERM_SAFE,
    )
    assert m.stance == "supports" and not any("timeframe" in r for r in m.indirect)


def test_a_mixed_review_grades_moderate_only_for_a_long_term_claim() -> None:
    mixed = [
        _item(p, "L1", "supports", flags=("review-includes-non-randomised",)) for p in ("1", "2")
    ]
    assert grade_claim(mixed).grade == "strong"
    g = grade_claim(mixed, kind="safety", long_term=True)
    assert g.grade == "moderate"
    assert any(s.rule == "note-long-term-mixed-review" for s in g.trace)


def test_a_review_naming_observational_studies_beside_trials_is_flagged_mixed() -> None:
    art = Article(
        pmid="1",
        title="Ketamine maintenance in depression: a systematic review",
        abstract=(
            "METHODS: We searched databases for randomized trials and observational studies of "
            "maintenance ketamine. RESULTS: Nine studies were included; relapse was less common "
            "with weekly dosing. CONCLUSIONS: Maintenance ketamine was well tolerated."
        ),
    )
    d = assess_design(art)
    assert d.level == "L1" and "review-includes-non-randomised" in d.flags


def test_a_comparative_claim_needs_records_that_name_its_alternative() -> None:
    supervised = claim_scope(
        "Giving ketamine under medical supervision greatly reduces the risk of abuse.",
        "safety",
        intervention="supervised, in-clinic ketamine",
        comparator="unsupervised or take-home use",
        outcome="misuse or diversion",
    )
    general = (
        "METHODS: We reviewed reports of ketamine misuse. RESULTS: Misuse was reported in 12 "
        "studies. CONCLUSIONS: Ketamine has abuse potential."
    )
    r = assess_relevance(supervised, "Ketamine misuse: a review", general)
    assert not r.relevant and "comparator" in r.reason
    compared = general.replace("in 12 studies", "more often with take-home than in-clinic dosing")
    assert assess_relevance(supervised, "Ketamine misuse: a review", compared).relevant
    # a control comparator (placebo) never narrows the claim
    mdd = claim_scope("Ketamine treats depression.", "efficacy", comparator="placebo")
    assert assess_relevance(mdd, "Ketamine in major depression", RCT).relevant


def test_a_short_lived_benefit_is_not_reassurance_about_harm() -> None:
    statement = "Long-term adverse effects of therapeutic ketamine are rare."
    review = (
        "METHODS: We reviewed trials of repeated ketamine infusions for depression over months. "
        "RESULTS: Nausea and dizziness were the most common adverse events reported. "
        "CONCLUSIONS: The short-lived antidepressant effect of ketamine is its main limitation "
        "for maintenance treatment."
    )
    s = assess_stance(
        statement, "asserts-no-harm", "Repeated ketamine: a review", review, scope=LONG_TERM_SAFE
    )
    assert s.stance != "supports"
    safe = review.replace(
        "The short-lived antidepressant effect of ketamine is its main limitation",
        "Adverse events were short-lived and no new harms emerged",
    )
    s2 = assess_stance(
        statement, "asserts-no-harm", "Repeated ketamine: a review", safe, scope=LONG_TERM_SAFE
    )
    assert s2.stance == "supports"


def test_a_benefit_at_24_hours_is_indirect_for_a_claim_that_benefits_last() -> None:
    lasts = "The benefits of a course of ketamine treatment persist for weeks or months afterwards."
    review = (
        "BACKGROUND: Depression is common and often resistant to treatment. METHODS: We "
        "searched five databases and pooled the randomised trials of ketamine in adults with "
        "depression. RESULTS: Six trials were included. CONCLUSIONS: A course of six infusions "
        "over two weeks was well tolerated. "
        "Ketamine reduced depressive symptoms at 24 hours compared with placebo."
    )
    s = assess_stance(lasts, "asserts-benefit", "Ketamine in depression", review, scope=LASTS)
    assert s.stance == "supports" and any("timeframe" in r for r in s.indirect)
    sustained = review.replace("at 24 hours", "and the benefit was sustained for three months")
    s2 = assess_stance(lasts, "asserts-benefit", "Ketamine in depression", sustained, scope=LASTS)
    assert s2.stance == "supports" and not any("timeframe" in r for r in s2.indirect)


# --- issue 12, round 3: comparison, follow-up and procedure indirectness (synthetic records) ---

FASTER = claim_scope(
    "Ketamine relieves depression faster than standard antidepressants.",
    "efficacy",
    population="adults with depression",
    intervention="ketamine",
    comparator="conventional (monoaminergic) antidepressants",
    outcome="time to response",
)
ADD_ON = claim_scope(
    "Combining ketamine with psychotherapy makes the treatment more effective.",
    "efficacy",
    population="adults with depression",
    intervention="ketamine-assisted psychotherapy",
    comparator="ketamine alone",
    outcome="response",
)
COMPARISON = "does not report the claim's comparison"


def test_a_comparative_claim_is_direct_only_for_records_reporting_the_comparison() -> None:
    # synthetic: ketamine against placebo, antidepressants only named as background
    vs_placebo = RCT.replace(
        "Treatment-resistant depression is common.",
        "Conventional antidepressants take weeks to act.",
    )
    r = assess_relevance(FASTER, "Ketamine in major depression", vs_placebo)
    assert r.relevant and any(COMPARISON in x for x in r.indirect)
    # "faster than placebo" is a comparison with a control, not with the claim's comparator
    than_placebo = vs_placebo.replace("fell more", "fell faster than placebo in antidepressant")
    assert any(COMPARISON in x for x in assess_relevance(FASTER, "Ketamine", than_placebo).indirect)
    head_to_head = vs_placebo.replace(
        "Ketamine was effective", "Ketamine acted faster compared with conventional antidepressants"
    )
    r2 = assess_relevance(FASTER, "Ketamine in major depression", head_to_head)
    assert r2.relevant and not any(COMPARISON in x for x in r2.indirect)


def test_an_add_on_claim_needs_records_comparing_with_the_treatment_alone() -> None:
    single_arm = (
        "METHODS: Thirty adults with major depression received ketamine-assisted psychotherapy. "
        "RESULTS: Depression scores fell and 40% responded. CONCLUSIONS: Ketamine with "
        "psychotherapy was feasible and effective."
    )
    r = assess_relevance(ADD_ON, "Ketamine-assisted psychotherapy for depression", single_arm)
    assert r.relevant and any(COMPARISON in x for x in r.indirect)
    compared = single_arm.replace(
        "Ketamine with psychotherapy was feasible",
        "Ketamine with psychotherapy was more effective than ketamine alone",
    )
    r2 = assess_relevance(ADD_ON, "Ketamine-assisted psychotherapy for depression", compared)
    assert r2.relevant and not any(COMPARISON in x for x in r2.indirect)


def test_a_durability_claim_needs_follow_up_reaching_its_timeframe() -> None:
    title = "Repeated ketamine infusions in major depression"
    short = (
        "METHODS: Adults with major depression received repeated infusions of ketamine. RESULTS: "
        "Depression scores fell after the course and 50% of patients responded at 24 hours. "
        "CONCLUSIONS: Repeated infusions were effective in major depression."
    )
    r = assess_relevance(LASTS, title, short)
    assert r.relevant and any("timeframe (month)" in x for x in r.indirect)
    # a bare duration (how long patients had been ill) is not follow-up
    bare = short.replace("at 24 hours", "when ill under 2 years")
    assert any("timeframe (month)" in x for x in assess_relevance(LASTS, title, bare).indirect)
    long = short.replace("at 24 hours", "and the response was sustained for six months")
    assert assess_relevance(LASTS, title, long).indirect == ()


def test_procedure_evidence_is_indirect_and_never_grades_strong() -> None:
    route = claim_scope(
        "Ketamine for depression is given intravenously at low, subanaesthetic doses.",
        "procedure",
        intervention="subanesthetic intravenous ketamine",
    )
    r = assess_relevance(route, "Intravenous ketamine in major depression", RCT)
    assert r.relevant and any(
        "not evidence of how it is given in practice" in x for x in r.indirect
    )
    items = [_item(str(i), "L1", "supports", indirect=r.indirect) for i in range(3)]
    assert grade_claim(items, kind="procedure").grade == "moderate"


def test_strong_needs_one_direct_review_or_two_direct_trials() -> None:
    assert grade_claim([_item("1", "L2", "supports")]).grade == "moderate"
    two = [_item("1", "L2", "supports"), _item("2", "L2", "supports")]
    assert grade_claim(two).grade == "strong"
