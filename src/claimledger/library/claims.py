"""The claims library (claims.yaml): load, validate (every problem at once, with line numbers), append.

The only module that reads or writes YAML.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from claimledger.errors import ClaimsFileError, InputError
from claimledger.library.querysyntax import check_query
from claimledger.limits import read_capped

__all__ = [
    "DEFAULT_TOPICS",
    "KINDS",
    "POLARITIES",
    "Claim",
    "ClaimsLibrary",
    "Settings",
    "append_claim",
    "claim_to_yaml",
    "load_claims",
    "parse_claims",
]

KINDS = ("efficacy", "safety", "mechanism", "regulatory", "procedure")
POLARITIES = ("asserts-benefit", "asserts-no-harm", "asserts-harm", "asserts-fact")
DEFAULT_TOPICS = (
    "rapid-onset",
    "depression",
    "anxiety",
    "ptsd",
    "chronic-pain",
    "suicidal-ideation",
    "durability",
    "other-indications",
    "mechanism",
    "safety-short-term",
    "long-term-risk",
    "dependence",
    "contraindications",
    "procedure",
    "regulatory",
    "history",
    "quality-of-life",
)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_REQUIRED = ("id", "statement", "topic", "kind", "polarity", "query")
_OPTIONAL_STR = ("population", "intervention", "comparator", "outcome", "timeframe", "note")
_OPTIONAL_LIST = ("variants", "sources")
_FIELDS = _REQUIRED + _OPTIONAL_STR + _OPTIONAL_LIST
_TOP_KEYS = ("version", "settings", "topics", "claims")
_SETTINGS = {"relevance_limit": int, "stale_after_days": int, "overlap_days": int}


@dataclass(frozen=True)
class Claim:
    """One health claim, in the project's own words."""

    id: str
    statement: str
    topic: str
    kind: str
    polarity: str
    query: str
    population: str | None = None
    intervention: str | None = None
    comparator: str | None = None
    outcome: str | None = None
    timeframe: str | None = None
    note: str | None = None
    variants: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    line: int = 0

    @property
    def version(self) -> str:
        """Content hash of what defines the claim; a changed statement or query is a new version."""
        payload = json.dumps([self.statement.strip(), self.query.strip()], ensure_ascii=False)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    @property
    def needs_non_pubmed_source(self) -> bool:
        """Approvals and dates are checked against regulators and histories, not abstracts."""
        return self.kind == "regulatory" or self.topic in ("regulatory", "history")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("line")
        d["variants"] = list(self.variants)
        d["sources"] = list(self.sources)
        d["version"] = self.version
        return d


@dataclass(frozen=True)
class Settings:
    """Library-wide settings from the ``settings:`` block."""

    relevance_limit: int = 200
    stale_after_days: int = 90
    overlap_days: int = 3


@dataclass(frozen=True)
class ClaimsLibrary:
    path: str
    claims: tuple[Claim, ...]
    topics: tuple[str, ...] = DEFAULT_TOPICS
    settings: Settings = field(default_factory=Settings)

    def get(self, claim_id: str) -> Claim:
        for c in self.claims:
            if c.id == claim_id:
                return c
        raise InputError(
            f'unknown claim id "{claim_id}"; see `claimledger claims list` for the ids in {self.path}'
        )

    def select(self, claim_ids: Iterable[str] = ()) -> list[Claim]:
        ids = list(claim_ids)
        return [self.get(i) for i in ids] if ids else list(self.claims)


class _Problems:
    """Collects every problem so validation can report them all at once."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.items: list[str] = []

    def add(self, line: int, message: str, claim_id: str | None = None) -> None:
        where = f"{self.path}:{line}"
        who = f' claim "{claim_id}":' if claim_id else ""
        self.items.append(f"{where}:{who} {message}")


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


_MERGE_TAG = "tag:yaml.org,2002:merge"
# Lone surrogates cannot be stored or printed as UTF-8; control characters hide text in reports.
_BAD_CHAR = re.compile(r"[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _scalar(node: yaml.Node) -> Any:
    """Construct a Python value from a scalar node the way safe_load would (None if it cannot)."""
    if node.tag == _MERGE_TAG:
        return "<<"
    try:
        return SafeConstructor().construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError):
        return None


def _bad_char(text: str) -> str | None:
    """Describe the first character no claim field may hold, or None."""
    m = _BAD_CHAR.search(text)
    if m is None:
        return None
    code = ord(m.group(0))
    kind = "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
    return f"holds {kind} (U+{code:04X}) at character {m.start() + 1}"


def _compose(text: str) -> yaml.Node | None:
    """yaml.compose, with too-deep nesting reported as a YAML error instead of a crash."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise yaml.YAMLError("the YAML is nested too deeply") from None


