"""Getting evidence in: refresh and import. Strings together eutils → medline → store → grading.

Network work for a claim happens before its transaction opens; the claim's searches, records,
links and watermark are then written in one transaction. A failure or a kill -9 at any point
leaves every claim either fully refreshed or exactly as it was. Claims whose evidence changed are
re-graded at the end; a claim an interrupted run left ungraded is graded by the next refresh.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from claimledger.errors import InputError, ParseError, PubMedError
from claimledger.ledger.audit import declared_actor
from claimledger.ledger.store import ArticleChange, Ledger
from claimledger.library.claims import Claim, ClaimsLibrary
from claimledger.limits import max_input_bytes, too_large
from claimledger.model import LinkOrigin
from claimledger.pubmed.eutils import EutilsClient, FetchedBatch
from claimledger.pubmed.medline import SearchResult, iter_articles, iter_medline, sniff_format
from claimledger.pubmed.records import Article
from claimledger.service.grading import grade_claims

__all__ = [
    "EVIDENCE_FILTER",
    "ImportSummary",
    "ParsedImport",
    "RefreshSummary",
    "import_file",
    "parse_import",
    "refresh",
]

# Systematic reviews, meta-analyses, RCTs and guidelines, by publication type and subset, plus
# title and abstract words for records not yet indexed (they have no publication types for a
# while): a trial reported as "Esketamine versus quetiapine for TRD" says "randomized" only in its
# abstract, and a broad claim's relevance-ranked search (relevance_limit) can miss it.
EVIDENCE_FILTER = (
    'systematic[sb] OR "meta-analysis"[pt] OR "randomized controlled trial"[pt] OR '
    'guideline[pt] OR "practice guideline"[pt] OR "systematic review"[tiab] OR '
    '"meta-analysis"[tiab] OR randomized[tiab] OR randomised[tiab]'
)
Progress = Callable[[str, int, int], None]


MISSING_RETRIES = 2  # EFetch asked again this many times for records a response left out


@dataclass
class ClaimRefresh:
    claim_id: str
    searches: int = 0
    hits: int = 0
    fetched: int = 0
    new_links: int = 0
    #: the watermark stayed where it was: a hit PubMed did not send is still to be stored
    watermark_held: bool = False


@dataclass
class RefreshSummary:
    run_id: int | None = None
    claims_searched: int = 0
    new_articles: int = 0
    changed_articles: int = 0
    retracted: list[str] = field(default_factory=list)
    expressions_of_concern: list[str] = field(default_factory=list)
    errata: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    new_links: int = 0
    requests: int = 0
    retries: int = 0
    errors: list[str] = field(default_factory=list)
    #: PMIDs asked of EFetch that never came back (after retries); searched again next run
    missing: list[str] = field(default_factory=list)
    claims: list[ClaimRefresh] = field(default_factory=list)
    regraded: list[str] = field(default_factory=list)

    @property
    def evidence_changed(self) -> bool:
        return bool(self.new_articles or self.changed_articles or self.new_links or self.deleted)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["evidence_changed"] = self.evidence_changed
        return d


class _Refresher:
    def __init__(
        self,
        library: ClaimsLibrary,
        ledger: Ledger,
        client: EutilsClient,
        *,
        today: date,
        actor: str,
        summary: RefreshSummary,
    ) -> None:
        self.library = library
        self.ledger = ledger
        self.client = client
        self.today = today
        self.actor = actor
        self.summary = summary
        self.fetched_this_run: set[str] = set()
        self.affected_claims: set[str] = set()
        self.missing: set[str] = set()  # asked of EFetch, never sent

    def _start_run(self) -> int:
        """The run row is written with the first commit, so a run that fails before writing
        anything leaves no trace at all (callers hold the transaction)."""
        if self.summary.run_id is None:
            self.summary.run_id = self.ledger.begin_run("refresh", self.actor)
        return self.summary.run_id

    # --- network (no writes) -----------------------------------------------------------------
    def _fetch(self, pmids: list[str]) -> list[tuple[FetchedBatch, list[Article]]]:
        """EFetch the PMIDs and check each response against what was asked: a well-formed
        response can still leave records out. Missing ones are asked for again (up to
        MISSING_RETRIES times); those still missing are reported in ``summary.missing``."""
        out: list[tuple[FetchedBatch, list[Article]]] = []
        wanted = list(dict.fromkeys(pmids))
        for _attempt in range(1 + MISSING_RETRIES):
            if not wanted:
                break
            got: set[str] = set()
            for batch in self.client.fetch_articles_xml(wanted):
                try:
                    records = list(iter_articles(io.BytesIO(batch.body)))
                except ParseError as ex:
                    raise PubMedError(f"PubMed sent XML that does not parse: {ex}") from None
                asked = set(batch.requested)
                records = [r for r in records if r.pmid in asked]  # nothing we did not ask for
                got.update(r.pmid for r in records)
                out.append((batch, records))
            wanted = [p for p in wanted if p not in got]
        self.missing.update(wanted)
        self.summary.missing.extend(p for p in wanted if p not in self.summary.missing)
        return out

    # --- writes (caller holds the transaction) ------------------------------------------------
    def _store_batches(
        self, batches: list[tuple[FetchedBatch, list[Article]]], run_id: int
    ) -> list[ArticleChange]:
        changes = []
        for batch, records in batches:
            rid = self.ledger.store_response(
                "efetch", {"db": "pubmed", "id": ",".join(batch.requested)}, batch.body, run_id
            )
            for rec in records:
                change = self.ledger.upsert_article(rec, rid, self.actor)
                changes.append(change)
                self._count(change, rec)
        return changes

    def _count(self, change: ArticleChange, rec: Article) -> None:
        s = self.summary
        if change.status == "new":
            s.new_articles += 1
        elif change.status == "changed":
            s.changed_articles += 1
        if change.became_deleted:
            s.deleted.append(rec.pmid)
        flags = set(change.new_flags)
        if change.became_retracted or (change.status == "changed" and "retracted" in flags):
            s.retracted.append(rec.pmid)
        if "expression_of_concern" in flags and change.status == "changed":
            s.expressions_of_concern.append(rec.pmid)
        if "erratum" in flags and change.status == "changed":
            s.errata.append(rec.pmid)
        if change.status != "unchanged":
            self.affected_claims.update(self.ledger.claims_linking([rec.pmid]))

    # --- stages: plan (network only) then commit (ledger only) -------------------------------
    def plan_changes(self, since: date) -> list[tuple[FetchedBatch, list[Article]]]:
        """EPost the stored PMIDs, ask which were modified since ``since`` (mdat), refetch them."""
        stored = self.ledger.linked_pmids()
        if not stored:
            return []
        changed: list[str] = []
        for start in range(0, len(stored), 10000):
            webenv, key = self.client.epost(stored[start : start + 10000])
            _, ids = self.client.search_ids(
                f"#{key}", datetype="mdat", mindate=since, maxdate=self.today, webenv=webenv
            )
            changed.extend(ids)
        batches = self._fetch(changed) if changed else []
        self.fetched_this_run.update(changed)
        return batches

    def commit_changes(self, batches: list[tuple[FetchedBatch, list[Article]]]) -> None:
        if not batches:
            return
        with self.ledger.transaction():
            self._store_batches(batches, self._start_run())

    def plan_claim(self, claim: Claim, full: bool) -> _ClaimPlan:
        """Search and fetch for one claim; nothing is written."""
        settings = self.library.settings
        wm = None if full else self.ledger.watermark(claim)
        q = claim.query
        evidence_term = f"({q}) AND ({EVIDENCE_FILTER})"
        found: list[tuple[str, str, SearchResult, list[str], dict[str, str | None]]] = []
        if wm is None:
            res, ids = self.client.search_ids(evidence_term, datetype="pdat")
            found.append(("evidence", evidence_term, res, ids, {"datetype": "pdat"}))
            rel = self.client.esearch(q, retmax=settings.relevance_limit, sort="relevance")
            found.append(("relevance", q, rel, list(rel.ids), {"sort": "relevance"}))
        else:
            lo = wm - timedelta(days=settings.overlap_days)
            window: dict[str, str | None] = {
                "datetype": "mdat",
                "mindate": lo.isoformat(),
                "maxdate": self.today.isoformat(),
            }
            upd = self.client.esearch(
                q,
                retmax=settings.relevance_limit,
                sort="relevance",
                datetype="mdat",
                mindate=lo.strftime("%Y/%m/%d"),
                maxdate=self.today.strftime("%Y/%m/%d"),
            )
            if upd.count > settings.relevance_limit:
                res, ids = self.client.search_ids(
                    evidence_term, datetype="mdat", mindate=lo, maxdate=self.today
                )
                found.append(("evidence-update", evidence_term, res, ids, window))
            found.append(("update", q, upd, list(upd.ids), {**window, "sort": "relevance"}))
        hits = list(dict.fromkeys(p for *_, ids, _w in found for p in ids))
        known = self.ledger.known_pmids(hits)
        to_fetch = [p for p in hits if p not in known and p not in self.fetched_this_run]
        self.fetched_this_run.update(to_fetch)  # each PMID is fetched once, for its first claim
        return _ClaimPlan(found, hits, to_fetch, [])

    def fetch_planned(self, plans: list[_ClaimPlan]) -> None:
        """Fetch every claim's new records together (EPost + batched EFetch), then hand each
        claim the records it is first to need."""
        wanted = [p for plan in plans for p in plan.to_fetch]
        if not wanted:
            return
        owner = {p: i for i, plan in enumerate(plans) for p in plan.to_fetch}
        for batch, records in self._fetch(wanted):
            per_plan: dict[int, list[Article]] = {}
            for rec in records:
                if rec.pmid in owner:
                    per_plan.setdefault(owner[rec.pmid], []).append(rec)
            for i, recs in per_plan.items():
                plans[i].batches.append((batch, recs))

    def commit_claim(self, claim: Claim, plan: _ClaimPlan) -> ClaimRefresh:
        """One transaction: the claim's searches, new records, links and watermark."""
        result = ClaimRefresh(
            claim.id, searches=len(plan.found), hits=len(plan.hits), fetched=len(plan.to_fetch)
        )
        with self.ledger.transaction():
            run_id = self._start_run()
            if self.ledger.ensure_claim_version(claim, self.actor):
                self.affected_claims.add(claim.id)
            for stage, term, res, ids, extra in plan.found:
                self.ledger.record_search(
                    run_id=run_id,
                    claim=claim,
                    stage=stage,
                    term=term,
                    count=res.count,
                    ids=ids,
                    query_translation=res.query_translation,
                    datetype=extra.get("datetype"),
                    mindate=extra.get("mindate"),
                    maxdate=extra.get("maxdate"),
                    sort=extra.get("sort"),
                    phrases_not_found=res.phrases_not_found,
                    actor=self.actor,
                )
            self._store_batches(plan.batches, run_id)
            stored = self.ledger.known_pmids(plan.hits)
            for p in plan.hits:
                if p in stored and self.ledger.link(
                    claim.id, p, LinkOrigin.SEARCH, run_id, self.actor
                ):
                    result.new_links += 1
            # The watermark never moves past a record not stored: a hit EFetch left out, or a
            # linked record whose change could not be fetched, is searched for again next run.
            unstored = any(p not in stored for p in plan.hits)
            if unstored or claim.id in self.ledger.claims_linking(self.missing):
                result.watermark_held = True
            else:
                self.ledger.set_watermark(claim, self.today, run_id, self.actor)
        if result.new_links:
            self.affected_claims.add(claim.id)
        self.summary.new_links += result.new_links
        return result


