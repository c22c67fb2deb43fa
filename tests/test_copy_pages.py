"""The copy checker on page structure, treatments, wording flags and input formats.

All copy here was written for these tests, in the styles clinics publish (FAQ, landing page,
other-treatment page, testimonials); none of it is taken from a website or from the dev set.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimledger.cli import cli
from claimledger.copy.check import Finding, _compared_with, check_text
from claimledger.copy.documents import read_document
from claimledger.copy.normalise import normalise
from claimledger.copy.structure import domain, page_units
from claimledger.copy.wording import lexicon_flags
from claimledger.library.claims import load_claims
from claimledger.textutil import segment, sentences

ROOT = Path(__file__).resolve().parents[1]
LIBRARY = load_claims(ROOT / "claims.yaml")


def run(
    text: str, kind: str = "txt", roles: tuple[tuple[int, int, str], ...] = ()
) -> list[Finding]:
    return check_text("page", text, LIBRARY, {}, kind=kind, roles=roles).findings


def by_sentence(fs: list[Finding], start: str) -> Finding:
    (f,) = [f for f in fs if f.sentence.startswith(start)]
    return f


def codes(text: str) -> set[str]:
    return {f.code for f in lexicon_flags(normalise(text))}


FAQ = """<html><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/book">Book a visit</a></li></ul></nav>
<h1>Questions we hear every week</h1>
<h3>Can I get hooked on it?</h3>
<p>Under medical supervision, no. We give each dose in the clinic and never send any home.</p>
<h3>What does a visit look like?</h3>
<p>Your session lasts about 45 minutes, and a nurse watches your blood pressure throughout.</p>
<p>Common effects include:</p>
<ul><li>a brief rise in blood pressure</li><li>a dreamy, floating feeling that passes within the hour</li></ul>
<figure><img src="room.jpg"><figcaption>One of our quiet rooms, with a recliner and soft lighting.</figcaption></figure>
<p>Our board-certified anesthesiologists and private rooms make every visit comfortable.</p>
<p>If you are in crisis, call or text 988 right away.</p>
<footer><p>Lakeside Ketamine Clinic · 12 Shore Road · (555) 010-2233</p></footer>
</body></html>
"""


def test_faq_answers_read_with_their_question_and_bullets_with_their_intro(tmp_path: Path) -> None:
    p = tmp_path / "faq.html"
    p.write_text(FAQ)
    doc = read_document(p)
    assert ("furniture" in {r for *_, r in doc.roles}) and ("caption" in {r for *_, r in doc.roles})
    fs = check_text(doc.name, doc.text, LIBRARY, {}, kind=doc.kind, roles=doc.roles).findings
    answer = by_sentence(fs, "Under medical supervision, no.")
    assert answer.context == "Can I get hooked on it?"
    assert answer.claim_id == "not-addictive"
    assert "ABSOLUTE_SAFETY" in {fl.code for fl in answer.flags}
    bullet = by_sentence(fs, "a brief rise in blood pressure")
    assert bullet.context == "Common effects include:"
    assert bullet.topic == "safety-short-term"
    said = " ".join(f.sentence for f in fs)
    for filler in (
        "Home",
        "quiet rooms",
        "board-certified",
        "988",
        "Shore Road",
        "Questions we hear",
    ):
        assert filler not in said, filler


def test_a_rhetorical_question_in_quotes_is_not_a_claim() -> None:
    fs = run('Many veterans ask us, "Is ketamine just trading one addiction for another?"\n')
    assert fs == []


def test_title_case_headlines_are_claims_and_section_titles_are_not() -> None:
    page = (
        "Fast Relief From Dark Thoughts With IV Ketamine\n\n"
        "Understanding Your Options\n\n"
        "Ketamine infusions are given in our clinic under supervision.\n"
    )
    fs = run(page)
    head = by_sentence(fs, "Fast Relief From Dark Thoughts")
    assert head.topic == "suicidal-ideation"
    assert "UNQUALIFIED_EFFICACY" in {fl.code for fl in head.flags}  # "Fast Relief" promised
    assert not [f for f in fs if f.sentence.startswith("Understanding")]


def test_the_procedure_and_it_are_the_pages_product() -> None:
    fs = run(
        "Ketamine infusions at our pain center.\n\n"
        "The procedure can ease nerve pain such as diabetic neuropathy when other drugs have failed.\n"
    )
    f = by_sentence(fs, "The procedure can ease nerve pain")
    assert f.claim_id == "relieves-neuropathic-pain" and f.other_treatment is None


def test_sentences_about_other_treatments_never_match_the_library() -> None:
    fs = run(
        "Ketamine for depression\n\n"
        "SSRIs such as sertraline usually take four to six weeks to reach their full effect. "
        "Unlike SSRIs, ketamine can reduce depressive symptoms within hours. "
        "ECT is a miracle for the most severe depression.\n"
    )
    ssri = by_sentence(fs, "SSRIs such as sertraline")
    assert (
        ssri.other_treatment == "ssri" and ssri.claim_id is None and ssri.topic == "other-treatment"
    )
    assert by_sentence(fs, "Unlike SSRIs").claim_id == "depression-relief-within-hours"
    ect = by_sentence(fs, "ECT is a miracle")
    assert ect.other_treatment == "ect" and ect.claim_id is None
    assert "PUFFERY" in {fl.code for fl in ect.flags}  # every claim-like sentence is checked


def test_terms_of_art_praise_only_the_pages_own_product() -> None:
    """ "Gold standard" and "most effective" said of a comparator are accurate clinical
    statements on a ketamine page; said of the page's own product they are puffery."""
    fs = run(
        "Ketamine for depression\n\n"
        "Ketamine can ease depression within hours for some patients. "
        "ECT is still the gold standard for the most severe depression. "
        "ECT remains the most effective option for the most severe depression. "
        "Ketamine infusions are the gold standard for depression.\n"
    )
    for start in ("ECT is still", "ECT remains"):
        assert "PUFFERY" not in {fl.code for fl in by_sentence(fs, start).flags}
    assert "PUFFERY" in {fl.code for fl in by_sentence(fs, "Ketamine infusions are").flags}