def _mapping_items(node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
    return list(node.value)


def parse_claims(text: str, path: str = "claims.yaml") -> ClaimsLibrary:
    """Parse and validate claims YAML text; raise ClaimsFileError listing every problem."""
    probs = _Problems(path)
    try:
        root = _compose(text)
    except yaml.YAMLError as ex:
        mark = getattr(ex, "problem_mark", None)
        line = int(mark.line) + 1 if mark is not None else 1
        problem = getattr(ex, "problem", None) or str(ex).splitlines()[0]
        probs.add(line, f"YAML syntax error: {problem}")
        raise ClaimsFileError(path, probs.items) from None
    if root is None:
        probs.add(1, 'file is empty; expected a mapping with a "claims:" list')
        raise ClaimsFileError(path, probs.items)
    if not isinstance(root, yaml.MappingNode):
        probs.add(_line(root), 'top level must be a mapping with a "claims:" list')
        raise ClaimsFileError(path, probs.items)

    top: dict[str, yaml.Node] = {}
    for knode, vnode in _mapping_items(root):
        key = str(_scalar(knode)) if isinstance(knode, yaml.ScalarNode) else "?"
        if _is_merge(knode, probs):
            continue
        if key not in _TOP_KEYS:
            probs.add(
                _line(knode), f'unknown top-level key "{key}" (allowed: {", ".join(_TOP_KEYS)})'
            )
            continue
        if key in top:
            probs.add(_line(knode), f'top-level key "{key}" appears twice')
        top[key] = vnode

    topics = DEFAULT_TOPICS
    if "topics" in top:
        tnode = top["topics"]
        if isinstance(tnode, yaml.SequenceNode) and all(
            isinstance(n, yaml.ScalarNode)
            and isinstance(_scalar(n), str)
            and _bad_char(_scalar(n)) is None
            for n in tnode.value
        ):
            topics = tuple(_scalar(n) for n in tnode.value)
        else:
            probs.add(_line(tnode), '"topics" must be a list of strings')

    settings = _parse_settings(top.get("settings"), probs)

    claims: list[Claim] = []
    cnode = top.get("claims")
    if cnode is None:
        probs.add(_line(root), 'missing top-level "claims:" list')
    elif not isinstance(cnode, yaml.SequenceNode):
        probs.add(_line(cnode), '"claims" must be a list of claims')
    else:
        seen: dict[str, int] = {}
        for item in cnode.value:
            claim = _parse_claim(item, topics, probs)
            if claim is None:
                continue
            if claim.id in seen:
                probs.add(
                    claim.line, f"duplicate id (first defined on line {seen[claim.id]})", claim.id
                )
                continue
            seen[claim.id] = claim.line
            claims.append(claim)
    if probs.items:
        raise ClaimsFileError(path, probs.items)
    return ClaimsLibrary(path=path, claims=tuple(claims), topics=topics, settings=settings)


def _is_merge(knode: yaml.Node, probs: _Problems) -> bool:
    """YAML merge keys (``<<: *anchor``) hide fields from a reader of the file; refuse them."""
    if knode.tag != _MERGE_TAG:
        return False
    probs.add(_line(knode), 'YAML merge keys ("<<") are not allowed; write the fields out')
    return True


def _parse_settings(node: yaml.Node | None, probs: _Problems) -> Settings:
    if node is None:
        return Settings()
    if not isinstance(node, yaml.MappingNode):
        probs.add(_line(node), '"settings" must be a mapping')
        return Settings()
    values: dict[str, int] = {}
    for knode, vnode in _mapping_items(node):
        if _is_merge(knode, probs):
            continue
        key = str(_scalar(knode))
        if key not in _SETTINGS:
            probs.add(_line(knode), f'unknown setting "{key}" (allowed: {", ".join(_SETTINGS)})')
            continue
        val = _scalar(vnode) if isinstance(vnode, yaml.ScalarNode) else None
        if not isinstance(val, int) or isinstance(val, bool) or val < 1:
            probs.add(_line(vnode), f'setting "{key}" must be a positive integer')
            continue
        values[key] = val
    return Settings(**values)


def _parse_claim(node: yaml.Node, topics: tuple[str, ...], probs: _Problems) -> Claim | None:
    line = _line(node)
    if not isinstance(node, yaml.MappingNode):
        probs.add(line, "each claim must be a mapping of fields")
        return None
    raw: dict[str, tuple[Any, int, yaml.Node]] = {}
    for knode, vnode in _mapping_items(node):
        if _is_merge(knode, probs):
            continue
        key = str(_scalar(knode)) if isinstance(knode, yaml.ScalarNode) else "?"
        val = _scalar(vnode) if isinstance(vnode, yaml.ScalarNode) else None
        if key in raw:
            probs.add(_line(knode), f'field "{key}" appears twice')
        raw[key] = (val, _line(vnode), vnode)

    cid_val = raw.get("id", (None, line, node))[0]
    cid = cid_val if isinstance(cid_val, str) else None
    before = len(probs.items)

    for key, (_, kline, _n) in raw.items():
        if key not in _FIELDS:
            probs.add(kline, f'unknown field "{key}" (allowed: {", ".join(_FIELDS)})', cid)
    for key in _REQUIRED:
        if key not in raw:
            probs.add(line, f'missing required field "{key}"', cid)

    def text_field(key: str, required: bool) -> str | None:
        if key not in raw:
            return None
        val, vline, vnode = raw[key]
        if not isinstance(vnode, yaml.ScalarNode) or not isinstance(val, str):
            probs.add(vline, f'field "{key}" must be a string', cid)
            return None
        if required and not val.strip():
            probs.add(vline, f'field "{key}" is empty', cid)
            return None
        bad = _bad_char(val)
        if bad:
            probs.add(vline, f'field "{key}" {bad}', cid)
            return None
        return val.strip()

    def list_field(key: str) -> tuple[str, ...]:
        if key not in raw:
            return ()
        _, vline, vnode = raw[key]
        if not isinstance(vnode, yaml.SequenceNode):
            probs.add(vline, f'field "{key}" must be a list of strings', cid)
            return ()
        out = []
        for item in vnode.value:
            v = _scalar(item) if isinstance(item, yaml.ScalarNode) else None
            if not isinstance(v, str) or not v.strip():
                probs.add(_line(item), f'field "{key}" must hold non-empty strings', cid)
                continue
            bad = _bad_char(v)
            if bad:
                probs.add(_line(item), f'field "{key}" {bad}', cid)
                continue
            out.append(v.strip())
        return tuple(out)

    id_ = text_field("id", True)
    if id_ is not None and not _ID.match(id_):
        probs.add(
            raw["id"][1],
            f'malformed id "{id_}": use lower-case letters, digits and single hyphens',
            cid,
        )
    statement = text_field("statement", True)
    topic = text_field("topic", True)
    if topic is not None and topic not in topics:
        probs.add(raw["topic"][1], f'topic "{topic}" is not one of: {", ".join(topics)}', cid)
    kind = text_field("kind", True)
    if kind is not None and kind not in KINDS:
        probs.add(raw["kind"][1], f'kind "{kind}" is not one of: {", ".join(KINDS)}', cid)
    polarity = text_field("polarity", True)
    if polarity is not None and polarity not in POLARITIES:
        probs.add(
            raw["polarity"][1],
            f'polarity "{polarity}" is not one of: {", ".join(POLARITIES)}',
            cid,
        )
    query = text_field("query", True)
    if query is not None:
        for p in check_query(query):
            probs.add(raw["query"][1], f"query {p}", cid)
    optional = {k: text_field(k, False) for k in _OPTIONAL_STR}
    variants = list_field("variants")
    sources = list_field("sources")

    if len(probs.items) > before:
        return None
    assert id_ and statement and topic and kind and polarity and query
    return Claim(
        id=id_,
        statement=statement,
        topic=topic,
        kind=kind,
        polarity=polarity,
        query=query,
        variants=variants,
        sources=sources,
        line=line,
        **optional,
    )


def load_claims(path: str | os.PathLike[str]) -> ClaimsLibrary:
    """Read and validate a claims file."""
    p = Path(path)
    try:
        text = read_capped(p).decode("utf-8")
    except FileNotFoundError:
        raise InputError(
            f"claims file {p} not found; pass --claims PATH or run `claimledger init`"
        ) from None
    except (OSError, UnicodeDecodeError) as ex:
        raise InputError(f"cannot read claims file {p}: {ex.__class__.__name__}") from None
    return parse_claims(text, str(p))


def claim_to_yaml(data: Mapping[str, Any]) -> str:
    """Render one claim as a YAML list item, in field order, ready to append under ``claims:``."""
    ordered = {k: data[k] for k in _FIELDS if k in data and data[k] not in (None, "", [], ())}
    for k in _OPTIONAL_LIST:
        if k in ordered:
            ordered[k] = list(ordered[k])
    body = yaml.safe_dump([ordered], sort_keys=False, allow_unicode=True, width=100)
    return "\n".join("  " + ln if ln else ln for ln in body.splitlines()) + "\n"


def append_claim(path: str | os.PathLike[str], data: Mapping[str, Any]) -> Claim:
    """Append a claim to the file, validating the whole result first; write atomically or not at all."""
    p = Path(path)
    original = p.read_text(encoding="utf-8") if p.exists() else ""
    load = parse_claims(original, str(p)) if original.strip() else None
    if load is not None and any(c.id == data.get("id") for c in load.claims):
        raise InputError(f'claim id "{data.get("id")}" already exists in {p}')
    sep = "" if original.endswith("\n") or not original else "\n"
    if not original.strip():
        original, sep = "claims:\n", ""
    new_text = original + sep + claim_to_yaml(data)
    library = parse_claims(new_text, str(p))
    added = [c for c in library.claims if c.id == data.get("id")]
    if not added:
        raise InputError(
            f'could not append to {p}: "claims:" must be the last top-level key in the file'
        )
    fd, tmp = tempfile.mkstemp(dir=p.parent or ".", prefix=".claims-", suffix=".yaml")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(new_text)
    os.replace(tmp, p)
    return added[0]