@dataclass
class _ClaimPlan:
    found: list[tuple[str, str, SearchResult, list[str], dict[str, str | None]]]
    hits: list[str]
    to_fetch: list[str]
    batches: list[tuple[FetchedBatch, list[Article]]]


CLAIMS_PER_STEP = 10  # claims searched, fetched (in shared EFetch batches) and committed together


def refresh(
    library: ClaimsLibrary,
    ledger: Ledger,
    client: EutilsClient,
    *,
    claim_ids: Iterable[str] = (),
    full: bool = False,
    today: date | None = None,
    actor: str | None = None,
    progress: Progress | None = None,
    grade: bool = True,
) -> RefreshSummary:
    """Refresh the evidence for the selected claims (all by default), then re-grade the claims
    whose evidence changed and any claim left ungraded. Caller holds the lock.

    Claims are searched, fetched and committed a step of CLAIMS_PER_STEP at a time, each claim
    in one transaction with its watermark: when PubMed fails or the user presses Ctrl-C, the
    claims already committed stay (and are graded now, or by the next run), the run is recorded
    as failed or interrupted with the error's class, and no claim is ever half-written.
    """
    claims = library.select(claim_ids)
    who = declared_actor(actor)
    repaired: list[str] = []
    if _last_run_unfinished(ledger, who) and grade:
        # a killed, failed or interrupted run may have stored evidence it never graded
        repaired = grade_claims(library, ledger, None, actor=who)
    summary = RefreshSummary()
    r = _Refresher(library, ledger, client, today=today or date.today(), actor=who, summary=summary)
    try:
        _run_steps(r, claims, full, progress)
    except (PubMedError, KeyboardInterrupt) as ex:
        status = "interrupted" if isinstance(ex, KeyboardInterrupt) else "failed"
        summary.errors.append(f"{type(ex).__name__}: {ex}" if str(ex) else type(ex).__name__)
        if grade and status == "failed":  # grading is local: what was committed is graded now
            summary.regraded = _grade_changed(r, [])
        _record_failure(r, status, ex)
        raise
    if grade:
        # grading: what this run changed, the selected claims not graded yet, and (above)
        # everything after an unfinished run
        regraded = set(repaired) | set(_grade_changed(r, claims))
        summary.regraded = [c.id for c in library.claims if c.id in regraded]
    _finish(ledger, summary, client, "ok", who)
    return summary