def test_a_page_that_never_names_the_product_matches_nothing() -> None:
    fs = run(
        "TMS Therapy at Bayview\n\n"
        "TMS uses magnetic pulses to stimulate the part of the brain that regulates mood.\n"
        "A full course is usually 30 sessions over six weeks.\n"
        "Most patients feel relief from depression within days.\n"
    )
    assert fs and all(f.claim_id is None and f.other_treatment == "tms" for f in fs)


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("Ketamine is safe and effective for every kind of chronic pain.", "ABSOLUTE_SAFETY"),
        ("Our infusions have no side effects at all.", "ABSOLUTE_SAFETY"),
        (
            "Unlike pills, ketamine does not cause the side effects antidepressants do.",
            "ABSOLUTE_SAFETY",
        ),
        ("Ketamine cures treatment-resistant depression.", "UNQUALIFIED_EFFICACY"),
        ("Patients often go into complete remission after one round.", "UNQUALIFIED_EFFICACY"),
        ("Our results have been remarkably effective for veterans.", "PUFFERY"),
        ("It is a life-changing breakthrough for families.", "PUFFERY"),
        ("Ketamine is the safest way to treat depression.", "PUFFERY"),
        ("Side effects are minimal and nothing to worry about.", "MINIMISATION"),
        ("Up to 80% of our patients respond to the first series.", "UNSUPPORTED_FIGURE"),
        ("Seven out of ten patients feel better within a week.", "UNSUPPORTED_FIGURE"),
        ("Ketamine works better than SSRIs for anxiety.", "COMPARATIVE_SUPERIORITY"),
        ("Lozenges are just as effective as IV ketamine.", "COMPARATIVE_SUPERIORITY"),
        ("Ketamine is FDA-approved for depression.", "APPROVAL_SCOPE"),
        # a result told as the proof (framing alone, "Don't just take our word for it", is
        # filler by the dev labels: tests/test_wording_precision.py)
        ('"After three infusions my depression was gone," says Maria.', "TESTIMONIALS_AS_PROOF"),
        ("Close supervision ensures safety throughout every infusion.", "ABSOLUTE_SAFETY"),
        ("With careful dosing, the risks are minimized.", "MINIMISATION"),
    ],
)
def test_each_wording_category_is_flagged(sentence: str, code: str) -> None:
    assert code in codes(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Early research on ketamine for OCD shows promise.",  # a hedge, not certainty
        "Ketamine may help some people with PTSD.",
        "Rare side effects include headache and blurred vision.",  # an honest list
        "The FDA approved ketamine as an anesthetic in 1970.",  # an accurate approval
        "Esketamine nasal spray was approved by the FDA for treatment-resistant depression in 2019.",
        "Use of IV ketamine for depression is off-label; it is not FDA-approved for that use.",
        "Side effects are usually mild and pass within an hour.",
        "In a 2006 NIMH trial, 71% of participants responded within a day.",  # a sourced figure
        "Patients are monitored throughout to ensure safety.",  # a purpose, not a guarantee
        "Studies have shown that ketamine can reduce suicidal thoughts.",  # graded, not worded
        "Long-term side effects are rare but can include bladder problems.",
        "A 2023 trial found that ECT was more effective than ketamine for inpatients.",
    ],
)
def test_accurate_or_hedged_wording_is_not_flagged(sentence: str) -> None:
    assert codes(sentence) == set()


