"""Which treatment a sentence is about (treatment attribution in copy/structure.py).

All copy here was written for these tests; none of it is taken from a website or the dev set.
Each test is one grammatical construction that used to send a sentence to the wrong treatment.
"""

from __future__ import annotations

import pytest

from claimledger.copy.structure import page_units


def about(text: str, kind: str = "txt") -> dict[str, str | None]:
    return {u.norm: u.treatment for u in page_units(text, kind)}


def test_a_pronoun_in_a_fronted_clause_points_at_the_main_clause_subject() -> None:
    page = (
        "SSRIs can take six weeks to work. "
        "Because it is FDA-approved, Spravato is covered by many plans. "
        "Since they act on serotonin, SSRIs often cause weight gain.\n"
    )
    t = about(page)
    assert t["Because it is FDA-approved, Spravato is covered by many plans."] == "ketamine"
    assert t["Since they act on serotonin, SSRIs often cause weight gain."] == "ssri"


def test_a_pronoun_that_names_no_treatment_does_not_take_the_listed_ones() -> None:
    page = (
        "Ketamine is not approved for alcohol use disorder. "
        "Heavy drinking is treatable, and two medicines already have FDA approval for it, "
        "including disulfiram and acamprosate.\n"
    )
    t = about(page)
    assert t["Ketamine is not approved for alcohol use disorder."] == "ketamine"
    listed = (
        "Heavy drinking is treatable, and two medicines already have FDA approval for it, "
        "including disulfiram and acamprosate."
    )
    assert t[listed] == "addiction-medicine"


def test_a_pronoun_before_a_medicine_given_alongside_still_points_back() -> None:
    page = "Spravato is a nasal spray. The FDA cleared it for adults, used with an oral SSRI.\n"
    assert about(page)["The FDA cleared it for adults, used with an oral SSRI."] == "ketamine"


def test_why_people_stop_a_medicine_is_about_that_medicine() -> None:
    page = (
        "Ketamine for depression\n\n"
        "Nausea and a flat mood are the usual reasons patients stop their SSRIs. "
        "Ketamine helps many patients stop SSRIs altogether.\n"
    )
    t = about(page)
    assert t["Nausea and a flat mood are the usual reasons patients stop their SSRIs."] == "ssri"
    assert t["Ketamine helps many patients stop SSRIs altogether."] == "ketamine"


def test_a_comparison_table_row_is_about_the_pages_treatment_not_the_first_column() -> None:
    page = (
        "# How the options compare\n\n"
        "Ketamine is our main service.\n\n"
        "| | TMS | Ketamine | ECT |\n|---|---|---|---|\n"
        "| Needs anaesthesia | No | No | Yes |\n"
    )
    t = about(page, "md")
    assert t["TMS Ketamine ECT"] == "ketamine"
    assert t["Needs anaesthesia No No Yes"] == "ketamine"


def test_the_products_form_word_after_another_name_is_that_treatments_form() -> None:
    page = "Ketamine is our main service. Vitamin infusions are also on the menu.\n"
    assert about(page)["Vitamin infusions are also on the menu."] == "iv-nutrient"


def test_a_name_made_an_adjective_of_likeness_is_the_comparator() -> None:
    page = (
        "Evenmind capsules\n\nEvenmind capsules support a calm mood.\n\n"
        "Ketamine-Style Calm Without A Clinic Visit\n\n"
        "Ketamine is given only in a clinic.\n"
    )
    t = about(page, "md")
    assert t["Ketamine-Style Calm Without A Clinic Visit"] == "supplement"
    assert t["Ketamine is given only in a clinic."] == "ketamine"


def test_another_treatment_carries_over_within_its_paragraph_only() -> None:
    page = (
        "Ketamine for depression\n\n"
        "SSRIs can take six weeks to work. Weight gain is a common complaint.\n\n"
        "Most patients feel lighter within a day.\n"
    )
    t = about(page)
    assert t["Weight gain is a common complaint."] == "ssri"
    assert t["Most patients feel lighter within a day."] == "ketamine"


