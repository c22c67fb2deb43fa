"""The learned overstatement back-up (copy/overmodel.py): what it flags, what it never flags, and
how it says so."""

from __future__ import annotations

import dataclasses
import json
import math
import re
import sys
from importlib import resources
from pathlib import Path

import pytest

from claimledger.copy.check import Judged, check_text, judge_units
from claimledger.copy.overmodel import (
    CLAIM,
    FIRST,
    GRAM,
    HEDGE,
    MODAL,
    OverModel,
    PageReader,
    _matches,
    flag_for,
    is_hedged,
    is_modal_hedged,
    overstated_model,
    read_sentence,
    stem_grams,
)
from claimledger.copy.wording import wording
from claimledger.library.claims import load_claims

ROOT = Path(__file__).resolve().parents[1]
LIB = load_claims(ROOT / "claims.yaml")
GRAM_NAME = re.compile(r"g:(#|[^\W\d_][\w']*)( (#|[^\W\d_][\w']*))?")
LEAD = "is said as a certainty"  # how the back-up's messages begin, after the quoted words
# words a medical writer should never have to decode in a message
JARGON = re.compile(
    r"\b(model|probabilit\w*|score\w*|threshold|feature\w*|logistic|regex\w*|lexicon|cue\w*|"
    r"classifier|weights?|none|null|ledger|grade[sd]?)\b",
    re.I,
)


def backup_flags(text: str) -> list[tuple[str, str, str]]:
    """(sentence, code, message) of every flag the back-up (not a wording cue) gave."""
    r = check_text("page.txt", text, LIB, {})
    return [
        (f.sentence, fl.code, fl.message)
        for f in r.findings
        for fl in f.flags
        if LEAD in fl.message
    ]


HEDGED = [
    "Ketamine may relieve depression within hours.",
    "Some patients feel relief from depression within a day.",
    "Studies suggest ketamine can ease the symptoms of PTSD.",
    "Ketamine shows promise for chronic pain that other treatments have not helped.",
    "Early research suggests ketamine rapidly reduces suicidal thoughts.",
]


@pytest.mark.parametrize("sentence", HEDGED)
def test_the_shipped_model_does_not_flag_a_plainly_hedged_sentence(sentence: str) -> None:
    # the shipped model reads the hedge as a feature (HEDGE_VETO False): these stay unflagged
    assert is_hedged(sentence)
    assert backup_flags(sentence + "\n") == []


@pytest.mark.parametrize("sentence", [*HEDGED, "Ketamine relieves depression in most patients."])
def test_a_model_with_the_hedge_veto_never_flags_a_hedged_sentence(sentence: str) -> None:
    # the gate, not a low score, keeps it out: the reader refuses it whatever the model says
    # (a model trained with the veto; "in most patients" hedges, and the shipped model, which
    # reads the hedge as a feature, may flag it as an unsupported majority)
    assert is_hedged(sentence)
    j = _unit(sentence)
    always = PageReader(overstated_model().__class__({}, 9.0, 0.0))  # scores everything ~1
    assert always.model.hedge_veto
    assert always.flag(j.unit, j.features, j.vector) is None


# Plainly certain efficacy sentences no wording cue catches: only the back-up can flag them.
PLAIN = [
    "Ketamine eases depression.",
    "Our infusions stop anxiety in its tracks.",
    "Ketamine relieves depression.",
    "Our infusions lift depression fast.",
]


def reader_flags(text: str, threshold: float = 0.5) -> list[tuple[str, str, str]]:
    """The back-up's flags with the shipped weights at a fixed ``threshold``: how a flag reads
    does not depend on where leaving one writer out put the shipped threshold (0.86-0.89 in
    recent retrains; sentences near it move with every 20 pages of training copy), nor on the
    first stage's floor (a speed cut that the same retrains move)."""
    model = dataclasses.replace(overstated_model(), threshold=threshold, floor=-math.inf)
    reader = PageReader(model)
    got = []
    for j in judge_units(text)[0]:
        if j.unit.norm and (fl := reader.flag(j.unit, j.features, j.vector)):
            got.append((j.unit.norm, fl.code, fl.message))
    return got