def test_hidden_and_look_alike_characters_do_not_hide_a_flag() -> None:
    assert "UNQUALIFIED_EFFICACY" in codes("Ketamine c\u200bures depression.")
    assert "ABSOLUTE_SAFETY" in codes("Ketamine is completely s\u0430fe.")  # Cyrillic а
    fs = run("Ketamine is completely s\u0430fe at our clinic.\n")
    assert fs and "ABSOLUTE_SAFETY" in {fl.code for fl in fs[0].flags}


def test_sentences_not_in_the_library_still_get_wording_flags() -> None:
    fs = run("Ketamine infusions are guaranteed to restore hair growth in men with alopecia.\n")
    (f,) = fs
    assert f.claim_id is None and "UNQUALIFIED_EFFICACY" in {fl.code for fl in f.flags}
    assert "grade" not in f.flags[0].message  # a plain-English message, no ledger words


def test_testimonials_are_flagged_as_proof_but_balanced_stories_are_not() -> None:
    page = (
        "Patient stories\n\n"
        '"I tried four medications first. After my third infusion the fog was gone." — Sam, 52\n\n'
        '"My mood is better, though I still have hard weeks and go back for boosters." — Lee\n\n'
        '"The staff were kind and the room was quiet." — Ana\n'
    )
    fs = run(page)
    gone = by_sentence(fs, "After my third infusion")
    assert "TESTIMONIALS_AS_PROOF" in {fl.code for fl in gone.flags}
    assert not any(
        "TESTIMONIALS_AS_PROOF" in {fl.code for fl in f.flags} for f in fs if "though" in f.sentence
    )
    assert not [f for f in fs if "— Sam" in f.sentence or f.sentence.startswith("— ")]


def test_one_splitter_for_abstracts_and_copy() -> None:
    copy = '"I was low for years. Then it lifted." — Jo, 40\n'
    assert [s for *_, s in segment(copy)] == [
        '"I was low for years.',
        'Then it lifted."',
        "— Jo, 40",
    ]
    abstract = "RESULTS: Scores fell by 10 points (p < .01). Effects faded by day 7.\n"
    assert [(s.text, s.label) for s in sentences(abstract)] == [
        ("Scores fell by 10 points (p < .01).", "RESULTS"),
        ("Effects faded by day 7.", "RESULTS"),
    ]


# --- inputs writers use -----------------------------------------------------------------------


