"""Copy checking: sentences → claim-like sentences → library match → wording flags. Pure.

Given a document's text, the claims library and what the ledger knows about each claim (grade
and top references), produce findings a medical writer can act on: which library claim each
claim-like sentence makes, how strong its evidence is, and which words overstate it.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import pysbd

from claimledger.library.claims import Claim, ClaimsLibrary
from claimledger.textutil import content_stems

__all__ = [
    "CHECK_SCHEMA_VERSION",
    "FAIL_ON",
    "CheckResult",
    "ClaimEvidence",
    "ClaimMatcher",
    "Finding",
    "Flag",
    "check_text",
    "fails",
    "is_claim_like",
    "segment",
]

CHECK_SCHEMA_VERSION = 1
FAIL_ON = ("none", "unsupported", "overstated", "unmatched", "any")
MATCH_THRESHOLD = 0.35
NO_EVIDENCE = "no evidence yet — run claimledger refresh"
_SUPPORTED = ("strong", "moderate")

_seg = pysbd.Segmenter(language="en", clean=False)


@dataclass(frozen=True)
class Flag:
    code: str
    message: str


@dataclass(frozen=True)
class ClaimEvidence:
    """What the ledger says about one claim, as the checker needs it."""

    grade: str  # strong | moderate | ... | needs a non-PubMed source
    provisional: bool = False
    references: tuple[dict[str, str], ...] = ()


@dataclass(frozen=True)
class Finding:
    sentence: str
    start: int
    end: int
    claim_id: str | None
    match_score: float
    grade: str | None
    flags: tuple[Flag, ...] = ()
    references: tuple[dict[str, str], ...] = ()
    candidates: tuple[dict[str, Any], ...] = ()
    categories: tuple[str, ...] = ()

    @property
    def unsupported(self) -> bool:
        if self.claim_id is None:
            return False
        return self.grade is None or self.grade.split(",")[0].strip() not in _SUPPORTED

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["flags"] = [asdict(f) for f in self.flags]
        d["references"] = list(self.references)
        d["candidates"] = list(self.candidates)
        d["categories"] = list(self.categories)
        return d


@dataclass
class CheckResult:
    document: str
    text: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, int]:
        f = self.findings
        return {
            "claim_like_sentences": len(f),
            "matched": sum(1 for x in f if x.claim_id),
            "not_in_library": sum(1 for x in f if not x.claim_id),
            "flagged": sum(1 for x in f if x.flags),
            "unsupported": sum(1 for x in f if x.unsupported),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CHECK_SCHEMA_VERSION,
            "document": self.document,
            "findings": [x.to_dict() for x in self.findings],
            "summary": self.summary,
        }


# --- segmentation --------------------------------------------------------------------------------


_LIST_ITEM = re.compile(r"^\s*([-*+•]|\d+[.)])\s+")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s")
_TERMINAL = re.compile(r"[.!?:;\"')\]]\s*$")


def _blocks(text: str, kind: str) -> Iterator[tuple[int, int]]:
    """Paragraph ranges: a blank line, heading or list item starts a new block; a wrapped line
    (Markdown soft wrap, or a line continuing a sentence in lower case) joins the one before."""
    start: int | None = None
    end = 0
    prev_line = ""
    pos = 0
    for line in text.split("\n"):
        line_start, line_end = pos, pos + len(line)
        pos = line_end + 1
        stripped = line.strip()
        new_block = (
            not stripped
            or _MD_HEADING.match(line) is not None
            or _LIST_ITEM.match(line) is not None
            or start is None
            or _MD_HEADING.match(prev_line) is not None
        )
        if not new_block:
            soft_wrap = kind == "md" or (
                not _TERMINAL.search(prev_line)
                and (stripped[:1].islower() or stripped[:1].isdigit())
            )
            new_block = not soft_wrap
        if new_block and start is not None:
            yield start, end
            start = None
        if stripped:
            if start is None:
                start = line_start
            end = line_end
        prev_line = line if stripped else ""
    if start is not None:
        yield start, end


def segment(text: str, kind: str = "txt") -> Iterator[tuple[int, int, str]]:
    """Sentences with offsets into ``text``. Paragraphs are found first (see _blocks), then split
    by pysbd; offsets always point at the original characters."""
    if kind == "md":  # comments are not copy; blank them without moving any offset
        text = _blank_md_comments(text)
    for b_start, b_end in _blocks(text, kind):
        for c_start, c_end in _chunks(text, b_start, b_end):
            block = text[c_start:c_end].replace("\n", " ")
            cursor = 0
            for sent in _sentences(block):
                s = sent.strip()
                if not s:
                    continue
                i = block.find(s, cursor)
                if i < 0:
                    continue
                cursor = i + len(s)
                yield c_start + i, c_start + i + len(s), text[c_start + i : c_start + i + len(s)]


def _sentences(block: str) -> list[str]:
    """pysbd's sentences without its offset pass, which re-scans the text once per sentence
    (quadratic for many short, alike sentences); segment() finds offsets in one forward pass."""
    if not block:
        return []
    sents: list[str] = _seg.processor(block).process()
    return sents


def _blank_md_comments(text: str) -> str:
    """Blank every <!-- ... --> (an unclosed one runs to the end), one pass, keeping offsets."""
    out: list[str] = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        end = text.find("-->", start + 4)
        end = len(text) if end < 0 else end + 3
        out.append(text[pos:start])
        out.append(re.sub(r"[^\n]", " ", text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


# pysbd's time grows faster than linearly with the length of what it is given, so a paragraph
# longer than this is cut at a sentence end (or a space, or anywhere) into pieces it handles fast.
MAX_SEGMENT_CHARS = 5000
_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s")


def _chunks(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Ranges of at most MAX_SEGMENT_CHARS covering text[start:end], cut where a sentence ends."""
    while end - start > MAX_SEGMENT_CHARS:
        window = text[start : start + MAX_SEGMENT_CHARS]
        cut = 0
        for m in _SENTENCE_END.finditer(window, MAX_SEGMENT_CHARS // 2):
            cut = m.end()
        if not cut:
            space = max(window.rfind(" "), window.rfind("\n"))
            cut = space + 1 if space > 0 else MAX_SEGMENT_CHARS
        yield start, start + cut
        start += cut
    if end > start:
        yield start, end


def _is_heading(s: str) -> bool:
    if _MD_HEADING.match(s):
        return True
    if _TERMINAL.search(s):
        return False
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", s)]
    caps = sum(1 for w in words if w[0].isupper())
    return len(words) <= 14 and caps >= 0.5 * max(1, len(words))


# --- claim-likeness ----------------------------------------------------------------------------

_CATEGORIES: dict[str, re.Pattern[str]] = {
    name: re.compile(rx, re.I)
    for name, rx in {
        "efficacy": r"\b(treat\w*|facilitat\w*|reliev\w*|reduc\w*|alleviat\w*|improv\w*|effective\w*|efficac\w*|works?|help\w*|benefit\w*|success\w*|ease[sd]?|easing|relief|remission|respon\w+|heal\w*|restor\w*|cure[sd]?|hope|promis\w*|transformative|game-changer|life-changing|breakthrough|revolutioniz\w*|alternative)\b",
        "onset": r"\b(rapid\w*|quick\w*|fast\w*|immediate\w*|within (hours|minutes|days)|hours?|overnight|onset|instant\w*)\b",
        "duration": r"\b(lasting|last(s)?|sustained|persist\w*|long-term|long-lasting|weeks|months|permanent\w*|durab\w*)\b",
        "safety": r"\b(safe\w*|resolv\w*|short-lived|transient|temporary|subside\w*|side effects?|risks?|adverse|addict\w*|dependen\w*|abuse|misuse|nausea|dizziness|dissociat\w*|blood pressure|heart rate|bladder|urinary|cognitive|hallucinat\w*|toxic\w*|contraindicat\w*|not suitable|suitab\w*|not recommended|tolerat\w*|blurred vision)\b",
        "mechanism": r"\b(nmda|glutamat\w*|receptors?|bdnf|mtor|synap\w*|neuro\w*|plasticity|rewir\w*|neurotransmitter\w*|serotonin|dopamine|gaba|inflammat\w*|brain|neural|neurons?|pathways?)\b",
        "indication": r"\b(depress\w*|anxiety|ptsd|post-traumatic|pain|fibromyalgia|neuropathic|ocd|obsessive|bipolar|suicid\w*|mental health|mood|trauma\w*|self-harm)\b",
        "procedure": r"\b(sessions?|infusions?|intravenous\w*|iv|intramuscular|nasal spray|dos(e|es|age|ing)|monitor\w*|minutes|protocol|administ\w*|supervis\w*|assessment|evaluation)\b",
        "regulatory": r"\b(fda|approv\w*|synthesi[sz]ed|patented|derivative|anesthe\w*|anaesthe\w*|vietnam|military|soldiers|1962|1960s|2019|clinical trials?|studies|research)\b",
    }.items()
}
_SUBJECT = re.compile(
    r"\b(ketamine|esketamine|spravato|treatments?|therapy|infusions?|sessions?|drug|medication|"
    r"it|its|they|these|this|you|patients?|individuals?|people|glutamate|nmda|bdnf|"
    r"antidepressants?)\b",
    re.I,
)
_NOT_CLAIM = re.compile(
    r"\b(contact (us|the)|call us|schedule (a|your)|book (a|your)|reach out|click|learn more|"
    r"learn if|sign up|subscribe|latest news|commitment to accessibility|this site uses|"
    r"report any problems|all rights reserved|privacy policy|cookies?|"
    r"consult (with )?(your|a|qualified)|consulting with|make sure to consult|"
    r"(in )?this (blog|article|guide|post)|we (explore|discuss|will explore))\b"
    r"|continue reading|read more|disclaimer"  # often glued to the next word in scraped pages
    r"|^(subject|from|to|cc|re|sent):",  # e-mail headers
    re.I,
)
_SAFETY_FACT = re.compile(
    r"\b(side effects?|risks?|adverse|addict\w*|dependence|abuse|misuse|bladder|urinary|"
    r"cognitive changes|contraindicat\w*)\b",
    re.I,
)
_REGULATORY_FACT = re.compile(
    r"\b(fda|approv|synthesi|patented|derivative|anesthe|anaesthe|vietnam|military|soldiers)", re.I
)
_CONTACT = re.compile(r"(\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}|@\w+\.\w+|https?://|www\.)")


def is_claim_like(sentence: str) -> tuple[bool, tuple[str, ...]]:
    """Is this a statement about efficacy, onset, duration, safety, mechanism, indications,
    procedure or regulatory status? Questions, headings, calls to action and contact text are not."""
    s = " ".join(sentence.split())
    words = s.split()
    if len(words) < 4 or s.endswith(("?", ":", "...", "…")) or _is_heading(s):
        return False, ()
    if _NOT_CLAIM.search(s) or _CONTACT.search(s):
        return False, ()
    if not re.search(r"[a-z]", s) or s.isupper():
        return False, ()
    cats = tuple(name for name, rx in _CATEGORIES.items() if rx.search(s))
    if not cats:
        return False, ()
    is_item = _LIST_ITEM.match(s) is not None  # a bullet's subject is its heading
    if not _SUBJECT.search(s) and not _SAFETY_FACT.search(s) and not is_item:
        return False, cats  # a risk statement needs no named subject ("Long-term risks are rare")
    strong = {"efficacy", "safety", "mechanism", "onset", "duration", "regulatory", "procedure"}
    names_drug = re.search(r"\b(ketamine|esketamine|spravato)\b", s, re.I)
    if not (set(cats) & strong) and not ("indication" in cats and names_drug):
        return False, cats
    if set(cats) <= {"regulatory"} and not _REGULATORY_FACT.search(s):
        return False, cats  # "research is ongoing" alone is not a claim
    return True, cats


# --- matching ------------------------------------------------------------------------------------


# Words every piece of ketamine copy uses: they should not make two sentences look alike.
_WEAK = content_stems(
    "mental health condition conditions disorder disorders individual individuals patient "
    "patients people treatment treatments therapy therapies ketamine option options hope"
)


class ClaimMatcher:
    """Cosine similarity over IDF-weighted content stems of each claim's statement and variants."""

    def __init__(self, library: ClaimsLibrary) -> None:
        self.claims = {c.id: c for c in library.claims}
        docs: list[tuple[str, set[str]]] = []
        for c in library.claims:
            for text in (c.statement, *c.variants):
                stems = content_stems(text)
                if stems:
                    docs.append((c.id, stems))
        df: dict[str, int] = defaultdict(int)
        for _, stems in docs:
            for t in stems:
                df[t] += 1
        n = len(docs) or 1
        self.idf = {t: math.log(1 + n / d) * (0.3 if t in _WEAK else 1.0) for t, d in df.items()}
        self._default_idf = math.log(1 + n)
        self.docs = [
            (cid, stems, math.sqrt(sum(self.idf[t] ** 2 for t in stems))) for cid, stems in docs
        ]
        self.index: dict[str, list[int]] = defaultdict(list)
        for i, (_, stems, _) in enumerate(self.docs):
            for t in stems:
                self.index[t].append(i)

    def scores(self, sentence: str) -> dict[str, float]:
        q = content_stems(sentence)
        if not q:
            return {}
        qnorm = math.sqrt(sum(self.idf.get(t, self._default_idf) ** 2 for t in sorted(q)))
        dot: dict[int, float] = defaultdict(float)
        for t in sorted(q):  # a fixed order keeps float sums identical run to run
            w = self.idf.get(t)
            if w is None:
                continue
            for i in self.index[t]:
                dot[i] += w * w
        best: dict[str, float] = {}
        for i, v in dot.items():
            cid, _, dnorm = self.docs[i]
            cosine = v / (qnorm * dnorm)
            containment = v / (dnorm * dnorm)  # how much of the claim's wording the sentence has
            s = 0.6 * cosine + 0.4 * containment
            if s > best.get(cid, 0.0):
                best[cid] = s
        return best

    def match(self, sentence: str) -> tuple[str | None, float, list[dict[str, Any]]]:
        ranked = sorted(self.scores(sentence).items(), key=lambda kv: -kv[1])
        candidates = [{"claim_id": cid, "score": round(s, 3)} for cid, s in ranked[:3]]
        if ranked and ranked[0][1] >= MATCH_THRESHOLD:
            return ranked[0][0], round(ranked[0][1], 3), candidates
        return None, round(ranked[0][1], 3) if ranked else 0.0, candidates


# --- wording flags -------------------------------------------------------------------------------

_ABSOLUTES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rx, re.I), msg)
    for rx, msg in (
        (
            r"\bno side effects\b|\bwithout (any )?side effects\b",
            '"no side effects": every active treatment has some; list the common ones instead',
        ),
        (
            r"\bnot addictive\b|\bnon-addictive\b|\bdoes not lead to addiction\b|\bno risk of (addiction|abuse|dependence)\b",
            "denies addiction risk; ketamine is a controlled substance with known misuse potential",
        ),
        (
            r"\b(completely |totally |perfectly |100% )?safe\b(?! (and|when|if|under))",
            '"safe" stated as an absolute; say under what conditions and what the risks are',
        ),
        (r"\bcure[sd]?\b|\bcuring\b", '"cure" promises more than any study shows'),
        (r"\bproven\b|\bprove[sd]\b", '"proven" implies settled evidence; cite it or soften'),
        (r"\bguarantee[sd]?\b", '"guaranteed" outcomes cannot be promised'),
        (
            r"\bpermanent(ly)?\b",
            '"permanent" benefit is not shown; effects often fade within weeks',
        ),
        (
            r"\b(immediate|instant|instantaneous) (relief|results?|effects?|improvements?|benefits?|response)\b"
            r"|\b(works?|relief|results?|feel better) (immediately|instantly)\b",
            '"immediate" overstates onset; trials measure hours to days',
        ),
        (
            r"\balways\b|\bnever\b|\beveryone\b|\bevery patient\b",
            "absolute wording; outcomes vary between patients",
        ),
        (r"\brisk-free\b|\bno risks?\b", "denies risk; every treatment carries some"),
    )
)
_MINIMISERS = re.compile(
    r"\b(rare(ly)?|minimal|negligible|only mild|mild and temporary|little to no)\b", re.I
)
_CERTAIN = re.compile(
    r"\b(proven|demonstrat\w*|shown|shows|confirm\w*|establish\w*|research (shows|indicates|has shown)|"
    r"studies (show|have shown|reveal)|numerous studies|remarkable (success|efficacy)|is effective|"
    r"are effective|particularly effective|guarantee\w*|clinically proven|dramatic\w*)\b",
    re.I,
)
_HEDGED = re.compile(
    r"\b(may|might|could|can help|some studies|early (results|research|evidence)|preliminary|promising|potential(ly)?|suggests?|is believed|is thought|hoped)\b",
    re.I,
)
_RISK_STATEMENT = re.compile(
    r"\b(side effects?|risks?|adverse|nausea|dizziness|dissociation|blood pressure|heart rate|"
    r"contraindicat\w*|not (suitable|recommended)|bladder|urinary|dependence|abuse|misuse|"
    r"hallucinat\w*|cognitive changes)\b",
    re.I,
)
_APPROVAL = re.compile(r"\b(fda|approv\w*)\b", re.I)