def _run_steps(r: _Refresher, claims: list[Claim], full: bool, progress: Progress | None) -> None:
    """Changed records first, then the claims a step at a time: plan (network), then commit."""
    marks = [wm for c in claims if not full and (wm := r.ledger.watermark(c)) is not None]
    overlap = timedelta(days=r.library.settings.overlap_days)
    r.commit_changes(r.plan_changes(min(marks) - overlap) if marks else [])
    for first in range(0, len(claims), CLAIMS_PER_STEP):
        step = claims[first : first + CLAIMS_PER_STEP]
        plans: list[tuple[Claim, _ClaimPlan]] = []
        try:
            for i, claim in enumerate(step, start=first):
                if progress:
                    progress(claim.id, i, len(claims))
                plans.append((claim, r.plan_claim(claim, full)))
        except PubMedError:
            _salvage(r, plans)  # the claims searched before the failure, if PubMed still answers
            raise
        r.fetch_planned([plan for _, plan in plans])
        for claim, plan in plans:
            r.summary.claims.append(r.commit_claim(claim, plan))
            r.summary.claims_searched += 1
    if progress:
        progress("", len(claims), len(claims))


def _salvage(r: _Refresher, plans: list[tuple[Claim, _ClaimPlan]]) -> None:
    """Commit the claims whose searches finished before PubMed failed, when their records can
    still be fetched; otherwise they are simply searched again next run."""
    if not plans:
        return
    try:
        r.fetch_planned([plan for _, plan in plans])
    except PubMedError:
        return
    for claim, plan in plans:
        r.summary.claims.append(r.commit_claim(claim, plan))
        r.summary.claims_searched += 1