def test_the_shipped_back_up_flags_a_plainly_certain_efficacy_sentence_no_cue_catches() -> None:
    flagged = [s for s in PLAIN if backup_flags(s + "\n")]
    assert flagged, "the back-up flags none of the plain efficacy sentences"
    for s in flagged:
        ((said, code, _),) = backup_flags(s + "\n")
        assert (said, code) == (s, "UNQUALIFIED_EFFICACY")
    # and they all read as more likely overstated than not
    assert all(reader_flags(s + "\n") for s in PLAIN)


@pytest.mark.parametrize("sentence", PLAIN)
def test_a_plainly_certain_efficacy_sentence_is_flagged_as_unqualified_efficacy(
    sentence: str,
) -> None:
    (got,) = reader_flags(sentence + "\n")
    said, code, message = got
    assert said == sentence
    assert code == "UNQUALIFIED_EFFICACY"
    quoted = re.match(r'^"([^"]+)" ', message)
    assert quoted and quoted.group(1).lower() in sentence.lower()  # the words it read as certain
    assert "how many benefit" in message  # what would support it


def _score(sentence: str) -> float:
    j = _unit(sentence)
    model = overstated_model()
    return model.probability(read_sentence(j.unit.norm, j.features).features, j.vector)


def test_a_hedge_lowers_the_score_and_a_flagged_hedged_sentence_is_not_called_certain() -> None:
    # the shipped model reads a quantity hedge as a feature, not a veto (train_overstated.py
    # HEDGE_MODE "feature" or "modal veto")
    assert not overstated_model().hedge_veto
    assert reader_flags("Ketamine lifts depression.\n")
    assert _score("Ketamine may lift depression.") < _score("Ketamine lifts depression.")
    # whatever it flags of a hedged sentence, the message never says it has no "may"
    (got,) = reader_flags("Ketamine lifts depression in most patients.\n", threshold=0.0)
    assert 'no "may"' not in got[2] and "is hedged" in got[2]


def test_a_sentence_a_wording_cue_flagged_gets_no_second_flag_from_the_back_up() -> None:
    r = check_text("page.txt", "Ketamine is 100% safe.\n", LIB, {})
    (f,) = r.findings
    assert [fl.code for fl in f.flags] == ["ABSOLUTE_SAFETY"]
    assert LEAD not in f.flags[0].message


@pytest.mark.parametrize(
    "page",
    [
        "Ketamine lifts depression.\n",
        "Our infusions stop anxiety in its tracks.\n",
        "Our ketamine treatment is natural and gentle, so your body heals itself.\n",
    ],
)
def test_messages_are_plain_english_with_a_category_and_its_basis(page: str) -> None:
    flags = reader_flags(page)
    assert flags
    for _, code, message in flags:
        cat = next(c for c in wording().categories if c.code == code)
        assert cat.basis  # the category's regulatory basis
        text = message.split("—", 1)[0]  # the back-up's own words, before the category's
        assert not JARGON.search(text), text
        assert not JARGON.search(message), message
        assert message.count('"') % 2 == 0 and message.endswith(".")
    r = check_text("page.txt", page, LIB, {})  # and what check itself says, whoever flagged it
    for f in r.findings:
        for fl in f.flags:
            assert fl.basis and not JARGON.search(fl.message), fl.message


def test_the_category_follows_the_strongest_word_class() -> None:
    """The category is the word class adding most to the score, whatever the trained weights
    are: the same sentence reads as absolute safety or as unqualified efficacy as the weights of
    its safety word ("natural") and its effect verb ("heals") trade places."""
    s = "Our ketamine treatment is natural and gentle, so your body heals itself."
    r = read_sentence(s, {}, _matches(s))
    assert {"s:natural", "s:effect_verb"} <= set(r.features)
    shipped = overstated_model()

    def flag(natural: float, effect: float) -> tuple[str, str]:
        weights = dict.fromkeys(shipped.weights, 0.0) | {
            "s:natural": natural,
            "s:effect_verb": effect,
        }
        got = flag_for(s, r, dataclasses.replace(shipped, weights=weights))
        assert got is not None
        return got.code, got.message

    code, message = flag(2.0, 1.0)
    assert code == "ABSOLUTE_SAFETY" and message.startswith('"natural"')
    code, message = flag(1.0, 2.0)
    assert code == "UNQUALIFIED_EFFICACY" and message.startswith('"heals"')


