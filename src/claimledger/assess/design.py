"""Study design level of an article: publication types first, MeSH second, title/abstract cues third.

Pure functions. Records not yet indexed have no publication types or MeSH for a while, so the
text cues carry real weight; the result always says which signal decided it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from claimledger.pubmed.records import Article

__all__ = [
    "LEVEL_NAMES",
    "LEVEL_SHORT",
    "Design",
    "assess_design",
    "level_from_publication_types",
    "level_from_text",
    "not_evidence",
    "review_of_nonrandomised",
]

LEVEL_NAMES = {
    "L1": "systematic review / meta-analysis / guideline",
    "L2": "randomised controlled trial",
    "L3": "non-randomised controlled, cohort or observational study",
    "L4": "case-control study, case series or case report",
    "L5": "animal, in-vitro or mechanistic study, narrative review, editorial, letter or comment",
}
# For tables, where the full names would be cut mid-word.
LEVEL_SHORT = {
    "L1": "systematic review / MA / guideline",
    "L2": "randomised controlled trial",
    "L3": "cohort / other observational",
    "L4": "case-control / case series",
    "L5": "animal, lab or opinion",
}

# Publication types, strongest first within each level.
_PT_LEVEL = {
    "Meta-Analysis": "L1",
    "Systematic Review": "L1",
    "Practice Guideline": "L1",
    "Guideline": "L1",
    "Consensus Development Conference": "L1",
    "Consensus Development Conference, NIH": "L1",
    "Network Meta-Analysis": "L1",
    "Randomized Controlled Trial": "L2",
    "Pragmatic Clinical Trial": "L2",
    "Equivalence Trial": "L2",
    "Controlled Clinical Trial": "L3",
    "Clinical Trial": "L3",
    "Clinical Trial, Phase I": "L3",
    "Clinical Trial, Phase II": "L3",
    "Clinical Trial, Phase III": "L3",
    "Clinical Trial, Phase IV": "L3",
    "Adaptive Clinical Trial": "L3",
    "Observational Study": "L3",
    "Multicenter Study": "L3",
    "Clinical Study": "L3",
    "Comparative Study": "L3",
    "Evaluation Study": "L3",
    "Validation Study": "L3",
    "Twin Study": "L3",
    "Case Reports": "L4",
    "Review": "L5",
    "Scoping Review": "L5",
    "Editorial": "L5",
    "Letter": "L5",
    "Comment": "L5",
    "News": "L5",
    "Newspaper Article": "L5",
    "Historical Article": "L5",
    "Biography": "L5",
    "Autobiography": "L5",
    "Personal Narrative": "L5",
    "Interview": "L5",
    "Lecture": "L5",
    "Published Erratum": "L5",
    "Retraction of Publication": "L5",
    "Expression of Concern": "L5",
    "Introductory Journal Article": "L5",
    "Portrait": "L5",
    "Congress": "L5",
    "Preprint": "L5",
}
_MESH_LEVEL = {
    "Cohort Studies": "L3",
    "Prospective Studies": "L3",
    "Retrospective Studies": "L3",
    "Longitudinal Studies": "L3",
    "Follow-Up Studies": "L3",
    "Cross-Sectional Studies": "L3",
    "Controlled Before-After Studies": "L3",
    "Case-Control Studies": "L4",
    "Double-Blind Method": "L2",
    "Random Allocation": "L2",
    "Single-Blind Method": "L2",
    "In Vitro Techniques": "L5",
    "Disease Models, Animal": "L5",
}
_RANK = {"L1": 1, "L2": 2, "L3": 3, "L4": 4, "L5": 5}


def _cue(rx: str) -> re.Pattern[str]:
    return re.compile(rx, re.I)


# Text cues (title first, then abstract), checked in the order of level_from_text.
_SYSTEMATIC = _cue(
    r"\bsystematic(ally)? review|\bmeta-?analy(sis|ses|tic)|\bumbrella review|\bpooled analysis of (randomi|trials)"
)
# A review that calls itself narrative or scoping is not a systematic review, whatever reporting
# guideline (PRISMA) or earlier meta-analyses its abstract names (DESIGN.md: narrative review is L5).
_NOT_SYSTEMATIC_REVIEW = _cue(
    r"\bnarrative(ly)? review|\breview(ed)? narratively\b|\bscoping review\b"
)
# Systematic-review wording that reports OTHER reviews ("a recent meta-analysis reports", "interest
# was reported in systematic reviews and meta-analyses"), not the record's own design.
_OTHERS_BEFORE = re.compile(
    r"\b(recent|previous|prior|earlier|several|many|numerous|other|existing|published)\s+(\w+\s+)?$|\bin\s+$",
    re.I,
)
_OTHERS_AFTER = re.compile(
    r"^\s*(have|has|had)\s+(\w+\s+)?(shown|concluded|reported|found|demonstrated|suggested)\b|^\s*reports?\b",
    re.I,
)
# Plural review designs at the end of a list are what a review included, not what it is.
_LISTED_AMONG = re.compile(r"(,|\band|\bor)\s+$", re.I)
_PLURAL = re.compile(r"s\b|es\b|\w*ses\b", re.I)
# Cochrane-style abstracts name their review methods as sections rather than say "systematic".
_SYSTEMATIC_SECTIONS = _cue(
    r"\b(search methods|selection criteria|data collection and analysis|authors'? conclusions)\s*:"
)
# An abstract that calls the record a review (and not a systematic one: checked before).
_SELF_REVIEW = _cue(
    r"\b(this|the present|our) review\b|\bin this review\b|\bpurpose of (the|this) review\b"
)
_GUIDELINE_TITLE = _cue(
    r"\bguidelines?\b|\bconsensus\b|\brecommendations? (and|for)\b|\bposition statement|\bpractice parameter"
)
_ANIMAL = _cue(
    r"\b(in rats?|in mice|rodents?|murine|rat model|mouse model|animal model|in vitro|cell lines?|"
    r"cultured (cells|neurons)|zebrafish|nonhuman primates?|canine|feline|porcine|dogs|cats|piglets|"
    r"rabbits|sheep|mice|rats)\b"
)
_HUMAN_SUBJECTS = _cue(r"\b(patients?|participants?|volunteers?|women|men|children|adults?)\b")
_RANDOMISED = _cue(
    r"\brandomi[sz]ed\b|\brandomly (assigned|allocated)|\bdouble[- ]blind|\bplacebo[- ]controlled|"
    r"\bsham[- ]controlled"
)
_CASE = _cue(
    r"\bcase[- ]control\b|\bcase series\b|\bcase reports?\b|\bwe report (a|an|the) (unique |rare |unusual )?case\b"
    r"|\bcase (is|was) (presented|described|reported)|\b(a|an) (unique|rare|unusual) case\b|\bin a case of\b"
    r"|\b(a|an) \d+-year-old\b|\byear-old (man|woman|boy|girl|male|female|patient)\b"
)
_CASE_WEAK = _cue(
    r"\bwe (report|describe|present) (a|an|two|three|[0-9]+) (patients?|cases?|women|men|children|infants?)\b"
    r"|\b(a|an) (man|woman|boy|girl|patient) (with|who)\b|\bin (two|three) patients\b"
)
# Case-report titles name one patient: "... granuloma in a kidney transplant recipient".
_CASE_TITLE = _cue(
    r"\bin an? ([\w-]+ ){0,3}(patient|recipient|woman|man|child|boy|girl|infant|neonate|newborn|"
    r"adolescent|pregnant woman|smoker|athlete|user|abuser|survivor|veteran|soldier)\b"
)
# Guidelines rarely say "guideline" in the abstract; they describe the consensus process.
_CONSENSUS = _cue(
    r"\bconsensus (process|statement|conference|development|recommendations?)\b|"
    r"\b(workshop|panel|committee|task force|working group) was (convened|formed|established)\b"
)
_REVIEW_TITLE = _cue(
    r"\breview\b|\ban update\b|\boverview\b|\bperspectives?\b|\bcommentary\b|\bthe case for\b|"
    r"\brecent advances\b|\bfuture directions\b|\bprimer\b|\btutorial\b|\bhistory of\b"
)
_REVIEW_ABSTRACT = _cue(
    r"\b(this|the present|our) (review|article|paper|commentary|essay|chapter) (aims?|discuss|describ|"
    r"summari[sz]|examin|highlight|provid|focus|consider|explor|outlin)|\bpurpose of (the )?review\b|"
    r"\bwe (review|discuss|summari[sz]e|argue|propose|highlight|outline|describe recent)\b|"
    r"\bnarrative review\b|\bin this (review|article|paper|chapter)\b|\brecent (advances|developments)\b|"
    r"\breview(s|ed)? (of )?the (literature|evidence|current)\b"
)
_OBSERVATIONAL = _cue(
    r"\bcohort\b|\bprospective(ly)? (study|studies|cohort|observational|enrolled|collected|followed)|"
    r"\bretrospective(ly)?\b|\bobservational\b|\bopen[- ]label\b|\bsingle[- ]arm\b|\bregistry\b|"
    r"\bcross[- ]sectional\b|\bnon-?randomi[sz]ed\b|\bchart review\b|\bpilot (study|trial)\b|\breal[- ]world\b|"
    r"\bsurvey\b|\b(patients|participants|subjects) (were|was) (enrolled|recruited|included|studied|followed)|"
    r"\b(pharmaco|addicto)vigilance\b|\b(national|health ?care|claims|insurance|administrative) (database|data)\b"
)
_EMPIRICAL = _cue(
    r"\bp\s*[<=>]\s*0?\.\d|\b95\s*% ?(ci|confidence)|\b[nN]\s*=\s*\d|\bwe (measured|found|observed|"
    r"enrolled|recruited|analy[sz]ed|examined|conducted|performed|compared|investigated|assessed|evaluated|"
    r"studied|used|tested|determined|characteri[sz]ed|extracted|identified|reviewed)\b|"
    r"(^|\s)(RESULTS|METHODS|MATERIALS AND METHODS):|\bwere (randomly|measured|analy[sz]ed|"
    r"assessed|evaluated|compared|recruited|included|enrolled)\b"
)


_N_PATTERNS = (
    re.compile(r"\b[nN]\s*=\s*(\d{1,3}(?:,\d{3})+|\d+)"),
    re.compile(
        r"\b(\d{1,3}(?:,\d{3})+|\d+)\s+(?:adult |adolescent |consecutive |eligible |depressed |"
        r"healthy |unique |total )?(?:patients|participants|subjects|adults|children|individuals|"
        r"veterans|women|men|people|volunteers|respondents|cases|users)\b"
    ),
    re.compile(r"\ba total of (\d{1,3}(?:,\d{3})+|\d+)\b"),
)
_HUMAN_TEXT = re.compile(
    r"\b(patients?|participants?|volunteers?|adults?|children|women|men|veterans|humans?)\b", re.I
)
_ANIMAL_TEXT = re.compile(
    r"\b(rats?|mice|mouse|rodents?|murine|animals?|dogs|cats|primates?|monkeys?|zebrafish|piglets?|rabbits?)\b",
    re.I,
)
_NOT_INDEXED = {"Publisher", "In-Process", "In-Data-Review"}


@dataclass(frozen=True)
class Design:
    level: str  # L1..L5
    basis: str  # publication-type | mesh | text | none
    reason: str
    population: str  # humans | animals | both | unknown
    sample_size: int | None
    flags: tuple[str, ...]
    counts_as_evidence: bool = True  # protocols, registry entries and errata never do


def level_from_publication_types(names: list[str]) -> tuple[str, str] | None:
    """The strongest level the publication types establish, with the type that decided it."""
    found = [(_PT_LEVEL[n], n) for n in names if n in _PT_LEVEL]
    if not found:
        return None
    # "Review" alone is narrative; a systematic review/meta-analysis beside it wins.
    found.sort(key=lambda x: _RANK[x[0]])
    return found[0]


def level_from_text(title: str, abstract: str) -> tuple[str, str]:
    """Level from title and abstract wording alone, for records with no publication types yet."""
    if _SYSTEMATIC.search(title) and not _NOT_SYSTEMATIC_REVIEW.search(title):
        return "L1", "systematic review / meta-analysis wording"
    both = f"{title}\n{abstract}"
    if _NOT_SYSTEMATIC_REVIEW.search(title) or _own(_NOT_SYSTEMATIC_REVIEW, abstract):
        return "L5", "narrative or scoping review wording"
    if _own(_SYSTEMATIC, abstract):
        return "L1", "systematic review / meta-analysis wording"
    if _SYSTEMATIC_SECTIONS.search(abstract):
        return "L1", "systematic-review abstract sections (search methods, selection criteria)"
    if _GUIDELINE_TITLE.search(title):
        return "L1", "guideline / consensus wording in the title"
    if _CONSENSUS.search(abstract):
        return "L1", "consensus-process wording (guideline or consensus statement)"
    if _SELF_REVIEW.search(abstract):  # its trial wording is about the studies it reviews
        return "L5", "a review that does not call itself systematic"
    animal = _ANIMAL.search(title) or (
        _ANIMAL.search(abstract) and not _HUMAN_SUBJECTS.search(abstract)
    )
    if animal:
        return "L5", "animal or in-vitro wording"
    if _CASE.search(title) or _CASE_TITLE.search(title):
        return "L4", "case report / case series wording in the title"
    if _RANDOMISED.search(both):
        return "L2", "randomised / blinded trial wording"
    if _CASE.search(both) or _CASE_TITLE.search(title):
        return "L4", "case-control / case series / case report wording"
    if _REVIEW_TITLE.search(title) or _REVIEW_ABSTRACT.search(abstract):
        return "L5", "review, commentary or opinion wording"
    if _CASE_WEAK.search(both):
        return "L4", "case series / case report wording"
    if _OBSERVATIONAL.search(both):
        return "L3", "cohort / observational / uncontrolled study wording"
    if not abstract.strip():
        return "L5", "no abstract (editorials, letters, comments and news have none)"
    if _EMPIRICAL.search(abstract):
        return "L3", "reports its own data with no design wording (assumed observational)"
    return "L5", "no design wording and no data of its own (narrative or mechanistic)"


def _own(rx: re.Pattern[str], abstract: str) -> bool:
    """Review-design wording in the abstract that describes the record itself, not other work."""
    for m in rx.finditer(abstract):
        before, after = (
            abstract[max(0, m.start() - 30) : m.start()],
            abstract[m.end() : m.end() + 40],
        )
        if _OTHERS_BEFORE.search(before) or _OTHERS_AFTER.search(after):
            continue
        if _LISTED_AMONG.search(before) and _PLURAL.match(abstract, m.end()):
            continue  # "included RCTs, observational studies, and systematic reviews"
        return True
    return False


def _population(article: Article) -> str:
    if article.humans and article.animals:
        return "both"
    if article.humans:
        return "humans"
    if article.animals:
        return "animals"
    text = f"{article.title} {article.abstract}"
    h, a = bool(_HUMAN_TEXT.search(text)), bool(_ANIMAL_TEXT.search(text))
    if h and a:
        return "both"
    return "humans" if h else "animals" if a else "unknown"


def sample_size(abstract: str) -> int | None:
    """The largest participant count the abstract states (None when it states none)."""
    best: int | None = None
    for rx in _N_PATTERNS:
        for m in rx.finditer(abstract):
            n = int(m.group(1).replace(",", ""))
            if 1 <= n < 10_000_000 and (best is None or n > best):
                best = n
    return best


def _flags(article: Article) -> tuple[str, ...]:
    flags = [f.replace("_", "-") for f in article.flags]
    if any(p.name == "Preprint" for p in article.publication_types):
        flags.append("preprint")
    if article.kind == "article" and (
        article.status in _NOT_INDEXED
        or (not article.mesh and article.status != "PubMed-not-MEDLINE")
    ):
        flags.append("not-yet-indexed")
    return tuple(flags)


# Planned studies and notices: described in the future tense or as a correction of another record.
_PROTOCOL_TITLE = _cue(
    r"\b(study|trial|review) protocol\b|\bprotocol (for|of) (a|an|the)\b|\bdesign and rationale\b|"
    r"\bstatistical analysis plan\b"
)
_PROTOCOL_FUTURE = _cue(
    r"\bthis protocol\b|\bwe (will|plan to|intend to) (recruit|enrol|enroll|randomi[sz]e|conduct|assess|"
    r"evaluate|investigate|compare|test|examine)|\b(participants|patients|subjects) will be (recruited|"
    r"randomi[sz]ed|enrolled|allocated|assigned)|\bwill be randomi[sz]ed\b|\b(is|are) being (recruited|"
    r"conducted|enrolled)\b|\bprimary (outcome|end ?point) will be\b|\bresults will be (disseminated|"
    r"published)|\bethics and dissemination\b"
)
# A record that reports results is not a protocol, whatever its methods say about one.
_RESULTS_REPORTED = _cue(r"\b(RESULTS?|FINDINGS):|\bp\s*[<=]\s*0?\.\d|\b95\s*% ?(CI|confidence)")
_ERRATUM = _cue(r"^\s*reports an error in\b|^\s*(erratum|corrigendum|correction)\b")


_NONRANDOMISED_DESIGNS = _cue(
    r"\bopen[- ]label\b|\bcase (series|reports?)\b|\bobservational\b|\bnon-?randomi[sz]ed\b|"
    r"\bretrospective\b|\bnaturalistic\b|\buncontrolled\b|\bcohort\b|\bchart reviews?\b|\bcase studies\b"
)
_RANDOMISED_DESIGNS = _cue(r"\brandomi[sz]ed\b|\bRCTs?\b|\bplacebo[- ]controlled\b")


def review_of_nonrandomised(abstract: str) -> bool:
    """A systematic review whose included studies are mostly non-randomised (DESIGN.md: such an
    L1 grades like one RCT, i.e. moderate)."""
    nr = len(_NONRANDOMISED_DESIGNS.findall(abstract))
    return nr >= 2 and nr > len(_RANDOMISED_DESIGNS.findall(abstract))


def not_evidence(title: str, abstract: str) -> str | None:
    """Why a record reports no findings of its own (protocol, registry entry, erratum), or None."""
    if _ERRATUM.search(abstract) or _ERRATUM.search(title):
        return "erratum or correction notice"
    if _PROTOCOL_TITLE.search(title):  # a protocol's planned analysis names CIs and p-values too
        return "study protocol or analysis plan (its title says so): no results yet"
    if _RESULTS_REPORTED.search(abstract):
        return None
    if _PROTOCOL_FUTURE.search(abstract):
        return "study protocol or registered plan (future tense): no results yet"
    return None


def assess_design(article: Article) -> Design:
    """Design level, population, sample size and flags of one article, with the deciding signal."""
    population = _population(article)
    n = sample_size(article.abstract)
    flags = _flags(article)
    why_not = not_evidence(article.title, article.abstract)
    if why_not is not None:
        return Design("L5", "text", why_not, population, n, (*flags, "not-evidence"), False)
    level, basis, reason = _level(article, population)
    if level == "L1" and review_of_nonrandomised(article.abstract):
        flags = (*flags, "review-of-non-randomised")
    elif level == "L1" and _NONRANDOMISED_DESIGNS.search(article.abstract):
        flags = (*flags, "review-includes-non-randomised")
    return Design(level, basis, reason, population, n, flags)


def _level(article: Article, population: str) -> tuple[str, str, str]:
    """(level, basis, reason): publication types first, then MeSH and text."""
    by_pt = level_from_publication_types([p.name for p in article.publication_types])
    if population == "animals" and (by_pt is None or by_pt[0] != "L1"):
        basis = "mesh" if article.animals else "text"
        return "L5", basis, "animal study (no human participants)"
    if by_pt is None:
        return _level_from_mesh_and_text(article)
    level, name = by_pt
    if level == "L3" and "Clinical Trial" in name:  # a generic trial type: text may show more
        text_level, why = level_from_text(article.title, article.abstract)
        if text_level == "L2":
            return "L2", "text", f"publication type {name!r} and {why}"
    return level, "publication-type", f"publication type {name!r}"


def _level_from_mesh_and_text(article: Article) -> tuple[str, str, str]:
    mesh_levels = sorted(
        (
            (_MESH_LEVEL[m.descriptor], m.descriptor)
            for m in article.mesh
            if m.descriptor in _MESH_LEVEL
        ),
        key=lambda x: _RANK[x[0]],
    )
    if not article.title and not article.abstract:
        if mesh_levels:
            return mesh_levels[0][0], "mesh", f"MeSH heading {mesh_levels[0][1]!r}"
        return "L5", "none", "no title or abstract to judge"
    level, why = level_from_text(article.title, article.abstract)
    if (
        level == "L2"
        and _OBSERVATIONAL.search(article.title)
        and not _RANDOMISED.search(article.title)
    ):
        level, why = "L3", "observational / real-world / uncontrolled design named in the title"
    if mesh_levels and not _text_is_more_specific(level, mesh_levels[0][0]):
        return mesh_levels[0][0], "mesh", f"MeSH heading {mesh_levels[0][1]!r}"
    return level, "text", why


def _text_is_more_specific(text_level: str, mesh_level: str) -> bool:
    """MeSH design headings describe the included studies of a review too ('Double-Blind Method'),
    and 'Retrospective/Follow-Up Studies' tag case reports and trial follow-ups alike: explicit
    review, trial or case wording in the text is the more specific signal."""
    if text_level == "L1":
        return True
    if mesh_level == "L2" and text_level == "L3":
        return True  # only when the title names the observational design (see assess_design)
    return mesh_level == "L3" and text_level in ("L2", "L4")
