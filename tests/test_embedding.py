"""The shipped static sentence embedding (data/embedding.npz, benchmarks/distill_embeddings.py)
and its pure-Python BERT tokenizer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from claimledger.copy import check
from claimledger.data.embedding import _clean, basic_tokens, static_embedding, wordpiece
from claimledger.library.claims import load_claims

ROOT = Path(__file__).resolve().parents[1]


def test_basic_tokens_lower_strip_accents_and_split_punctuation() -> None:
    assert basic_tokens("Ketamine’s café-style\u200b (IV) 24h!") == [
        "ketamine",
        "’",
        "s",
        "cafe",
        "-",
        "style",
        "(",
        "iv",
        ")",
        "24h",
        "!",
    ]


def _tokens_word_by_word(text: str) -> list[str]:
    """basic_tokens without its whole-text pass: every word of the cleaned text on its own (the
    BERT definition)."""
    out: list[str] = []
    for word in _clean(text).split():
        out += basic_tokens(word)
    return out


def test_whole_text_pass_gives_the_tokens_word_by_word() -> None:
    """The one-pass reading of printable ASCII text is exact: the same tokens as reading each
    word alone, on the project's copy and on text with tabs, runs of spaces and punctuation."""
    texts = [
        "  Ketamine--IV (n=3)  works; 5%  of   'cases' e.g. \"fast\"!  ",
        "a\tb\nc",
        "x\x1fy z",
        "",
        " ",
        "café au lait",
    ]
    dev = ROOT / "benchmarks" / "copy-dev"
    texts += [ln for p in sorted(dev.glob("*.md"))[:40] for ln in p.read_text().splitlines()]
    assert len(texts) > 500
    for t in texts:
        assert basic_tokens(t) == _tokens_word_by_word(t), t


def test_wordpiece_is_greedy_longest_match_and_unk_when_uncoverable() -> None:
    vocab = {"[UNK]": 0, "ket": 1, "##amine": 2, "##a": 3, "k": 4}
    assert wordpiece("ketamine", vocab, 0) == [1, 2]
    assert wordpiece("ketaz", vocab, 0) == [0]  # "##z" is not in the vocabulary
    assert wordpiece("k" * 101, vocab, 0) == [0]  # longer than BERT's word limit


def test_shipped_table_shape_and_unit_vectors() -> None:
    table = static_embedding()
    assert table.dim == 128
    assert len(table.vocab) == 30522
    v = table.encode("Ketamine can lift depression within hours.")
    assert v.shape == (128,)
    assert abs(float(np.linalg.norm(v)) - 1.0) < 1e-5
    assert not table.encode("").any()
    # a word BERT splits into pieces still gets a vector from its pieces
    assert table.token_ids("esketamine") and table.encode("esketamine").any()


def test_encode_all_is_encode_text_by_text_bit_for_bit() -> None:
    # encode_all does the numpy work once for all texts; the vectors must be encode's exactly
    # (they decide ties between claims), for empty texts and texts of unknown tokens too
    e = static_embedding()
    lib = load_claims(ROOT / "claims.yaml")
    texts = [t for c in lib.claims for t in (c.statement, *c.variants)]
    texts += ["", "\u200b", "Ketamine’s café-style (IV) 24h!", "qqqzzx " * 3, "a"]
    got = e.encode_all(iter(texts))
    assert got.dtype == np.float32
    assert np.array_equal(got, np.vstack([e.encode(t) for t in texts]))
    assert e.encode_all([]).shape == (0, e.dim)


def test_paraphrases_are_closer_than_unrelated_sentences() -> None:
    table = static_embedding()
    a = table.encode("Ketamine relieves depression quickly.")
    b = table.encode("Within hours, low mood lifts after a ketamine infusion.")
    c = table.encode("Free parking is available behind the building on weekends.")
    assert float(a @ b) > float(a @ c) + 0.1


def test_semantic_finds_each_claim_from_its_own_statement() -> None:
    lib = load_claims(ROOT / "claims.yaml")
    m = check.ClaimMatcher(lib)
    for claim in lib.claims[:10]:
        sims = m.semantic(claim.statement)
        assert max(sims, key=lambda k: sims[k]) == claim.id
        assert sims[claim.id] == pytest.approx(1.0, abs=1e-5)


def test_embedding_term_is_off_by_default_and_adds_when_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lib = load_claims(ROOT / "claims.yaml")
    m = check.ClaimMatcher(lib)
    sentence = "Many patients notice their mood lifting the same day as the infusion."
    lex = m.lexical(sentence)
    off = m.with_meaning(sentence, lex)
    assert check.EMBEDDING_WEIGHT == 0.0 and off == lex
    monkeypatch.setattr(check, "EMBEDDING_WEIGHT", 1.0)
    on = m.with_meaning(sentence, lex)
    assert set(on) >= set(off)
    assert all(on[k] >= off[k] for k in off)
    assert any(on.get(k, 0.0) > off.get(k, 0.0) for k in on)