def test_the_shipped_model_reads_only_features_the_checker_makes() -> None:
    """Every weight names a feature read_sentence can produce (a word class renamed in
    data/wording.yaml without retraining fails here), and the file holds what
    benchmarks/train_overstated.py writes (its constants; `--check` compares it byte for byte)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_overstated as to  # type: ignore[import-not-found]

    data = json.loads(
        resources.files("claimledger").joinpath("data/overstated_model.json").read_text()
    )
    from claimledger.copy import overmodel

    v = overmodel._vocabulary()
    known = set(v.names) | {n for n, _, _ in v.rest} | {n for n, _, _ in v.together}
    known |= set() if to.HEDGE_MODE == "veto" else {HEDGE, MODAL}  # read_sentence marks hedges
    for name in data["weights"]:
        if name.startswith(FIRST):
            continue
        if name.startswith(GRAM):  # a stem or two, as stem_grams makes them
            assert GRAM_NAME.fullmatch(name), name
            continue
        assert name in known, f"{name} is weighed but no longer read; retrain the model"
    assert any(k.startswith(CLAIM) for k in data["weights"])
    assert data["accurate_budget"] == to.ACCURATE_BUDGET and data["floor"] == to.FLOOR
    assert data["l2_scale"] == to.SCALE and 0.5 < data["threshold"] < 1.0
    assert data["min_writers"] == to.MIN_WRITERS
    m = overstated_model()
    assert (m.threshold, m.floor, m.bias) == (data["threshold"], data["floor"], data["bias"])
    assert (data["near"], data["near_precision"]) == (to.NEAR, to.NEAR_PRECISION)
    assert (m.near, m.near_threshold) == (data["near"], data["near_threshold"])
    assert m.threshold <= m.near_threshold <= 1.0  # a near miss needs the stricter threshold
    # a hedge: a veto, a feature the model weighs, or a veto when it is a modal one
    assert data["hedged"] == to.HEDGE_MODE
    assert (m.hedge_veto, m.modal_veto) == to._veto_flags(to.HEDGE_MODE)


def _just_under_the_claim_threshold(
    monkeypatch: pytest.MonkeyPatch, text: str, near: float, near_threshold: float
) -> None:
    """Make check's claim model put ``text``'s one unit 0.05 under its threshold, and give the
    back-up the near-miss margin and threshold ``near`` and ``near_threshold``."""
    from claimledger.copy import check
    from claimledger.copy.claimmodel import claim_model

    j = judge_units(text)[0][0]
    (p,) = claim_model().page_probabilities([j.features], [j.vector])
    claims = dataclasses.replace(claim_model(), threshold=p + 0.05)
    over = dataclasses.replace(
        overstated_model(),
        threshold=0.5,
        floor=-math.inf,
        near=near,
        near_threshold=near_threshold,
    )
    monkeypatch.setattr(check, "claim_model", lambda: claims)
    monkeypatch.setattr(check, "overstated_model", lambda: over)


def test_a_line_just_under_the_claim_threshold_is_reported_when_the_back_up_flags_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = "Ketamine relieves depression.\n"  # no wording cue: only the back-up reads it
    assert reader_flags(page)  # the back-up reads it as overstated at 0.5
    _just_under_the_claim_threshold(monkeypatch, page, near=0.1, near_threshold=0.5)
    ((said, code, _),) = backup_flags(page)
    assert (said, code) == ("Ketamine relieves depression.", "UNQUALIFIED_EFFICACY")


@pytest.mark.parametrize(("near", "near_threshold"), [(0.0, 0.5), (0.1, 1.0)])
def test_a_line_just_under_the_claim_threshold_needs_the_margin_and_the_stricter_threshold(
    monkeypatch: pytest.MonkeyPatch, near: float, near_threshold: float
) -> None:
    page = "Ketamine relieves depression.\n"  # no wording cue: only the back-up reads it
    _just_under_the_claim_threshold(monkeypatch, page, near, near_threshold)
    assert not check_text("page.txt", page, LIB, {}).findings  # not a claim, and not flagged


def test_a_quotation_just_under_the_claim_threshold_is_not_read_by_the_back_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A quoted line the claim model scores just under its threshold is left unreported even
    where the same line as body copy is flagged (copy/check.py near_readable)."""
    body, quoted = "Ketamine relieves depression.\n", "> Ketamine relieves depression.\n"
    _just_under_the_claim_threshold(monkeypatch, quoted, near=0.1, near_threshold=0.5)
    assert not check_text("page.md", quoted, LIB, {}, kind="md").findings
    _just_under_the_claim_threshold(monkeypatch, body, near=0.1, near_threshold=0.5)
    assert check_text("page.txt", body, LIB, {}).findings