def _pdf_with_text(lines: list[str]) -> bytes:
    """A minimal one-page PDF with a text layer (synthetic, built here; Helvetica, one line each)."""
    ops = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({ln}) '" for ln in lines) + " ET"
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(ops)} >>\nstream\n{ops}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{o}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_pdf_rtf_and_legacy_encodings_are_read(tmp_path: Path) -> None:
    pdf = tmp_path / "flyer.pdf"
    pdf.write_bytes(_pdf_with_text(["Ketamine is completely safe and has no side effects."]))
    assert "completely safe" in read_document(pdf).text
    rtf = tmp_path / "draft.rtf"
    rtf.write_text(
        r"{\rtf1\ansi{\fonttbl\f0 Helvetica;}\f0 Ketamine cures depression.\par Call us.\par}"
    )
    doc = read_document(rtf)
    assert doc.kind == "rtf" and "Ketamine cures depression." in doc.text and "rtf1" not in doc.text
    legacy = tmp_path / "old-page.txt"
    legacy.write_bytes(
        "Ketamine\u2019s effect on mood can begin within hours \u2014 our caf\u00e9 is open too.\n".encode(
            "cp1252"
        )
    )
    assert "Ketamine\u2019s effect" in read_document(legacy).text


def test_folder_argument_and_unsupported_files(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    drafts = tmp_path / "drafts"
    (drafts / "sub").mkdir(parents=True)
    (drafts / "a.md").write_text("Ketamine cures depression.\n")
    (drafts / "sub" / "b.txt").write_text("Ketamine is completely safe.\n")
    (drafts / "logo.png").write_bytes(b"\x89PNG")
    base = ["--claims", str(ROOT / "claims.yaml"), "check"]
    res = runner.invoke(cli, [*base, str(drafts), "--format", "json"])
    assert res.exit_code == 0, res.output
    docs = json.loads(res.stdout)
    assert [Path(d["document"]).name for d in docs] == ["a.md", "b.txt"]
    assert docs[0]["schema_version"] == 2
    flag = docs[0]["findings"][0]["flags"][0]
    assert flag["code"] == "UNQUALIFIED_EFFICACY" and flag["basis"].startswith("21 CFR 202.1")
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    res = runner.invoke(cli, [*base, str(old)])
    assert res.exit_code == 2
    assert res.stderr.strip() == (
        f"Error: cannot check {old}: .doc files are not supported; save it as .docx "
        "(supported: .txt, .md, .html, .docx, .pdf, .rtf)"
    )
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    res = runner.invoke(cli, [*base, str(empty)])
    assert res.exit_code == 2 and res.stderr.startswith(
        f"Error: cannot check {empty}: the folder has no"
    )


def test_a_history_date_that_differs_from_the_library_is_flagged() -> None:
    fs = run(
        "A short history of ketamine\n\n"
        "Ketamine was first synthesized in 1956 by Calvin Stevens at Parke-Davis.\n\n"
        "Ketamine was first synthesized in 1962 by Calvin Stevens at Parke-Davis.\n"
    )
    wrong, right = fs  # the heading names a section: not a claim
    assert wrong.claim_id == right.claim_id == "first-synthesized-1962"
    # the sourced record (data/facts.yaml) says it; the library's own date is not repeated
    (flag,) = [
        fl for fl in wrong.flags if fl.code in ("DATE_DIFFERS_FROM_LIBRARY", "MISSTATED_FACT")
    ]
    assert flag.code == "MISSTATED_FACT"
    assert flag.message.startswith(
        '"1956" — misstated fact: ketamine was first synthesised in 1962'
    )
    assert not right.flags


def test_advice_to_see_a_doctor_is_an_aside_not_a_verdict() -> None:
    fs = run(
        "Esketamine nasal spray\n\n"
        "Esketamine carries a boxed warning about sedation and misuse; ask your provider to walk "
        "you through it.\n"
        "Talk to your doctor about your own risks.\n"
        "If you take other medicines, tell your doctor before your first dose.\n"
    )
    assert [f.sentence[:22] for f in fs] == ["Esketamine carries a b"]
    # the dev labels themselves split Spravato's boxed-warning sentence: safety-short-term 4 times,
    # regulatory 4, dependence once (benchmarks/copy-dev/labels.yaml)
    assert fs[0].topic in ("safety-short-term", "dependence", "regulatory")


def test_lexicon_shortcuts_match_exactly_what_the_regexes_match() -> None:
    """Caseless skips a regex when none of its required literals occur; that must never change
    an answer. Every lexicon pattern, on every sentence of the copy in this file."""
    import re

    from claimledger.copy.structure import domain
    from claimledger.copy.wording import wording
    from claimledger.library.lexicon import Caseless

    d, w = domain(), wording()
    pats = [v for v in vars(d).values() if isinstance(v, Caseless)]
    pats += [*d.treatments.values(), *d.conditions.values(), *(rx for rx, _ in d.synonyms)]
    pats += [rx for cues in d.topics.values() for rx, _ in cues]
    for c in w.categories:
        pats += [*c.patterns, *c.unhedged, *(x for x in (c.unless, c.requires) if x)]
    text = Path(__file__).read_text(encoding="utf-8")
    lines = [ln.strip(" \"',()") for ln in text.splitlines() if len(ln.split()) > 3]
    lines += ["Ketamine is COMPLETELY SAFE.", "İstanbul clinic: ketamine is safe and effective."]
    assert len(pats) > 100 and len(lines) > 100
    from claimledger.library.lexicon import gram_filter, trigrams

    for p in pats:
        plain = re.compile(p._i.pattern, re.I)
        needs = gram_filter(p)
        for s in lines:
            assert bool(p.search(s)) == bool(plain.search(s)), (p._i.pattern, s)
            if needs is not None and trigrams(s.lower()).isdisjoint(needs):
                assert not plain.search(s), (p._i.pattern, s)  # the trigram filter is exact


def test_a_flag_quotes_the_words_once_even_when_they_carry_quote_marks() -> None:
    fs = run('"I felt better after the very first ketamine infusion." — Jo, 41\n')
    msgs = [fl.message for f in fs for fl in f.flags]
    assert msgs and not any('""' in m or '“"' in m or '"”' in m for m in msgs)


def test_what_a_sentence_asserts_decides_its_topic_before_the_condition_it_names() -> None:
    """Approval and addiction statements that name treatment-resistant depression are about
    approval and addiction; a plain efficacy statement keeps its condition."""
    fs = run(
        "Ketamine clinic. In 2019 the FDA approved a ketamine nasal spray for adults living with "
        "treatment-resistant depression. Adults with treatment-resistant depression do not get "
        "addicted to ketamine given in a clinic. Ketamine can relieve treatment-resistant "
        "depression when given in a clinic."
    )
    assert by_sentence(fs, "In 2019 the FDA").topic == "regulatory"
    assert by_sentence(fs, "Adults with").topic == "dependence"
    assert by_sentence(fs, "Ketamine can relieve").topic == "depression"


def test_treatments_beside_ketamine_are_other_treatments_even_when_infused() -> None:
    """Nerve blocks, neurofeedback, hyperbaric oxygen and IV vitamin drips are not ketamine,
    and "lidocaine infusions" are lidocaine's even on a ketamine page."""
    fs = run(
        "Ketamine infusions for chronic pain\n\n"
        "Ketamine infusions can ease nerve pain that other drugs have not touched.\n"
        "We also give lidocaine infusions, which can ease nerve pain for some patients.\n"
        "Neurofeedback trains brainwaves and is said to calm anxiety for good.\n"
        "Hyperbaric oxygen floods damaged tissue with oxygen and heals the brain.\n"
    )
    assert by_sentence(fs, "Ketamine infusions can ease").other_treatment is None
    for start, other in (
        ("We also give lidocaine", "nerve-block"),
        ("Neurofeedback trains", "neuromodulation"),
        ("Hyperbaric oxygen", "hyperbaric"),
    ):
        f = by_sentence(fs, start)
        assert f.other_treatment == other and f.claim_id is None, start


def test_a_treatment_that_failed_or_that_patients_stop_is_not_the_sentences_subject() -> None:
    fs = run(
        "Ketamine for depression\n\n"
        "For people whose depression two antidepressants have not helped, ketamine can reduce "
        "symptoms within hours.\n"
        "Many pain patients are able to taper their opioids during a course of ketamine.\n"
        "Antidepressants can take weeks to lift mood.\n"
    )
    assert by_sentence(fs, "For people whose").other_treatment is None
    assert by_sentence(fs, "Many pain patients").other_treatment is None
    assert by_sentence(fs, "Antidepressants can take").other_treatment == "ssri"


def test_a_condition_list_is_about_the_condition_it_names_first() -> None:
    fs = run("Ketamine clinic. Ketamine can ease anxiety, and for some patients PTSD as well.")
    assert by_sentence(fs, "Ketamine can ease anxiety").topic == "anxiety"


def test_page_treatment_tie_does_not_depend_on_the_hash_seed() -> None:
    # two treatments first named in one sentence, then tied: the page's treatment must be the
    # same in every process (it was decided by set order, i.e. by PYTHONHASHSEED)
    import os
    import subprocess
    import sys

    code = (
        "from claimledger.copy.structure import domain, page_treatment\n"
        "print(page_treatment(domain(), ["
        "'Hyperbaric oxygen and neurofeedback under one roof.', "
        "'Neurofeedback sessions take forty minutes.', "
        "'Neurofeedback needs no needles.']))"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in range(10)
    }
    assert seen == {"hyperbaric"}


def test_a_claim_to_beat_another_treatment_no_library_claim_says_is_a_comparison() -> None:
    fs = run(
        "Ketamine for depression\n\n"
        "Ketamine gives you ECT-level results without any of the memory loss.\n\n"
        "Unlike SSRIs, ketamine can reduce depressive symptoms within hours.\n"
    )
    beat = by_sentence(fs, "Ketamine gives you ECT-level results")
    assert beat.other_treatment == "comparison with ect" and beat.claim_id is None
    assert beat.topic == "other-treatment"
    # a comparison a library claim makes is still matched
    assert by_sentence(fs, "Unlike SSRIs").claim_id == "depression-relief-within-hours"


@pytest.mark.parametrize(
    ("sentence", "rival"),
    [
        ("Ketamine is better than ECT, without the memory loss.", "ect"),
        ("Ketamine has made ECT obsolete.", "ect"),
        ("Ketamine works without the side effects of SSRIs.", "ssri"),
        ("Ketamine is superior to standard antidepressants.", "ssri"),
        ("Compared with opioids, ketamine is a gentler option.", "opioid"),
        ("Unlike SSRIs, which can take weeks, ketamine is more effective for most people.", "ssri"),
        ("Ketamine does in hours what SSRIs do in weeks.", "ssri"),
    ],
)
def test_a_comparison_word_that_governs_the_other_treatment_is_a_comparison(
    sentence: str, rival: str
) -> None:
    unit = list(page_units(sentence))[-1]
    assert _compared_with(unit, unit.norm, domain()) == f"comparison with {rival}"


@pytest.mark.parametrize(
    "sentence",
    [
        # the reviewer's counter-example: "safer" is about the therapist, not about talk therapy
        "Ketamine can be combined with talk therapy, and many patients say the sessions feel "
        "safer with a therapist present.",
        "Ketamine, paired with talk therapy, is safer and gentler.",
        "Ketamine works alongside SSRIs; many patients find the infusions gentler.",
        "Ketamine is given with an SSRI, and over time patients often sleep better.",
        # the other treatment is a partner, not a comparator
        "Many patients find ketamine safer to combine with SSRIs.",
        "Ketamine is gentler when paired with talk therapy.",
    ],
)
def test_another_treatment_named_beside_a_comparative_word_is_not_a_comparison(
    sentence: str,
) -> None:
    unit = list(page_units(sentence))[-1]
    assert unit.treatment == "ketamine"
    assert _compared_with(unit, unit.norm, domain()) is None


@pytest.mark.parametrize(
    "sentence",
    [
        # a bare comparative about the product's own conditions: the other treatment is no rival
        "Ketamine may work better in patients who also receive talk therapy.",
        "Ketamine is safer when your psychiatrist manages your SSRIs.",
    ],
)
def test_a_bare_comparative_without_than_does_not_make_a_rival(sentence: str) -> None:
    unit = list(page_units(sentence))[-1]
    assert _compared_with(unit, unit.norm, domain()) is None


@pytest.mark.parametrize(
    ("sentence", "rival"),
    [
        ("Ketamine is a gentler alternative to ECT.", "ect"),
        ("Ketamine works better than SSRIs for many people.", "ssri"),
    ],
)
def test_a_bare_comparative_takes_its_rival_through_than_or_alternative(
    sentence: str, rival: str
) -> None:
    unit = list(page_units(sentence))[-1]
    assert _compared_with(unit, unit.norm, domain()) == f"comparison with {rival}"