def _record_failure(r: _Refresher, status: str, ex: BaseException) -> None:
    """A failed or interrupted run leaves a record: its run row, status and error class."""
    s = r.summary
    s.requests, s.retries = r.client.stats.requests, r.client.stats.retries
    with r.ledger.transaction():
        run_id = r._start_run()
        d = s.to_dict()
        d.pop("claims")
        d["error_class"] = type(ex).__name__
        r.ledger.end_run(run_id, status, d, r.actor)


def _last_run_unfinished(ledger: Ledger, who: str) -> bool:
    """Runs a killed process left 'running' are marked interrupted; was the last refresh or
    import run anything but ok?"""
    if ledger.mark_interrupted_runs(who):
        return True
    return ledger.last_run_status(("refresh", "import")) not in (None, "ok")


def _grade_changed(r: _Refresher, claims: list[Claim]) -> list[str]:
    """Grade the claims whose evidence this run changed (any claim), and the selected claims
    whose current version has no grade yet; returns those whose grade changed."""
    selected = {c.id for c in claims}
    ids = [
        c.id
        for c in r.library.claims
        if c.id in r.affected_claims or (c.id in selected and _ungraded(r.ledger, c))
    ]
    return grade_claims(r.library, r.ledger, ids, actor=r.actor) if ids else []


def _ungraded(ledger: Ledger, claim: Claim) -> bool:
    return ledger.current_grade(claim.id, claim.version) is None