def test_word_list_spans_quote_whole_words() -> None:
    r = read_sentence("Ketamine eliminates depression for everyone.", {})
    assert "s:effect_verb" in r.features and "s:universal" in r.features
    a, b = r.spans["s:effect_verb"]
    assert "Ketamine eliminates depression for everyone."[a:b].lower().startswith("eliminat")


def test_the_back_up_reads_a_withdrawal_in_its_own_clause_only() -> None:
    """'is no cure' withdraws a flag on its own clause, not on the promise in the next one."""
    s = "Ketamine is no cure, but our infusions lift depression fast."
    ((said, code, _),) = reader_flags(s + "\n")
    assert (said, code) == (s, "UNQUALIFIED_EFFICACY")


def test_stem_grams_are_the_stems_and_adjacent_stem_pairs() -> None:
    got = stem_grams("The darkness lifts, and 85% of patients' lives change.")
    assert {"g:dark", "g:lift", "g:dark lift", "g:the dark"} <= got
    assert {"g:#", "g:# of", "g:of patient"} <= got  # a figure reads as "#", whatever it is
    assert all(GRAM_NAME.fullmatch(k) for k in got)
    assert stem_grams("Your brain's circuits RESET.") == stem_grams("your brain circuit reset")
    assert stem_grams("") == frozenset()


def test_the_stems_are_read_with_the_word_classes() -> None:
    s = "Ketamine lifts the darkness for good."
    r = read_sentence(s, {"subject:product": 1.0})
    assert stem_grams(s) <= set(r.features)
    assert r.features["claim:subject:product"] == 1.0
    assert not any(k.startswith(GRAM) for k in r.spans)  # quoted by their word classes only


def _unit(text: str) -> Judged:
    (j,) = [j for j in judge_units(text + "\n")[0] if j.unit.norm]
    return j


def test_a_weighed_stem_pair_raises_the_score_of_the_sentences_that_use_it() -> None:
    """Indirect wording no word class reads ("the darkness lifts") is flagged through its stem
    pair's weight, and only in sentences that have the pair, in that order."""
    model = OverModel({"g:dark lift": 6.0}, -3.0, 0.5)
    lifts, lifted = _unit("After one infusion the darkness lifts."), _unit("The lift felt dark.")
    assert model.probability(read_sentence(lifts.unit.norm, {}).features) > 0.9
    assert model.probability(read_sentence(lifted.unit.norm, {}).features) < 0.1
    reader = PageReader(model)
    flag = reader.flag(lifts.unit, lifts.features, lifts.vector)
    assert flag is not None and LEAD in flag.message and not JARGON.search(flag.message)
    assert reader.flag(lifted.unit, lifted.features, lifted.vector) is None
    hedged = _unit("After one infusion the darkness may lift.")
    assert reader.flag(hedged.unit, hedged.features, hedged.vector) is None