def document_has_risk_statement(sentences: list[str]) -> bool:
    return any(_RISK_STATEMENT.search(s) for s in sentences)


def wording_flags(
    sentence: str, claim: Claim | None, evidence: ClaimEvidence | None, doc_states_risks: bool
) -> list[Flag]:
    flags: list[Flag] = []
    for rx, msg in _ABSOLUTES:
        m = rx.search(sentence)
        if m:
            flags.append(
                Flag(
                    "ABSOLUTE",
                    f'"{m.group(0)}": {msg.split(": ", 1)[-1] if msg.startswith(chr(34)) else msg}',
                )
            )
    m = _MINIMISERS.search(sentence)
    if m and (
        claim is None
        or claim.polarity in ("asserts-no-harm", "asserts-harm")
        or _RISK_STATEMENT.search(sentence)
    ):
        flags.append(
            Flag(
                "MINIMISER",
                f'"{m.group(0)}" minimises a risk; give frequencies from the evidence instead',
            )
        )
    if (
        _APPROVAL.search(sentence)
        and re.search(r"\bketamine\b", sentence, re.I)
        and not re.search(
            r"\b(esketamine|spravato|off-label|not (been )?approved)\b", sentence, re.I
        )
    ):
        flags.append(
            Flag(
                "APPROVAL_MISSTATED",
                "implies ketamine itself is approved for this use; only esketamine nasal spray "
                "(Spravato) is FDA-approved for depression; intravenous ketamine is used off-label",
            )
        )
    grade = evidence.grade if evidence else None
    base = grade.split(",")[0].strip() if grade else None
    certain = _CERTAIN.search(sentence)
    hedged = _HEDGED.search(sentence)
    if claim is not None and not claim.needs_non_pubmed_source:
        if certain and not hedged and base not in ("strong",):
            what = (
                f"the evidence is graded {grade}"
                if grade
                else "the ledger has no evidence for it yet"
            )
            if base != "moderate" or re.search(
                r"proven|guarantee|demonstrat|confirm|establish|numerous", certain.group(0), re.I
            ):
                flags.append(
                    Flag(
                        "CERTAINTY_EXCEEDS_GRADE",
                        f'"{certain.group(0)}" states this with more certainty than {what} allows',
                    )
                )
        if base in ("contested", "contradicted"):
            flags.append(
                Flag(
                    "EVIDENCE_" + base.upper(),
                    f"the ledger grades this claim {base}; do not state it as fact",
                )
            )
        if claim.polarity == "asserts-benefit" and not doc_states_risks:
            flags.append(
                Flag(
                    "FAIR_BALANCE",
                    "a benefit claim in a document that states no risks anywhere; add the main risks and side effects",
                )
            )
    return flags


