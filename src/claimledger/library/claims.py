"""The claims library (claims.yaml): load, validate (every problem at once, with line numbers), append.

The only module that reads or writes YAML.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from claimledger.errors import ClaimsFileError, InputError
from claimledger.library.querysyntax import check_query
from claimledger.limits import read_capped

__all__ = [
    "CLAIM_FIELDS",
    "DEFAULT_TOPICS",
    "KINDS",
    "POLARITIES",
    "Claim",
    "ClaimsLibrary",
    "FieldSpec",
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
        """Content hash of everything that changes what the claim means: statement, query, kind,
        polarity and the PICO fields. Grades and approvals bind to it, so flipping a claim's
        polarity or narrowing its population makes a new version (a note or variant does not)."""
        meaning = [
            self.statement,
            self.query,
            self.kind,
            self.polarity,
            self.population,
            self.intervention,
            self.comparator,
            self.outcome,
            self.timeframe,
        ]
        payload = json.dumps([(x or "").strip() for x in meaning], ensure_ascii=False)
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


def _is_merge(knode: yaml.Node, probs: _Problems) -> bool:
    """YAML merge keys (``<<: *anchor``) hide fields from a reader of the file; refuse them."""
    if knode.tag != _MERGE_TAG:
        return False
    probs.add(_line(knode), 'YAML merge keys ("<<") are not allowed; write the fields out')
    return True


def _mapping_items(node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
    return list(node.value)


def parse_claims(text: str, path: str = "claims.yaml") -> ClaimsLibrary:
    """Parse and validate claims YAML text; raise ClaimsFileError listing every problem."""
    probs = _Problems(path)
    root = _compose(text, probs)
    top = _top_level(root, probs)
    topics = _parse_topics(top.get("topics"), probs)
    settings = _parse_settings(top.get("settings"), probs)
    claims = _parse_claim_list(root, top.get("claims"), topics, probs)
    if probs.items:
        raise ClaimsFileError(path, probs.items)
    return ClaimsLibrary(path=path, claims=tuple(claims), topics=topics, settings=settings)


def _compose(text: str, probs: _Problems) -> yaml.MappingNode:
    """The document's top-level mapping node; a syntax error or another shape fails at once."""
    try:
        try:
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except RecursionError:
            raise yaml.YAMLError("the YAML is nested too deeply") from None
    except yaml.YAMLError as ex:
        mark = getattr(ex, "problem_mark", None)
        line = int(mark.line) + 1 if mark is not None else 1
        problem = getattr(ex, "problem", None) or str(ex).splitlines()[0]
        probs.add(line, f"YAML syntax error: {problem}")
        raise ClaimsFileError(probs.path, probs.items) from None
    if root is None:
        probs.add(1, 'file is empty; expected a mapping with a "claims:" list')
        raise ClaimsFileError(probs.path, probs.items)
    if not isinstance(root, yaml.MappingNode):
        probs.add(_line(root), 'top level must be a mapping with a "claims:" list')
        raise ClaimsFileError(probs.path, probs.items)
    return root


def _top_level(root: yaml.MappingNode, probs: _Problems) -> dict[str, yaml.Node]:
    top: dict[str, yaml.Node] = {}
    for knode, vnode in _mapping_items(root):
        if _is_merge(knode, probs):
            continue
        key = str(_scalar(knode)) if isinstance(knode, yaml.ScalarNode) else "?"
        if key not in _TOP_KEYS:
            probs.add(
                _line(knode), f'unknown top-level key "{key}" (allowed: {", ".join(_TOP_KEYS)})'
            )
            continue
        if key in top:
            probs.add(_line(knode), f'top-level key "{key}" appears twice')
        top[key] = vnode
    return top


def _parse_topics(node: yaml.Node | None, probs: _Problems) -> tuple[str, ...]:
    if node is None:
        return DEFAULT_TOPICS
    if isinstance(node, yaml.SequenceNode) and all(
        isinstance(n, yaml.ScalarNode)
        and isinstance(_scalar(n), str)
        and _bad_char(_scalar(n)) is None
        for n in node.value
    ):
        return tuple(_scalar(n) for n in node.value)
    probs.add(_line(node), '"topics" must be a list of strings')
    return DEFAULT_TOPICS