def test_training_weighs_only_stems_many_writer_sets_use_and_solves_as_newton_does() -> None:
    """A stem pair one writer set repeats is not weighed, one used by MIN_WRITERS sets is; the
    conjugate-gradient solver gives train_claims.train's weights (its exact Newton steps)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_overstated as to

    def example(writer: int, k: int, over: bool) -> to.Example:
        f = {"g:dark lift": 1.0} if over and k % 2 else {"g:our clinic": 1.0}
        f |= {"g:only here": 1.0} if writer == 0 else {}
        f |= {"s:universal": 1.0} if k % 3 == 0 else {"emb:000": 0.1 * k}
        return to.Example(f"w{writer}", "", f, over, None, False, False)

    ex = [example(w, k, k % 4 != 0) for w in range(to.MIN_WRITERS) for k in range(12)]
    assert to._common_grams(ex) == {"g:dark lift", "g:our clinic"}
    weights, _ = to.fit(ex)
    assert "g:only here" not in weights and weights["g:dark lift"] > 0
    assert set(to.fit(ex, grams=False)[0]).isdisjoint({"g:dark lift", "g:our clinic"})
    rows = [(e.features, int(e.overstated)) for e in ex]
    assert to.train(rows, scale=to.SCALE) == to.tc.train(rows, scale=to.SCALE)


def test_a_cached_unit_is_read_again_keeping_what_the_claim_model_read() -> None:
    """train_overstated.py --cache: the word lists of data/overstated.yaml are read again from the
    sentence (a stale feature goes, a new one comes), the claim model's and meaning's stay."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_overstated as to

    s = "Ketamine ends depression for good."
    stale = {"s:gone_feature": 1.0, "claim:subject:product": 1.0, "emb:003": 0.25}
    e = to.Example("w1", s, stale, True, "cure", False, True)
    got = to._reread(e)
    assert got.features == {
        **read_sentence(s, {"subject:product": 1.0}).features,
        "emb:003": 0.25,
    }
    assert "s:gone_feature" not in got.features and "s:effect_verb" in got.features
    assert got.hedged is False and (got.writer, got.overstated, got.why) == ("w1", True, "cure")


def test_a_hedge_read_as_a_feature_is_trained_on_and_scored_instead_of_vetoed() -> None:
    """train_overstated.py --hedge-feature: a hedged unit ("Most patients ... for good") is no longer
    left out of training nor given probability 0; it carries the hedge as a feature the model
    weighs, and an unhedged unit is left as it was."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_overstated as to

    s = "Most patients need only four weeks, after which the depression is resolved for good."
    assert is_hedged(s)
    hedged = to.Example("w1", s, {"s:universal": 1.0}, True, "cure/permanence", False, True)
    plain = to.Example("w1", "Ketamine works.", {"s:universal": 1.0}, False, None, False, False)
    assert to._trained([hedged, plain]) == [plain]  # the veto: never trained on
    model = OverModel({"s:universal": 4.0}, 0.0, 0.5)
    assert to._probability(hedged, model) == 0.0  # nor flagged
    read_hedged, read_plain = to.hedge_read([hedged, plain])
    assert read_plain == plain
    assert read_hedged.features == {"s:universal": 1.0, to.HEDGE: 1.0}
    assert not read_hedged.hedged and to._hedged(read_hedged)  # still counted as hedged
    assert to._trained([read_hedged, plain]) == [read_hedged, plain]
    assert to._probability(read_hedged, model) > 0.9
    lowered = OverModel({"s:universal": 4.0, to.HEDGE: -8.0}, 0.0, 0.5)
    assert to._probability(read_hedged, lowered) < 0.1 < to._probability(read_plain, lowered)


def test_compared_settings_are_kept_and_read_back_without_training_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """train_overstated.py --keep: a setting's leave-one-writer-out figures are written once and
    read back by the next run; a different setting is its own file."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_overstated as to

    made: list[to.Variant] = []

    def rows(ex: object, v: to.Variant) -> tuple[dict[str, tuple[int, ...]], dict[str, int]]:
        made.append(v)
        return {"w1": (v.grams.min_writers, 0, 0, 0, 0, 0, 0, 0)}, {}

    monkeypatch.setattr(to, "out_of_fold", lambda ex, group, grams: grams)
    monkeypatch.setattr(to, "_writer_rows", lambda grams: rows(None, to.Variant("", grams)))
    three, eight = to.Variant("a", to.Grams(3, 3.0)), to.Variant("b", to.Grams(8, 3.0))
    assert to._variant_rows([], three, tmp_path)[0] == {"w1": (3, 0, 0, 0, 0, 0, 0, 0)}
    assert to._variant_rows([], eight, tmp_path)[0]["w1"][0] == 8
    assert len(made) == 2
    assert to._variant_rows([], three, tmp_path)[0]["w1"][0] == 3  # read back
    assert len(made) == 2 and len(list(tmp_path.iterdir())) == 2