# --- the whole check -----------------------------------------------------------------------------


def check_text(
    document: str,
    text: str,
    library: ClaimsLibrary,
    evidence: Mapping[str, ClaimEvidence],
    matcher: ClaimMatcher | None = None,
    kind: str = "txt",
) -> CheckResult:
    """Find every claim-like sentence in ``text``, match it, grade it and flag its wording."""
    m = matcher or ClaimMatcher(library)
    spans = [(a, b, " ".join(s.split())) for a, b, s in segment(text, kind)]
    states_risks = document_has_risk_statement([s for _, _, s in spans])
    claims = {c.id: c for c in library.claims}
    result = CheckResult(document=document, text=text)
    intro = ""  # a line ending in ":", or a title over bullets, gives its meaning to the items
    for n, (start, end, sent) in enumerate(spans):
        item = _LIST_ITEM.match(sent)
        next_is_item = n + 1 < len(spans) and _LIST_ITEM.match(spans[n + 1][2]) is not None
        if item and intro:
            context = f"{intro} {sent[item.end() :]}"
        elif not item and next_is_item and (sent.endswith(":") or not _TERMINAL.search(sent)):
            intro = sent.rstrip(":")
            continue
        else:
            intro = ""
            context = sent
        ok, cats = is_claim_like(context)
        if not ok:
            continue
        cid, score, candidates = m.match(context)
        claim = claims.get(cid) if cid else None
        ev = evidence.get(cid) if cid else None
        grade = (
            (ev.grade + (", provisional" if ev.provisional else ""))
            if ev
            else (NO_EVIDENCE if cid else None)
        )
        flags = wording_flags(context, claim, ev, states_risks)
        result.findings.append(
            Finding(
                sentence=sent,
                start=start,
                end=end,
                claim_id=cid,
                match_score=score,
                grade=grade,
                flags=tuple(flags),
                references=ev.references if ev else (),
                candidates=tuple(candidates) if cid is None else (),
                categories=cats,
            )
        )
    return result


def fails(results: list[CheckResult], level: str) -> bool:
    """Should `check --fail-on LEVEL` exit 1 for these results?"""
    findings = [f for r in results for f in r.findings]
    if level == "none":
        return False
    checks = {
        "unsupported": any(f.unsupported for f in findings),
        "overstated": any(f.flags for f in findings),
        "unmatched": any(f.claim_id is None for f in findings),
    }
    if level == "any":
        return any(checks.values())
    return checks[level]