def test_a_sentence_that_points_back_keeps_the_other_treatment_past_a_break() -> None:
    page = (
        "Ketamine for depression\n\n"
        "SSRIs can take six weeks to work.\n\n"
        "They also cause weight gain in some people.\n"
    )
    assert about(page)["They also cause weight gain in some people."] == "ssri"


def test_a_short_faq_answer_is_about_the_pages_treatment_after_a_comparison() -> None:
    page = (
        "Ketamine FAQ\n\n"
        "Is it faster? Yes: antidepressants take six weeks to kick in.\n\n"
        "Is it safe?\n\n"
        "Safer than the drive here.\n"
    )
    assert about(page)["Safer than the drive here."] == "ketamine"


def test_a_condition_other_treatments_left_unchanged_is_about_the_pages_treatment() -> None:
    page = (
        "Ketamine infusions\n\n"
        "Help for depression that hasn't improved after two or more antidepressants.\n\n"
        "It works where opioids have failed.\n"
    )
    t = about(page)
    assert t["Help for depression that hasn't improved after two or more antidepressants."] == (
        "ketamine"
    )
    assert t["It works where opioids have failed."] == "ketamine"


def test_a_medicine_the_treatment_lets_people_drop_is_its_object() -> None:
    page = (
        "Ketamine for chronic pain\n\n"
        "Many of our patients never need opioids again.\n\n"
        "Fewer Opioids, More Living\n"
    )
    t = about(page)
    assert t["Many of our patients never need opioids again."] == "ketamine"
    assert t["Fewer Opioids, More Living"] == "ketamine"


def test_a_pronoun_in_a_comparator_opening_is_the_comparator() -> None:
    page = "Ketamine for depression\n\nTMS and ECT take weeks. Unlike these, ketamine works fast.\n"
    assert about(page)["Unlike these, ketamine works fast."] == "ketamine"


def test_a_pronoun_in_a_when_or_if_opening_still_points_back() -> None:
    """Only comparisons make a pronoun the comparator: in "When it wears off, ..." the pronoun is
    the treatment under discussion, not the antidepressants the sentence goes on to name."""
    page = (
        "Ketamine for depression\n\nKetamine can lift mood within hours. "
        "When it wears off, some patients go back to their antidepressants.\n"
    )
    assert about(page)["When it wears off, some patients go back to their antidepressants."] == (
        "ketamine"
    )


def test_services_a_clinic_group_sells_beside_the_product_are_other_treatments() -> None:
    page = (
        "Ketamine is our main service.\n\n"
        "Testosterone replacement therapy can lift energy in men with low levels. "
        "Acoustic wave therapy is offered for erectile problems. "
        "A medically supervised detox comes before any other care. "
        "IV iron corrects anaemia faster than tablets. "
        "Holotropic breathwork is a guided practice. "
        "Ibogaine is sometimes used abroad for opioid addiction. "
        "Sildenafil is taken an hour before sex.\n"
    )
    t = about(page)
    assert t["Testosterone replacement therapy can lift energy in men with low levels."] == (
        "hormone"
    )
    assert t["Acoustic wave therapy is offered for erectile problems."] == "shockwave"
    assert t["A medically supervised detox comes before any other care."] == "detox"
    assert t["IV iron corrects anaemia faster than tablets."] == "iron"
    assert t["Holotropic breathwork is a guided practice."] == "breathwork"
    assert t["Ibogaine is sometimes used abroad for opioid addiction."] == "psilocybin"
    assert t["Sildenafil is taken an hour before sex."] == "medication"


def test_a_sedative_given_with_the_product_or_its_side_effects_stay_the_products() -> None:
    page = (
        "Ketamine infusions for nerve pain\n\n"
        "We give a small dose of midazolam alongside to soften the dreamlike effects. "
        "Slow breathing is a rare effect of high doses, which is why oxygen is monitored.\n"
    )
    t = about(page)
    assert t["We give a small dose of midazolam alongside to soften the dreamlike effects."] == (
        "ketamine"
    )
    assert (
        t["Slow breathing is a rare effect of high doses, which is why oxygen is monitored."]
        == "ketamine"
    )