def test_a_model_that_weighs_the_hedge_reads_it_as_a_feature_instead_of_a_veto() -> None:
    """OverModel.hedge_veto False (data/overstated_model.json "hedged": "feature"): a hedged
    sentence is scored with HEDGE among its features, so a hedge lowers the score by its weight
    and a strong enough overstatement is flagged all the same; with the veto it never is."""
    from claimledger.copy.overmodel import HEDGE

    s = "Most patients are free of depression for good after six infusions."
    assert is_hedged(s) and HEDGE in read_sentence(s, {}).features
    assert HEDGE not in read_sentence("Ketamine ends depression for good.", {}).features
    j = _unit(s)
    weights = {"g:for good": 6.0, HEDGE: -2.0}
    feature = OverModel(weights, -1.0, 0.5, hedge_veto=False)
    flag = PageReader(feature).flag(j.unit, j.features, j.vector)
    assert flag is not None and "is hedged, yet" in flag.message and LEAD not in flag.message
    assert (
        PageReader(dataclasses.replace(feature, hedge_veto=True)).flag(j.unit, j.features, j.vector)
        is None
    )
    weak = OverModel({"g:for good": 2.0, HEDGE: -4.0}, -1.0, 0.5, hedge_veto=False)
    assert PageReader(weak).flag(j.unit, j.features, j.vector) is None  # the hedge outweighs it