def _parse_claim_list(
    root: yaml.Node, node: yaml.Node | None, topics: tuple[str, ...], probs: _Problems
) -> list[Claim]:
    if node is None:
        probs.add(_line(root), 'missing top-level "claims:" list')
        return []
    if not isinstance(node, yaml.SequenceNode):
        probs.add(_line(node), '"claims" must be a list of claims')
        return []
    claims: list[Claim] = []
    seen: dict[str, int] = {}
    for item in node.value:
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
    return claims


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


# --- a claim's fields, as a specification ------------------------------------------------------

_LIBRARY_TOPICS = ("<the library's topics>",)  # marks the one field whose values the file lists


def _id_problems(value: str) -> list[str]:
    if _ID.match(value):
        return []
    return [f'malformed id "{value}": use lower-case letters, digits and single hyphens']


def _query_problems(value: str) -> list[str]:
    return [f"query {p}" for p in check_query(value)]


@dataclass(frozen=True)
class FieldSpec:
    """One field of a claim: its type (text or list of text), whether it is required, the values
    it may take, and any further check (returning problem messages)."""

    name: str
    is_list: bool = False
    required: bool = False
    allowed: tuple[str, ...] = ()
    check: Callable[[str], list[str]] | None = None


CLAIM_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", required=True, check=_id_problems),
    FieldSpec("statement", required=True),
    FieldSpec("topic", required=True, allowed=_LIBRARY_TOPICS),
    FieldSpec("kind", required=True, allowed=KINDS),
    FieldSpec("polarity", required=True, allowed=POLARITIES),
    FieldSpec("query", required=True, check=_query_problems),
    *(FieldSpec(name) for name in _OPTIONAL_STR),
    *(FieldSpec(name, is_list=True) for name in _OPTIONAL_LIST),
)
assert tuple(f.name for f in CLAIM_FIELDS) == _FIELDS


@dataclass
class _RawClaim:
    """A claim mapping as written: field -> (value, line, node), and its id for messages."""

    line: int
    fields: dict[str, tuple[Any, int, yaml.Node]]
    probs: _Problems
    topics: tuple[str, ...]
    cid: str | None = None

    def problem(self, line: int, message: str) -> None:
        self.probs.add(line, message, self.cid)

    def text(self, spec: FieldSpec) -> str | None:
        val, vline, vnode = self.fields[spec.name]
        if not isinstance(vnode, yaml.ScalarNode) or not isinstance(val, str):
            self.problem(vline, f'field "{spec.name}" must be a string')
            return None
        if spec.required and not val.strip():
            self.problem(vline, f'field "{spec.name}" is empty')
            return None
        bad = _bad_char(val)
        if bad:
            self.problem(vline, f'field "{spec.name}" {bad}')
            return None
        value: str = val.strip()
        allowed = self.topics if spec.allowed == _LIBRARY_TOPICS else spec.allowed
        if allowed and value not in allowed:
            self.problem(vline, f'{spec.name} "{value}" is not one of: {", ".join(allowed)}')
        for message in spec.check(value) if spec.check else ():
            self.problem(vline, message)
        return value

    def texts(self, spec: FieldSpec) -> tuple[str, ...]:
        _, vline, vnode = self.fields[spec.name]
        if not isinstance(vnode, yaml.SequenceNode):
            self.problem(vline, f'field "{spec.name}" must be a list of strings')
            return ()
        out = []
        for item in vnode.value:
            v = _scalar(item) if isinstance(item, yaml.ScalarNode) else None
            if not isinstance(v, str) or not v.strip():
                self.problem(_line(item), f'field "{spec.name}" must hold non-empty strings')
                continue
            bad = _bad_char(v)
            if bad:
                self.problem(_line(item), f'field "{spec.name}" {bad}')
                continue
            out.append(v.strip())
        return tuple(out)

    def value(self, spec: FieldSpec) -> str | tuple[str, ...] | None:
        if spec.name not in self.fields:
            return () if spec.is_list else None
        return self.texts(spec) if spec.is_list else self.text(spec)


