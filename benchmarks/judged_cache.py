"""The judged pages the three training scripts read, kept on disk between runs.

train_claims.py, train_overstated.py and train_topic.py each read every labelled page and judge
its units (copy/check.py judge_units): under load that was most of train_topic's run and a large
part of the others'. Each page's result (the document read and its judged units) is kept in
CACHE_DIR under a key made of everything it depends on: every file of src/claimledger except the
trained model files (judge_units reads none of them: tests/test_train_speed.py), the Python and
numpy versions, the CLAIMLEDGER_* environment, and the page's name and bytes. A change to any of
them is a different key, so a stale entry is never read; old entries are simply left behind
(delete the folder to reclaim the space). CLAIMLEDGER_TRAIN_CACHE names another folder, "off"
reads every page afresh.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "claimledger"
sys.path.insert(0, str(ROOT / "src"))

from claimledger.copy.check import Judged, _Page, judge_units  # noqa: E402
from claimledger.copy.documents import Document, read_document  # noqa: E402

T = TypeVar("T")
# in the user's own cache folder, not a shared /tmp path: the files are read with pickle, so a
# folder another user could write to would let them run code in the next retrain (review20b)
CACHE_DIR = Path(
    os.environ.get("CLAIMLEDGER_TRAIN_CACHE") or Path.home() / ".cache" / "claimledger-train"
)
# libraries whose version changes what a page reads as (YAML lexicons, encodings, PDF text,
# sentence splitting) besides numpy
LIBRARIES = ("pyyaml", "charset-normalizer", "pypdf", "pysbd")
# written by the training scripts; judge_units never reads them, so retraining one model does not
# make the next script judge every page again
TRAINED = frozenset(
    {"claim_model.json", "overstated_model.json", "topic_model.json", "block_model.json"}
)


@cache
def code_digest() -> str:
    """A digest of everything judging a page depends on besides the page itself."""
    h = hashlib.sha256()
    h.update(f"{sys.version}|numpy {np.__version__}\n".encode())
    for lib in LIBRARIES:
        try:
            h.update(f"{lib} {metadata.version(lib)}\n".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{lib} absent\n".encode())
    for k in sorted(os.environ):
        if k.startswith("CLAIMLEDGER_") and k != "CLAIMLEDGER_TRAIN_CACHE":
            h.update(f"{k}={os.environ[k]}\n".encode())
    for p in sorted(SRC.rglob("*")):
        if not p.is_file() or "__pycache__" in p.parts or p.suffix == ".pyc":
            continue
        if p.parent == SRC / "data" and p.name in TRAINED:
            continue
        h.update(f"{p.relative_to(SRC).as_posix()}\n".encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()[:20]


def _private(folder: Path) -> Path:
    """``folder``, made if missing, readable and writable by this user alone: a cache file is
    unpickled, so nobody else may be able to put one there."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = folder.stat()
    if st.st_uid != os.getuid() or st.st_mode & 0o077:
        raise SystemExit(
            f"Error: the training cache {folder} is not private to you (owner or mode); "
            "delete it, or set CLAIMLEDGER_TRAIN_CACHE to another folder or to off"
        )
    return folder


def _page_key(path: Path) -> str:
    h = hashlib.sha256(f"{path.name}\n".encode())
    h.update(path.read_bytes())
    return h.hexdigest()[:32]


def judged_page(path: Path) -> tuple[Document, list[Judged], _Page]:
    """The page read (read_document) and its units judged (judge_units), from the cache when a
    run with the same code and page bytes already judged it."""
    if os.environ.get("CLAIMLEDGER_TRAIN_CACHE") == "off":
        return _judge(path)
    where = _private(CACHE_DIR / code_digest()) / f"{_page_key(path)}.pkl"
    if where.exists():
        with where.open("rb") as f:
            got: tuple[Document, list[Judged], _Page] = pickle.load(f)
        return got
    got = _judge(path)
    part = where.with_suffix(f".{os.getpid()}.part")
    with part.open("wb") as f:
        pickle.dump(got, f, protocol=pickle.HIGHEST_PROTOCOL)
    part.replace(where)  # another run reading the same page never sees half a file
    return got


def _judge(path: Path) -> tuple[Document, list[Judged], _Page]:
    r = read_document(path)
    judged, page = judge_units(r.text, r.kind, r.roles)
    return r, judged, page


def kept(kind: str, parts: Sequence[bytes | str], compute: Callable[[], T]) -> T:
    """``compute()``, kept in CACHE_DIR/kind under a digest of ``parts`` (everything the result
    depends on) and read back by a later run given the same parts."""
    if os.environ.get("CLAIMLEDGER_TRAIN_CACHE") == "off":
        return compute()
    h = hashlib.sha256()
    for p in parts:
        b = p.encode() if isinstance(p, str) else p
        h.update(hashlib.sha256(b).digest())
    where = _private(CACHE_DIR / kind) / f"{h.hexdigest()[:32]}.pkl"
    if where.exists():
        with where.open("rb") as f:
            got: T = pickle.load(f)
        return got
    got = compute()
    part = where.with_suffix(f".{os.getpid()}.part")
    with part.open("wb") as f:
        pickle.dump(got, f, protocol=pickle.HIGHEST_PROTOCOL)
    part.replace(where)
    return got


@contextmanager
def timed(stage: str) -> Iterator[None]:
    """Print (to stderr) the wall and CPU time a stage of a training run took: where the time
    goes on a loaded machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    print(
        f"[time] {stage}: {time.perf_counter() - wall:.1f} s wall, "
        f"{time.process_time() - cpu:.1f} s CPU",
        file=sys.stderr,
        flush=True,
    )