def test_folds_leave_whole_writer_sets_out_together() -> None:
    """train_overstated.py --folds N: the writer sets are dealt into N groups in turn; every unit
    of a writer set is in its set's group; 0 keeps one writer set a fold."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_overstated as to

    ex = [
        to.Example(w, "", {}, False, None, False, False)
        for w in ("w1", "w2", "w1", "w3", "w4", "w5", "w2")
    ]
    by_group = to.writer_groups(ex, 2)
    assert [by_group(e) for e in ex] == ["0", "1", "0", "0", "1", "0", "1"]
    assert [to.writer_groups(ex, 0)(e) for e in ex] == [e.writer for e in ex]


# hedged by a modal or possibility: the honest form of a claim (benchmarks/copy-dev/README.md)
MODAL_HEDGED = [
    "Ketamine may lift depression.",
    "Ketamine might help when antidepressants have not.",
    "Infusions could ease chronic pain.",
    "Ketamine can help reduce suicidal thoughts.",
    "Some patients feel relief within a day.",
    "Studies suggest ketamine eases PTSD.",
]
# hedged only by a quantity, a frequency or a source: an absolute can sit inside them
QUANTITY = [
    "Most patients are free of depression for good.",
    "Ketamine relieves depression in most patients.",
    "Ketamine often lifts depression within hours.",
    "Studies show ketamine works in 70% of patients.",
]


def test_a_modal_hedge_is_told_from_a_quantity_or_source_hedge() -> None:
    assert all(is_hedged(s) and is_modal_hedged(s) for s in MODAL_HEDGED)
    assert all(is_hedged(s) and not is_modal_hedged(s) for s in QUANTITY)
    assert not is_modal_hedged("Ketamine lifts depression.")
    assert not is_modal_hedged("Ketamine couldn't be simpler, and it ends depression.")


@pytest.mark.parametrize("sentence", MODAL_HEDGED)
def test_a_model_with_the_modal_veto_never_flags_a_modally_hedged_sentence(sentence: str) -> None:
    """OverModel.modal_veto ("hedged": "modal veto"): the reader refuses a sentence hedged by
    a modal or possibility whatever the model scores it (here ~1)."""
    j = _unit(sentence)
    always = OverModel({}, 9.0, 0.5, hedge_veto=False, modal_veto=True)
    assert PageReader(always).flag(j.unit, j.features, j.vector) is None
    feature = dataclasses.replace(always, modal_veto=False)  # the hedge only a feature: flagged
    assert PageReader(feature).flag(j.unit, j.features, j.vector) is not None


@pytest.mark.parametrize("sentence", QUANTITY)
def test_with_the_modal_veto_a_quantity_hedged_overstatement_can_still_be_flagged(
    sentence: str,
) -> None:
    """The other hedges stay a feature: a model that scores the sentence high flags it, and the
    message says it is hedged (not that it has no "may")."""
    j = _unit(sentence)
    model = OverModel({HEDGE: -1.0}, 9.0, 0.5, hedge_veto=False, modal_veto=True)
    flag = PageReader(model).flag(j.unit, j.features, j.vector)
    assert flag is not None and "is hedged, yet" in flag.message and LEAD not in flag.message
    vetoed = dataclasses.replace(model, hedge_veto=True)  # every hedge a veto: never
    assert PageReader(vetoed).flag(j.unit, j.features, j.vector) is None


def test_the_shipped_weights_with_the_modal_veto_leave_the_honest_may_unflagged() -> None:
    """The honest "Ketamine may lift depression." (flagged by the back-up of session 15, which read every
    hedge as a feature) is not flagged by the shipped weights with the modal veto, at any
    threshold; the same claim unhedged still is."""
    model = dataclasses.replace(
        overstated_model(), threshold=0.0, floor=-math.inf, hedge_veto=False, modal_veto=True
    )
    reader = PageReader(model)
    may, lifts = _unit("Ketamine may lift depression."), _unit("Ketamine lifts depression.")
    assert reader.flag(may.unit, may.features, may.vector) is None
    assert reader.flag(lifts.unit, lifts.features, lifts.vector) is not None


def test_a_hedge_mode_sets_which_units_are_vetoed_in_training() -> None:
    """train_overstated.py HEDGE_MODE / --hedge: "veto" vetoes every hedged unit, "modal veto"
    the modally hedged ones, "feature" none; every hedged unit carries HEDGE."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_overstated as to

    ex = [
        to.Example("w1", s, {"s:universal": 1.0}, over, None, False, False)
        for s, over in [
            ("Ketamine may lift depression.", False),
            ("Most patients are free of depression for good.", True),
            ("Ketamine lifts depression.", False),
        ]
    ]
    ex = [to._reread(e) for e in ex]
    assert [HEDGE in e.features for e in ex] == [True, True, False]
    for mode, vetoed in [
        ("veto", [True, True, False]),
        ("modal veto", [True, False, False]),
        ("feature", [False, False, False]),
    ]:
        got = to.hedge_as(ex, mode)
        assert [e.hedged for e in got] == vetoed
        assert [to.vetoed(e.sentence, mode) for e in ex] == vetoed
        assert [e.features for e in got] == [e.features for e in ex]  # MODAL not weighed
        assert len(to._trained(got)) == 3 - sum(vetoed)
    # "modal feature": no veto, and the modal hedge a second feature the model weighs apart
    got = to.hedge_as(ex, "modal feature")
    assert [e.hedged for e in got] == [False, False, False]
    assert [MODAL in e.features for e in got] == [True, False, False]
    assert got[0].features == {**ex[0].features, MODAL: 1.0}
    assert MODAL in read_sentence("Ketamine may lift depression.", {}).features
    assert to._modes("veto,modal-veto") == ["veto", "modal veto"]
    with pytest.raises(ValueError):
        to._modes("sometimes")