def _raw_claim(node: yaml.MappingNode, topics: tuple[str, ...], probs: _Problems) -> _RawClaim:
    raw = _RawClaim(_line(node), {}, probs, topics)
    for knode, vnode in _mapping_items(node):
        if _is_merge(knode, probs):
            continue
        key = str(_scalar(knode)) if isinstance(knode, yaml.ScalarNode) else "?"
        val = _scalar(vnode) if isinstance(vnode, yaml.ScalarNode) else None
        if key in raw.fields:
            probs.add(_line(knode), f'field "{key}" appears twice')
        raw.fields[key] = (val, _line(vnode), vnode)
    cid = raw.fields.get("id", (None,))[0]
    raw.cid = cid if isinstance(cid, str) else None
    return raw


def _parse_claim(node: yaml.Node, topics: tuple[str, ...], probs: _Problems) -> Claim | None:
    """A Claim built from its fields by CLAIM_FIELDS, or None (problems added) when invalid."""
    if not isinstance(node, yaml.MappingNode):
        probs.add(_line(node), "each claim must be a mapping of fields")
        return None
    raw = _raw_claim(node, topics, probs)
    before = len(probs.items)
    for key, (_, kline, _n) in raw.fields.items():
        if key not in _FIELDS:
            raw.problem(kline, f'unknown field "{key}" (allowed: {", ".join(_FIELDS)})')
    for spec in CLAIM_FIELDS:
        if spec.required and spec.name not in raw.fields:
            raw.problem(raw.line, f'missing required field "{spec.name}"')
    values = {spec.name: raw.value(spec) for spec in CLAIM_FIELDS}
    if len(probs.items) > before:
        return None
    return Claim(line=raw.line, **values)  # type: ignore[arg-type]


def load_claims(path: str | os.PathLike[str]) -> ClaimsLibrary:
    """Read and validate a claims file."""
    p = Path(path)
    try:
        text = read_capped(p).decode("utf-8")
    except FileNotFoundError:
        raise InputError(
            f"claims file {p} not found; pass --claims PATH or run `claimledger init`"
        ) from None
    except UnicodeDecodeError as ex:
        raise InputError(
            f"cannot read claims file {p}: not UTF-8 text (byte {ex.start}); save it as UTF-8"
        ) from None
    except OSError as ex:
        raise InputError(
            f"cannot read claims file {p}: {ex.strerror or type(ex).__name__}"
        ) from None
    return parse_claims(text, str(p))


_SKELETON = """\
# claimledger claims library.
# One entry per health claim, in your own words. Validate with `claimledger claims validate`.
#
# Required fields:
#   id         stable slug: lower-case letters, digits, single hyphens
#   statement  the claim in canonical wording
#   topic      one of the topics below (edit the list to suit your product)
#   kind       efficacy | safety | mechanism | regulatory | procedure
#   polarity   asserts-benefit | asserts-no-harm | asserts-harm | asserts-fact
#   query      a PubMed query: MeSH plus title/abstract synonyms, upper-case AND/OR/NOT
# Optional: population, intervention, comparator, outcome, timeframe, note,
#           variants (phrasings seen in copy), sources (documents that make the claim)
# Changing what a claim means (statement, query, kind, polarity, population, intervention,
# comparator, outcome, timeframe) makes a new claim version; old grades stay with the old one.
version: 1

settings:
  relevance_limit: 200     # records fetched per claim by relevance, after all high-level evidence
  stale_after_days: 90     # grades whose last refresh (or import, if never refreshed) is older: stale
  overlap_days: 3          # incremental refresh re-reads this many days before the watermark

topics: [{topics}]

claims:
  - id: example-claim
    statement: Drug X reduces symptom Y in adults with condition Z.
    topic: {first_topic}
    kind: efficacy
    polarity: asserts-benefit
    population: adults with condition Z
    intervention: drug X
    outcome: symptom Y
    query: >-
      ("Drug X"[tiab]) AND ("Condition Z"[mh] OR "condition z"[tiab])
    variants:
      - drug X relieves symptom Y
    sources: [draft-001.md]
"""


def skeleton(topics: tuple[str, ...]) -> str:
    """The commented claims.yaml `claimledger init` writes."""
    return _SKELETON.format(topics=", ".join(topics), first_topic=topics[0])


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