@pytest.mark.parametrize(
    "line",
    [
        "The treatment helps many people stay sober after inpatient detox.",
        "Our detox clients often feel relief after the first session.",
        "Most sessions open with a short breathwork exercise to help you settle.",
        "Avoid stimulants such as caffeine and energy drinks on the day of your session.",
    ],
)
def test_a_pathway_step_or_a_session_routine_stays_the_products(line: str) -> None:
    """review20b: "inpatient detox" is the addiction clinic's pathway to the product, a breathwork
    exercise opens the product's own session, and "stimulants" there is caffeine: none is a rival
    treatment that takes the sentence away from the product."""
    page = (
        "Ketamine infusions for depression\n\nKetamine is our main service. It is given by IV.\n\n"
    )
    assert about(page + line + "\n")[line] == "ketamine"


def test_a_dosage_form_word_after_another_treatments_name_is_that_treatments_form() -> None:
    page = (
        "Ketamine for postpartum depression\n\n"
        "Ketamine infusions can lift mood within days for some mothers.\n\n"
        "Zuranolone, a two-week course of capsules, and brexanolone, a hospital infusion, are the "
        "medicines approved for this condition.\n"
        "Brexanolone, given as a long IV infusion, was approved first.\n"
    )
    t = about(page)
    assert t["Ketamine infusions can lift mood within days for some mothers."] == "ketamine"
    assert t["Brexanolone, given as a long IV infusion, was approved first."] == "neurosteroid"


def test_a_medicine_the_patient_is_on_is_a_condition_of_the_treatment() -> None:
    page = (
        "Ketamine for bipolar depression\n\n"
        "We treat bipolar depression only in patients who are already on a mood stabiliser.\n"
        "Mood stabilisers such as lithium need regular blood tests.\n"
    )
    t = about(page)
    on = "We treat bipolar depression only in patients who are already on a mood stabiliser."
    assert t[on] == "ketamine"
    assert t["Mood stabilisers such as lithium need regular blood tests."] == "medication"


def test_a_recovery_programme_is_about_the_programme_not_the_drug_it_treats() -> None:
    page = (
        "Help for ketamine addiction\n\n"
        "Ketamine addiction can scar the bladder within a few years of heavy use.\n\n"
        "Our residential programme gives people twelve weeks away from ketamine.\n"
        "Sober living after rehab helps people stay off ketamine for good.\n"
    )
    t = about(page)
    assert t["Ketamine addiction can scar the bladder within a few years of heavy use."] == (
        "ketamine"
    )
    assert t["Our residential programme gives people twelve weeks away from ketamine."] == "rehab"
    assert t["Sober living after rehab helps people stay off ketamine for good."] == "rehab"


def test_stopping_a_medicine_as_the_sentences_subject_is_about_that_medicine() -> None:
    page = (
        "Ketamine for depression\n\n"
        "Stopping an SSRI abruptly can leave people dizzy for a week or two.\n"
        "Ketamine helps some patients cut down their SSRIs.\n"
    )
    t = about(page)
    assert t["Stopping an SSRI abruptly can leave people dizzy for a week or two."] == "ssri"
    assert t["Ketamine helps some patients cut down their SSRIs."] == "ketamine"


@pytest.mark.parametrize(
    ("line", "treatment"),
    [
        ("Many people who are on SSRIs feel emotionally flat.", "ssri"),
        (
            "Many people who are on SSRIs feel emotionally flat.\nWhile on SSRIs, many gain weight.",
            "ssri",
        ),
        ("People who stay on lithium for years need regular kidney checks.", "medication"),
        ("Patients who are on lithium can still have ketamine.", "ketamine"),
        ("Ketamine is safe for patients who are on SSRIs.", "ketamine"),
        (
            "Because of that, we only treat patients who are on a stable mood stabiliser.",
            "ketamine",
        ),
        ("Bipolar depression (when mood is stable on a mood stabiliser)", "ketamine"),
    ],
)
def test_a_medicine_the_patient_is_on_is_a_condition_only_beside_the_treatment(
    line: str, treatment: str
) -> None:
    """The co-medication reading needs the treatment named outside the "on" phrase: a sentence
    about what people on another medicine go through is about that medicine."""
    page = "Ketamine for depression\n\nKetamine infusions can ease depression within hours.\n\n"
    t = about(page + line + "\n")
    assert all(t[one] == treatment for one in line.split("\n"))