def test_thresholds_without_each_writer_are_those_the_loop_over_writers_chooses() -> None:
    """train_overstated.thresholds_without counts once what thresholds_for would choose on the
    other writer sets' scores for each writer set in turn."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import random

    import train_overstated as to

    rng = random.Random(7)
    scored = []
    for n in range(900):
        writer = f"w{n % 6}"
        label = (writer, n // 3, n % 17)  # units of one writer share labels now and then
        over = rng.random() < 0.35 + 0.05 * (n % 6)
        e = to.Example(
            writer,
            "",
            {},
            over,
            None,
            rng.random() < 0.003,
            False,
            rng.choice(["found", "found", "near", "no"]),
            rng.random() < 0.15,
            label=label,
            size=rng.randrange(5, 50),
        )
        p = min(max(rng.gauss(0.8 if over else 0.4 + 0.04 * (n % 6), 0.15), 0.0), 1.0)
        scored.append(to.Scored(e, round(p, 3)))
    got = to.thresholds_without(scored)
    assert len(set(got.values())) > 2  # the writer sets' thresholds differ
    for w in {s.example.writer for s in scored}:
        assert got[w] == to.thresholds_for([s for s in scored if s.example.writer != w])


def test_kept_rows_are_named_alike_whatever_order_the_features_were_read_in() -> None:
    """train_overstated.py --keep: the stems come from a set, read in an order that changes from
    one run to the next; the same examples must name the same kept file in every run, and a
    change to what they hold must not."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_overstated as to

    one = to.Example("w1", "s", {"g:a": 1.0, "g:b": 1.0}, True, None, False, False)
    other_order = dataclasses.replace(one, features={"g:b": 1.0, "g:a": 1.0})
    assert to._digest([one]) == to._digest([other_order])
    assert to._digest([one]) != to._digest([dataclasses.replace(one, overstated=False)])


@pytest.mark.parametrize("sentence", [*HEDGED, "Ketamine may lift depression."])
def test_the_shipped_back_up_itself_leaves_a_plainly_hedged_sentence_unflagged(
    sentence: str,
) -> None:
    """The reader with the shipped model and threshold, not check's findings (backup_flags keeps
    only messages with the unhedged lead, so a hedged flag would not show there)."""
    j = _unit(sentence)
    assert PageReader(overstated_model()).flag(j.unit, j.features, j.vector) is None


def test_a_missed_overstatement_is_told_by_what_check_did_with_it() -> None:
    """train_overstated.py --misses: a labelled overstated sentence is flagged (by a cue or the
    back-up) or missed because the claim model never reads it, the back-up vetoes it, scores it
    just under its threshold, or low; the longest reported unit decides, as copy_accuracy has it."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_overstated as to

    def scored(p: float, read: str = "found", cue: bool = False) -> list[to.Scored]:
        e = to.Example("w1", "s", {}, True, "minimisation", cue, False, read, size=10)
        return [to.Scored(e, p)]

    t, nt = 0.85, 0.99
    assert to._miss_class(scored(0.0, cue=True), t, nt) == "flagged: cue"
    assert to._miss_class(scored(0.9), t, nt) == "flagged: back-up"
    assert to._miss_class(scored(0.9, read="no"), t, nt) == "missed: not read as a claim"
    assert to._miss_class(scored(0.9, read="near"), t, nt) == "missed: near-miss unit unflagged"
    assert to._miss_class(scored(0.0), t, nt).startswith("missed: reported, back-up vetoed")
    assert to._miss_class(scored(0.75), t, nt).endswith("under its threshold")
    assert to._miss_class(scored(0.3), t, nt) == "missed: reported, back-up scores it low"


@pytest.mark.parametrize("fallback", [False, True])
def test_a_withdrawn_category_passes_the_flag_to_the_next(
    fallback: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Session 24 (over25): a head-to-head comparison withdraws comparative superiority, but the
    promise beside it ("clears depression completely") is still read: with FALLBACK the flag goes
    to the next category the features score for; without it the flag is dropped."""
    from claimledger.copy import overmodel

    monkeypatch.setattr(overmodel, "FALLBACK", fallback)
    s = "Unlike pills, ketamine in a head-to-head comparison clears depression completely."
    r = read_sentence(s, {}, _matches(s))
    shipped = overstated_model()
    weights = dict.fromkeys(shipped.weights, 0.0) | {"s:comparative": 3.0, "s:effect_verb": 1.0}
    got = flag_for(s, r, dataclasses.replace(shipped, weights=weights))
    if fallback:
        assert got is not None and got.code == "UNQUALIFIED_EFFICACY"
        assert got.message.startswith('"clears"')
    else:
        assert got is None
