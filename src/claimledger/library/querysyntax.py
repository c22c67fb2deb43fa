"""Offline checks of PubMed query syntax: the mistakes that make ESearch silently search something else.

PubMed does not reject most malformed queries; it drops what it cannot parse and searches the rest.
So we catch unbalanced quotes and parentheses, unknown field tags and dangling Boolean operators
before a query ever reaches NCBI. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["KNOWN_FIELD_TAGS", "Token", "check_query", "tokenize"]

# Field tags as PubMed accepts them (short and long forms), lower-cased.
KNOWN_FIELD_TAGS = frozenset(
    {
        "ad",
        "affiliation",
        "all",
        "all fields",
        "au",
        "author",
        "auid",
        "book",
        "cn",
        "corporate author",
        "crdt",
        "create date",
        "da",
        "date - completion",
        "dcom",
        "dp",
        "date - publication",
        "ec/rn number",
        "edat",
        "date - entry",
        "filter",
        "sb",
        "subset",
        "fau",
        "full author name",
        "fir",
        "gr",
        "grant number",
        "ip",
        "issue",
        "is",
        "issn",
        "jour",
        "journal",
        "ta",
        "la",
        "language",
        "lr",
        "mda",
        "mhda",
        "date - mesh",
        "majr",
        "mesh major topic",
        "majr:noexp",
        "mh",
        "mesh",
        "mesh terms",
        "mh:noexp",
        "mesh terms:noexp",
        "mesh:noexp",
        "sh",
        "subheading",
        "mdat",
        "lastmod",
        "date - modification",
        "nm",
        "supplementary concept",
        "pa",
        "pharmacological action",
        "pdat",
        "pg",
        "pagination",
        "pl",
        "place of publication",
        "pmid",
        "uid",
        "pt",
        "publication type",
        "pubn",
        "publisher",
        "rn",
        "si",
        "secondary source id",
        "so",
        "tiab",
        "title/abstract",
        "ti",
        "title",
        "tt",
        "transliterated title",
        "tw",
        "text word",
        "vi",
        "volume",
        "ot",
        "other term",
        "ps",
        "personal name as subject",
        "pmcid",
        "doi",
        "lid",
        "aid",
        "ppdt",
        "epdt",
        "cois",
        "conflict of interest statement",
        "sb:noexp",
    }
)
_PROXIMITY = re.compile(r"^(ti|tiab|title|title/abstract|ad|affiliation):~\d+$")
_OPERATORS = frozenset({"AND", "OR", "NOT"})
_TOKEN = re.compile(
    r"""
      (?P<quote>"[^"]*"(?:\[[^\]]*\])?)      # quoted phrase, optional tag
    | (?P<tag>\[[^\]]*\])                    # a field tag on its own (after a group)
    | (?P<lparen>\()
    | (?P<rparen>\))
    | (?P<word>[^\s()"\[\]]+(?:\[[^\]]*\])?) # a term, optional tag
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str  # quote | tag | lparen | rparen | word | op
    text: str


def tokenize(query: str) -> list[Token]:
    """Split a query into tokens; an unmatched quote or bracket is left for check_query to report."""
    tokens: list[Token] = []
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "word"
        text = m.group(0)
        if kind == "word" and text in _OPERATORS:
            kind = "op"
        tokens.append(Token(kind, text))
    return tokens


def _tags_in(text: str) -> list[str]:
    return re.findall(r"\[([^\]]*)\]", text)


def check_query(query: str) -> list[str]:
    """Return every syntax problem in ``query`` (empty list when it looks fine)."""
    if not query.strip():
        return ["is empty"]
    tokens = tokenize(query)
    problems = [
        *_balance_problems(query),
        *_tag_problems(query),
        *_operator_problems(tokens),
        *_lower_case_operators(tokens),
    ]
    return list(dict.fromkeys(problems))  # de-duplicated, in order


def _balance_problems(query: str) -> list[str]:
    problems = []
    if query.count('"') % 2:
        problems.append("has an unbalanced double quote")
    if query.count("[") != query.count("]"):
        problems.append("has an unbalanced square bracket in a field tag")
    depth = 0
    for ch in query:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                break
    if depth != 0:
        problems.append("has unbalanced parentheses")
    return problems


def _tag_problems(query: str) -> list[str]:
    unknown = sorted(
        {
            t
            for t in _tags_in(query)
            if t.strip().lower() not in KNOWN_FIELD_TAGS and not _PROXIMITY.match(t.strip().lower())
        }
    )
    return [f"uses an unknown field tag [{tag}]" for tag in unknown]


def _operator_problems(tokens: list[Token]) -> list[str]:
    """Operators with nothing on one side, and empty groups."""
    problems = []
    prev: Token | None = None
    for tok in tokens:
        if tok.kind == "op" and (prev is None or prev.kind in ("op", "lparen")):
            problems.append(f"has a dangling {tok.text} (nothing before it)")
        if tok.kind == "rparen" and prev is not None and prev.kind == "op":
            problems.append(f"has a dangling {prev.text} (nothing after it)")
        if tok.kind == "rparen" and prev is not None and prev.kind == "lparen":
            problems.append("has empty parentheses ()")
        prev = tok
    if prev is not None and prev.kind == "op":
        problems.append(f"has a dangling {prev.text} at the end")
    return problems


def _lower_case_operators(tokens: list[Token]) -> list[str]:
    lower_ops = sorted(
        {t.text for t in tokens if t.kind == "word" and t.text in ("and", "or", "not")}
    )
    return [
        f'uses lower-case "{op}"; PubMed needs upper-case {op.upper()} for a Boolean operator'
        for op in lower_ops
    ]