def test_on_another_treatments_page_the_product_someone_is_on_stays_the_product() -> None:
    page = (
        "TMS therapy for depression\n\n"
        "TMS uses magnetic pulses to stimulate the brain. TMS sessions take 20 minutes.\n\n"
        "Patients who stay on ketamine maintenance relapse less often in some studies.\n"
        "People who are on Spravato must be watched for two hours after each dose.\n"
        "Many people who are on SSRIs still have symptoms.\n"
    )
    t = about(page)
    assert t["Patients who stay on ketamine maintenance relapse less often in some studies."] == (
        "ketamine"
    )
    assert t["People who are on Spravato must be watched for two hours after each dose."] == (
        "ketamine"
    )
    assert t["Many people who are on SSRIs still have symptoms."] == "ssri"


@pytest.mark.parametrize(
    "line",
    [
        "Many of our patients come to us after rehab, and ketamine helps them stay sober.",
        "After rehab, relapse within a year is common, and our infusions can help.",
        "Most of our patients have been through rehab before they come to us.",
        "Many of our patients completed a 12-step programme first.",
    ],
)
def test_on_a_page_selling_the_product_rehab_as_a_prior_step_keeps_the_product(line: str) -> None:
    page = (
        "Ketamine-assisted therapy for alcohol use disorder\n\n"
        "Ketamine infusions can help people drink less.\n\n"
    )
    assert about(page + line + "\n")[line] == "ketamine"


def test_a_sentence_about_rehab_itself_is_about_rehab() -> None:
    page = (
        "Ketamine-assisted therapy for alcohol use disorder\n\n"
        "Ketamine infusions can help people drink less.\n\n"
        "Rehab is expensive and relapse after rehab is common.\n"
    )
    assert about(page)["Rehab is expensive and relapse after rehab is common."] == "rehab"


def test_trauma_focused_therapy_is_psychotherapy_not_the_pages_product() -> None:
    """The first-line therapy of PTSD pages, named by its usual generic name ("trauma-focused
    therapy", "trauma-focused psychotherapy"), is another treatment: a sentence that names only
    it is about it, while a sentence about the product beside it stays the product's."""
    page = (
        "Ketamine infusions for PTSD\n\n"
        "Trauma-focused psychotherapy remains the first-line treatment for PTSD.\n\n"
        "Many people still have symptoms after trauma-focused therapy.\n\n"
        "Ketamine can ease symptoms within days for some patients.\n"
    )
    t = about(page)
    assert t["Trauma-focused psychotherapy remains the first-line treatment for PTSD."] == (
        "psychotherapy"
    )
    assert t["Many people still have symptoms after trauma-focused therapy."] != "ketamine"
    assert t["Ketamine can ease symptoms within days for some patients."] == "ketamine"


def test_the_product_another_treatment_is_paired_with_is_the_combined_services() -> None:
    """A KAP clinic's own service ("psychotherapy sessions paired with ketamine infusions") is
    about the product, named after the pairing word; a medicine named after "used with" stays
    what the product is given with, and another treatment paired with a third stays its own."""
    page = (
        "Ketamine-assisted care\n\n"
        "Our trauma-focused psychotherapy sessions are paired with low-dose ketamine infusions.\n\n"
        "Spravato is approved for depression, used with an oral antidepressant.\n\n"
        "SSRIs combined with talk therapy help many people.\n"
    )
    t = about(page)
    paired = (
        "Our trauma-focused psychotherapy sessions are paired with low-dose ketamine infusions."
    )
    assert t[paired] == "ketamine"
    assert t["Spravato is approved for depression, used with an oral antidepressant."] == "ketamine"
    assert t["SSRIs combined with talk therapy help many people."] == "ssri"