def _finish(
    ledger: Ledger, summary: RefreshSummary, client: EutilsClient, status: str, who: str
) -> None:
    summary.requests = client.stats.requests
    summary.retries = client.stats.retries
    if summary.run_id is None:
        return  # nothing was written: the ledger is exactly as it was
    d = summary.to_dict()
    d.pop("claims")
    ledger.finish_run(summary.run_id, status, d, who)


@dataclass
class ImportSummary:
    file: str
    format: str
    claim_id: str
    records: int = 0
    new_articles: int = 0
    changed_articles: int = 0
    new_links: int = 0
    deleted: list[str] = field(default_factory=list)
    #: PMIDs refreshed from PubMed that the file changed: a new version each, diff audited
    revised_refreshed: list[str] = field(default_factory=list)
    regraded: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ParsedImport:
    """An export file read and parsed whole (format, records, raw bytes), before any lock."""

    path: Path
    format: str
    records: list[Article]
    raw: bytes


def parse_import(path: str | Path) -> ParsedImport:
    """Read and parse a PubMed XML or MEDLINE (.nbib) export completely (size-capped, numeric
    PMIDs only), so a malformed file changes nothing and parsing never holds the ledger lock."""
    p = Path(path)
    try:
        if p.stat().st_size > max_input_bytes():
            raise too_large(p, p.stat().st_size)
        fmt = sniff_format(p)
        records = list(iter_articles(p) if fmt == "xml" else iter_medline(p))
        return ParsedImport(p, fmt, records, p.read_bytes())
    except ParseError as ex:
        raise InputError(str(ex)) from None
    except OSError as ex:
        raise InputError(f"cannot read {p}: {ex.strerror or ex}") from None


def _import_record(
    ledger: Ledger,
    claim: Claim,
    rec: Article,
    rid: int,
    run_id: int,
    who: str,
    summary: ImportSummary,
) -> bool:
    """Store and link one record of an import (the caller holds the transaction); True when the
    stored record was added, changed or deleted."""
    # A record refreshed from PubMed is never rewritten silently: the file's record is a new
    # version (the old one kept), its field-by-field difference is in the audit log, and the
    # user is told which PMIDs (summary.revised_refreshed, stderr).
    from_pubmed = ledger.refreshed_from_pubmed(rec.pmid)
    change = ledger.upsert_article(rec, rid, who)
    if from_pubmed and change.status == "changed":
        summary.revised_refreshed.append(rec.pmid)
    if change.status == "new":
        summary.new_articles += 1
    elif change.status == "changed":
        summary.changed_articles += 1
    if change.became_deleted:
        summary.deleted.append(rec.pmid)
    if rec.kind != "deleted" and ledger.link(claim.id, rec.pmid, LinkOrigin.IMPORT, run_id, who):
        summary.new_links += 1
    return change.status != "unchanged"


def import_file(
    path: str | Path,
    claim: Claim,
    ledger: Ledger,
    *,
    actor: str | None = None,
    library: ClaimsLibrary | None = None,
    parsed: ParsedImport | None = None,
) -> ImportSummary:
    """File the records of a PubMed XML or MEDLINE (.nbib) export under a claim (origin import),
    then grade every claim linked to an article it changed (when the library is given).

    The whole file is parsed before anything is written (``parsed``, if the caller did it before
    taking the lock), so a malformed file changes nothing.
    """
    who = declared_actor(actor)
    parsed = parsed or parse_import(path)
    p, fmt, records, raw = parsed.path, parsed.format, parsed.records, parsed.raw
    summary = ImportSummary(file=str(p), format=fmt, claim_id=claim.id, records=len(records))
    changed: list[str] = []  # PMIDs whose stored record this import added, changed or deleted
    with ledger.transaction():  # the run ends after grading: a kill between leaves it running
        run_id = ledger.begin_run("import", who, file=p.name)
        ledger.ensure_claim_version(claim, who)
        rid = ledger.store_response("import", {"file": p.name, "format": fmt}, raw, run_id)
        for rec in records:
            if _import_record(ledger, claim, rec, rid, run_id, who, summary):
                changed.append(rec.pmid)
    if library is not None:
        # the claim it was filed under, and every other claim linked to an article it changed
        linked = ledger.claims_linking(changed) if changed else set()
        ids = [c.id for c in library.claims if c.id == claim.id or c.id in linked]
        summary.regraded = grade_claims(library, ledger, ids, actor=who)
    details = summary.to_dict()
    details.pop("regraded")
    ledger.finish_run(run_id, "ok", details, who)
    return summary
