"""The evidence ledger (evidence/ledger.db): the only SQL in claimledger, via sqlite-utils.

Every write goes through a method here that also appends a hash-chained audit entry in the same
transaction. Assessments, grades, approvals and the audit log are append-only (triggers refuse
UPDATE and DELETE). Raw E-utilities responses are kept (compressed) so any article can be
re-parsed offline.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

import sqlite_utils
from sqlite_utils import Migrations
from sqlite_utils.db import Table

from claimledger.errors import AuditChainError, InputError
from claimledger.ledger.audit import GENESIS, entry_hash, verify_chain
from claimledger.ledger.failures import explain
from claimledger.library.claims import Claim
from claimledger.limits import busy_timeout
from claimledger.model import (
    Approval,
    Assessment,
    DesignLevel,
    GradeLabel,
    GradeRecord,
    LinkOrigin,
    StanceLabel,
    TraceStep,
)
from claimledger.pubmed.records import Article

__all__ = ["ArticleChange", "Ledger", "LinkedArticle", "SearchRecord", "now_iso", "open_ledger"]

migrations = Migrations("claimledger")
_APPEND_ONLY = ("assessments", "grades", "approvals", "audit_log")


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    db.execute(
        """CREATE TABLE claim_versions (
            claim_id TEXT NOT NULL, version TEXT NOT NULL, statement TEXT NOT NULL,
            query TEXT NOT NULL, topic TEXT, kind TEXT, polarity TEXT, data TEXT,
            first_seen TEXT NOT NULL, PRIMARY KEY (claim_id, version))"""
    )
    db.execute(
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY, kind TEXT NOT NULL, started_at TEXT NOT NULL,
            finished_at TEXT, status TEXT NOT NULL, actor TEXT, summary TEXT)"""
    )
    db.execute(
        """CREATE TABLE responses (
            id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, endpoint TEXT NOT NULL,
            params TEXT, fetched_at TEXT NOT NULL, run_id INTEGER REFERENCES runs(id),
            encoding TEXT NOT NULL DEFAULT 'gzip', body BLOB NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE searches (
            id INTEGER PRIMARY KEY, run_id INTEGER REFERENCES runs(id), claim_id TEXT NOT NULL,
            claim_version TEXT NOT NULL, stage TEXT NOT NULL, term TEXT NOT NULL,
            query_translation TEXT, count INTEGER NOT NULL, datetype TEXT, mindate TEXT,
            maxdate TEXT, sort TEXT, retrieved INTEGER NOT NULL, phrases_not_found TEXT,
            searched_at TEXT NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE search_hits (
            search_id INTEGER NOT NULL REFERENCES searches(id), pmid TEXT NOT NULL,
            rank INTEGER NOT NULL, PRIMARY KEY (search_id, pmid))"""
    )
    db.execute(
        """CREATE TABLE articles (
            pmid TEXT PRIMARY KEY, version INTEGER NOT NULL DEFAULT 1, kind TEXT NOT NULL,
            title TEXT, abstract TEXT, journal TEXT, year INTEGER, status TEXT,
            publication_types TEXT, retracted INTEGER NOT NULL DEFAULT 0,
            expression_of_concern INTEGER NOT NULL DEFAULT 0, erratum INTEGER NOT NULL DEFAULT 0,
            deleted INTEGER NOT NULL DEFAULT 0, content_hash TEXT NOT NULL, data TEXT NOT NULL,
            response_id INTEGER REFERENCES responses(id), first_seen TEXT NOT NULL,
            updated_at TEXT NOT NULL)"""
    )
    db.table("articles").enable_fts(["title", "abstract"], create_triggers=True, tokenize="porter")
    db.execute(
        """CREATE TABLE links (
            claim_id TEXT NOT NULL, pmid TEXT NOT NULL REFERENCES articles(pmid),
            origin TEXT NOT NULL CHECK (origin IN ('search', 'import', 'manual')),
            run_id INTEGER REFERENCES runs(id), linked_at TEXT NOT NULL,
            PRIMARY KEY (claim_id, pmid))"""
    )
    db.execute(
        """CREATE TABLE watermarks (
            claim_id TEXT PRIMARY KEY, claim_version TEXT NOT NULL, refreshed_on TEXT NOT NULL,
            run_id INTEGER REFERENCES runs(id))"""
    )
    db.execute(
        """CREATE TABLE assessments (
            id INTEGER PRIMARY KEY, claim_id TEXT NOT NULL, claim_version TEXT NOT NULL,
            pmid TEXT NOT NULL, method TEXT NOT NULL, design_level TEXT, population TEXT,
            sample_size INTEGER, stance TEXT NOT NULL, confidence REAL, anchor_start INTEGER,
            anchor_end INTEGER, anchor_text TEXT, rationale TEXT, article_hash TEXT,
            created_at TEXT NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE grades (
            id INTEGER PRIMARY KEY, claim_id TEXT NOT NULL, claim_version TEXT NOT NULL,
            grade TEXT NOT NULL, provisional INTEGER NOT NULL, needs_non_pubmed_source INTEGER
            NOT NULL DEFAULT 0, rule_trace TEXT NOT NULL, rubric_version TEXT NOT NULL,
            evidence_hash TEXT NOT NULL, run_id INTEGER, created_at TEXT NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE approvals (
            id INTEGER PRIMARY KEY, claim_id TEXT NOT NULL, claim_version TEXT NOT NULL,
            evidence_hash TEXT NOT NULL, approved_by TEXT NOT NULL, note TEXT,
            created_at TEXT NOT NULL)"""
    )
    db.execute(
        """CREATE TABLE audit_log (
            seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
            subject TEXT NOT NULL, details TEXT NOT NULL, prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL)"""
    )
    for name, cols in (
        ("searches", "claim_id"),
        ("links", "pmid"),
        ("assessments", "claim_id, pmid"),
        ("grades", "claim_id"),
        ("approvals", "claim_id"),
    ):
        db.execute(f"CREATE INDEX idx_{name}_{cols.split(',')[0]} ON {name} ({cols})")
    for table in _APPEND_ONLY:
        for op in ("UPDATE", "DELETE"):
            db.execute(
                f"""CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""
            )


@migrations()
def m002_current_grades_view(db: sqlite_utils.Database) -> None:
    """For Datasette: each claim's current grade, by the rule of ``Ledger.current_grade`` (the
    latest grade row for the claim's current version; here: the latest version the ledger saw)."""
    db.execute(
        """CREATE VIEW current_grades AS
        SELECT g.* FROM grades g
        WHERE g.id = (
            SELECT max(g2.id) FROM grades g2
            WHERE g2.claim_id = g.claim_id AND g2.claim_version = (
                SELECT cv.version FROM claim_versions cv WHERE cv.claim_id = g.claim_id
                ORDER BY cv.rowid DESC LIMIT 1))"""
    )


@dataclass(frozen=True)
class ArticleChange:
    """What storing one article did: new, changed (and how), or unchanged."""

    pmid: str
    status: str  # new | changed | unchanged
    became_retracted: bool = False
    became_deleted: bool = False
    new_flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class LinkedArticle:
    """An article linked to a claim, as the ledger holds it."""

    article: Article
    origin: LinkOrigin
    content_hash: str
    deleted: bool


@dataclass(frozen=True)
class SearchRecord:
    """One recorded PubMed search for a claim (what was asked and what PubMed made of it)."""

    stage: str
    term: str
    query_translation: str | None
    count: int
    retrieved: int
    searched_at: str
    datetype: str | None = None
    mindate: str | None = None
    maxdate: str | None = None
    sort: str | None = None


def _content_hash(article: Article) -> str:
    return hashlib.sha256(
        json.dumps(article.to_dict(), sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


class Ledger:
    """The SQLite ledger. Open with ``open_ledger``."""

    def __init__(self, db: sqlite_utils.Database, path: str) -> None:
        self.db = db
        self.path = path

    def close(self) -> None:
        """Close the connection (the session does this when its command ends)."""
        self.db.conn.close()

    def _t(self, name: str) -> Table:
        return self.db.table(name)

    def _insert(self, name: str, row: dict[str, Any]) -> int:
        return int(cast(int, self._t(name).insert(row).last_pk))

    # --- transactions and audit ---------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit: everything inside is committed together or not at all.

        BEGIN IMMEDIATE takes the write lock up front, waiting (busy timeout) while another
        process writes: a deferred transaction that read first would fail at once with
        "database is locked" when it tried to write, and two writers could both extend the
        audit chain from the same last entry. Nested units are savepoints.
        """
        conn = self.db.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.rollback()
            raise
        conn.commit()

    def audit(self, actor: str, action: str, subject: str, **details: Any) -> None:
        """Append one hash-chained entry (callers run this inside their write's transaction)."""
        last = self.db.execute(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        entry = {
            "seq": seq,
            "at": now_iso(),
            "actor": actor,
            "action": action,
            "subject": subject,
            "details": json.dumps(details, sort_keys=True, ensure_ascii=False, default=str),
            "prev_hash": prev,
        }
        entry["hash"] = entry_hash(entry)
        self._t("audit_log").insert(entry)

    def audit_entries(self, claim_id: str | None = None) -> list[dict[str, Any]]:
        if claim_id is None:
            return list(self.db.query("SELECT * FROM audit_log ORDER BY seq"))
        return list(
            self.db.query(
                "SELECT * FROM audit_log WHERE subject = ? OR subject LIKE ? ORDER BY seq",
                [f"claim:{claim_id}", f"claim:{claim_id}/%"],
            )
        )

    def verify_audit(self) -> int:
        """Recompute the chain; raise AuditChainError naming the first broken entry."""
        n, brk = verify_chain(self.db.query("SELECT * FROM audit_log ORDER BY seq"))
        if brk is not None:
            raise AuditChainError(
                f"audit chain broken at entry {brk.seq}: {brk.reason}; "
                f"restore {self.path} from a backup and investigate"
            )
        return n

    # --- runs ----------------------------------------------------------------------------------
    def begin_run(self, kind: str, actor: str, **details: Any) -> int:
        """Record a run as started (inside the caller's transaction)."""
        row_id = self._insert(
            "runs", {"kind": kind, "started_at": now_iso(), "status": "running", "actor": actor}
        )
        self.audit(actor, "run.start", f"run:{row_id}", kind=kind, **details)
        return row_id

    def end_run(self, run_id: int, status: str, summary: dict[str, Any], actor: str) -> None:
        """Record a run's outcome (inside the caller's transaction)."""
        self._t("runs").update(
            run_id,
            {"finished_at": now_iso(), "status": status, "summary": json.dumps(summary)},
        )
        self.audit(actor, f"run.{status}", f"run:{run_id}", **summary)

    def finish_run(self, run_id: int, status: str, summary: dict[str, Any], actor: str) -> None:
        with self.transaction():
            self.end_run(run_id, status, summary, actor)

    def last_run_status(self, kinds: tuple[str, ...]) -> str | None:
        """Status of the latest run of these kinds (None when there was none)."""
        marks = ",".join("?" for _ in kinds)
        row = self.db.execute(
            f"SELECT status FROM runs WHERE kind IN ({marks}) ORDER BY id DESC LIMIT 1",
            list(kinds),
        ).fetchone()
        return None if row is None else str(row[0])

    def mark_interrupted_runs(self, actor: str) -> list[int]:
        """Runs left 'running' by a killed process are marked interrupted (their work is kept)."""
        ids = [r["id"] for r in self.db.query("SELECT id FROM runs WHERE status = 'running'")]
        if ids:
            with self.transaction():
                for rid in ids:
                    self._t("runs").update(rid, {"status": "interrupted"})
                    self.audit(actor, "run.interrupted", f"run:{rid}")
        return ids

    # --- claims --------------------------------------------------------------------------------
    def ensure_claim_version(self, claim: Claim, actor: str) -> bool:
        """Record the claim's current version; True when it is new (audited)."""
        key = (claim.id, claim.version)
        if self.db.execute(
            "SELECT 1 FROM claim_versions WHERE claim_id = ? AND version = ?", key
        ).fetchone():
            return False
        self._t("claim_versions").insert(
            {
                "claim_id": claim.id,
                "version": claim.version,
                "statement": claim.statement,
                "query": claim.query,
                "topic": claim.topic,
                "kind": claim.kind,
                "polarity": claim.polarity,
                "data": json.dumps(claim.to_dict(), ensure_ascii=False),
                "first_seen": now_iso(),
            }
        )
        self.audit(actor, "claim.version", f"claim:{claim.id}", version=claim.version)
        return True

    # --- watermarks ----------------------------------------------------------------------------
    def watermark(self, claim: Claim) -> date | None:
        """The day of the claim's last committed refresh, if it was of this claim version."""
        row = self.db.execute(
            "SELECT refreshed_on, claim_version FROM watermarks WHERE claim_id = ?", [claim.id]
        ).fetchone()
        if row is None or row[1] != claim.version:
            return None
        return date.fromisoformat(row[0])

    def last_refresh(self, claim_id: str) -> str | None:
        row = self.db.execute(
            "SELECT refreshed_on FROM watermarks WHERE claim_id = ?", [claim_id]
        ).fetchone()
        return str(row[0]) if row else None

    def set_watermark(self, claim: Claim, day: date, run_id: int, actor: str) -> None:
        self._t("watermarks").upsert(
            {
                "claim_id": claim.id,
                "claim_version": claim.version,
                "refreshed_on": day.isoformat(),
                "run_id": run_id,
            },
            pk="claim_id",
        )
        self.audit(actor, "claim.watermark", f"claim:{claim.id}", refreshed_on=day.isoformat())

    # --- responses, searches -------------------------------------------------------------------
    def store_response(
        self, endpoint: str, params: dict[str, str], body: bytes, run_id: int | None
    ) -> int:
        """Keep a raw response (without secrets: callers pass params minus email/api_key)."""
        digest = hashlib.sha256(body).hexdigest()
        row = self.db.execute("SELECT id FROM responses WHERE sha256 = ?", [digest]).fetchone()
        if row:
            return int(row[0])
        clean = {k: v for k, v in params.items() if k not in ("email", "api_key", "tool")}
        rid = self._insert(
            "responses",
            {
                "sha256": digest,
                "endpoint": endpoint,
                "params": json.dumps(clean, sort_keys=True),
                "fetched_at": now_iso(),
                "run_id": run_id,
                "encoding": "gzip",
                "body": gzip.compress(body, mtime=0),
            },
        )
        return rid

    def response_body(self, response_id: int) -> bytes:
        row = self.db.execute("SELECT body FROM responses WHERE id = ?", [response_id]).fetchone()
        if row is None:
            raise InputError(f"no stored response {response_id}")
        return gzip.decompress(row[0])

    def record_search(
        self,
        *,
        run_id: int,
        claim: Claim,
        stage: str,
        term: str,
        count: int,
        ids: list[str],
        query_translation: str | None,
        datetype: str | None,
        mindate: str | None,
        maxdate: str | None,
        sort: str | None,
        phrases_not_found: Iterable[str],
        actor: str,
    ) -> int:
        sid = self._insert(
            "searches",
            {
                "run_id": run_id,
                "claim_id": claim.id,
                "claim_version": claim.version,
                "stage": stage,
                "term": term,
                "query_translation": query_translation,
                "count": count,
                "datetype": datetype,
                "mindate": mindate,
                "maxdate": maxdate,
                "sort": sort,
                "retrieved": len(ids),
                "phrases_not_found": json.dumps(list(phrases_not_found)),
                "searched_at": now_iso(),
            },
        )
        self._t("search_hits").insert_all(
            ({"search_id": sid, "pmid": p, "rank": i} for i, p in enumerate(ids)),
            batch_size=500,
        )
        self.audit(
            actor,
            "search",
            f"claim:{claim.id}",
            stage=stage,
            count=count,
            retrieved=len(ids),
            search_id=sid,
        )
        return sid

    def searches(self, claim_id: str) -> list[SearchRecord]:
        return [
            SearchRecord(
                stage=r["stage"],
                term=r["term"],
                query_translation=r["query_translation"],
                count=r["count"],
                retrieved=r["retrieved"],
                searched_at=r["searched_at"],
                datetype=r["datetype"],
                mindate=r["mindate"],
                maxdate=r["maxdate"],
                sort=r["sort"],
            )
            for r in self.db.query(
                "SELECT * FROM searches WHERE claim_id = ? ORDER BY id", [claim_id]
            )
        ]

    # --- articles ------------------------------------------------------------------------------
    def upsert_article(
        self, article: Article, response_id: int | None, actor: str
    ) -> ArticleChange:
        """Insert or update one article by PMID; audit what changed."""
        old = self.db.execute(
            "SELECT content_hash, retracted, deleted, data FROM articles WHERE pmid = ?",
            [article.pmid],
        ).fetchone()
        now = now_iso()
        if article.kind == "deleted":
            if old is None:
                return ArticleChange(article.pmid, "unchanged")
            if old[2]:
                return ArticleChange(article.pmid, "unchanged")
            self._t("articles").update(article.pmid, {"deleted": 1, "updated_at": now})
            self.audit(actor, "article.deleted", f"article:{article.pmid}")
            return ArticleChange(article.pmid, "changed", became_deleted=True)
        h = _content_hash(article)
        if old is not None and old[0] == h and not old[2]:
            return ArticleChange(article.pmid, "unchanged")
        row = {
            "pmid": article.pmid,
            "version": article.version,
            "kind": article.kind,
            "title": article.title,
            "abstract": article.abstract,
            "journal": article.journal_abbrev or article.journal,
            "year": article.year,
            "status": article.status,
            "publication_types": json.dumps([p.name for p in article.publication_types]),
            "retracted": int(article.retracted),
            "expression_of_concern": int(article.expression_of_concern),
            "erratum": int(article.erratum),
            "deleted": 0,
            "content_hash": h,
            "data": json.dumps(article.to_dict(), ensure_ascii=False),
            "response_id": response_id,
            "updated_at": now,
        }
        if old is None:
            row["first_seen"] = now
            self._t("articles").insert(row)
            self.audit(actor, "article.new", f"article:{article.pmid}", flags=list(article.flags))
            return ArticleChange(article.pmid, "new", new_flags=article.flags)
        before = Article.from_dict(json.loads(old[3]))
        self._t("articles").update(article.pmid, row)
        new_flags = tuple(f for f in article.flags if f not in before.flags)
        self.audit(
            actor,
            "article.changed",
            f"article:{article.pmid}",
            new_flags=list(new_flags),
            status=[before.status, article.status],
        )
        return ArticleChange(
            article.pmid,
            "changed",
            became_retracted=article.retracted and not before.retracted,
            new_flags=new_flags,
        )

    def refreshed_difference(self, article: Article) -> dict[str, list[Any]] | None:
        """What an imported record would change in a record refreshed from PubMed (EFetch),
        field by field as [stored, imported]; None when the PMID is new, was itself imported,
        or the content is the same. Import keeps the refreshed record and audits this."""
        row = self.db.execute(
            "SELECT a.content_hash, a.data, r.endpoint FROM articles a "
            "LEFT JOIN responses r ON r.id = a.response_id WHERE a.pmid = ?",
            [article.pmid],
        ).fetchone()
        if row is None or row[2] != "efetch" or article.kind == "deleted":
            return None
        if row[0] == _content_hash(article):
            return None
        stored = json.loads(row[1])
        imported = article.to_dict()
        return {
            k: [stored.get(k), imported.get(k)]
            for k in sorted(set(stored) | set(imported))
            if stored.get(k) != imported.get(k)
        }

    def article(self, pmid: str) -> Article | None:
        row = self.db.execute("SELECT data FROM articles WHERE pmid = ?", [pmid]).fetchone()
        return Article.from_dict(json.loads(row[0])) if row else None

    def known_pmids(self, pmids: Iterable[str]) -> set[str]:
        ids = list(pmids)
        found: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0]
                for r in self.db.execute(
                    f"SELECT pmid FROM articles WHERE pmid IN ({marks})", chunk
                )
            )
        return found

    def linked_pmids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT DISTINCT pmid FROM links ORDER BY pmid")]

    def link(
        self, claim_id: str, pmid: str, origin: LinkOrigin, run_id: int | None, actor: str
    ) -> bool:
        """Link an article to a claim; True when the link is new (audited)."""
        if self.db.execute(
            "SELECT 1 FROM links WHERE claim_id = ? AND pmid = ?", [claim_id, pmid]
        ).fetchone():
            return False
        self._t("links").insert(
            {
                "claim_id": claim_id,
                "pmid": pmid,
                "origin": str(origin),
                "run_id": run_id,
                "linked_at": now_iso(),
            }
        )
        self.audit(actor, "link", f"claim:{claim_id}", pmid=pmid, origin=str(origin))
        return True

    def claim_articles(self, claim_id: str) -> list[LinkedArticle]:
        """Articles linked to a claim, newest first, with how they were linked."""
        return [
            LinkedArticle(
                Article.from_dict(json.loads(row["data"])),
                LinkOrigin(row["origin"]),
                row["content_hash"],
                bool(row["deleted"]),
            )
            for row in self.db.query(
                """SELECT a.data, a.content_hash, a.deleted, l.origin
                   FROM links l JOIN articles a ON a.pmid = l.pmid
                   WHERE l.claim_id = ? ORDER BY a.year DESC, a.pmid""",
                [claim_id],
            )
        ]

    def claims_linking(self, pmids: Iterable[str]) -> set[str]:
        ids = list(pmids)
        out: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out.update(
                r[0]
                for r in self.db.execute(
                    f"SELECT DISTINCT claim_id FROM links WHERE pmid IN ({marks})", chunk
                )
            )
        return out

    # --- assessments, grades, approvals (append-only) -----------------------------------------
    def add_assessment(self, a: Assessment, actor: str) -> int:
        row = _row(a)
        aid = self._insert("assessments", row)
        self.audit(
            actor,
            "assessment",
            f"claim:{a.claim_id}",
            pmid=a.pmid,
            method=a.method,
            stance=str(a.stance),
            rationale=a.rationale,
        )
        return aid

    def assessments(self, claim_id: str, claim_version: str | None = None) -> list[Assessment]:
        sql = "SELECT * FROM assessments WHERE claim_id = ?"
        args: list[Any] = [claim_id]
        if claim_version:
            sql += " AND claim_version = ?"
            args.append(claim_version)
        return [_assessment(r) for r in self.db.query(sql + " ORDER BY id", args)]

    def add_grade(self, g: GradeRecord, actor: str) -> int:
        row = _row(g)
        del row["trace"]
        row["rule_trace"] = json.dumps([asdict(t) for t in g.trace])
        row["provisional"] = int(g.provisional)
        row["needs_non_pubmed_source"] = int(g.needs_non_pubmed_source)
        gid = self._insert("grades", row)
        self.audit(
            actor,
            "grade",
            f"claim:{g.claim_id}",
            grade=str(g.grade),
            provisional=g.provisional,
            evidence_hash=g.evidence_hash,
            rubric_version=g.rubric_version,
        )
        return gid

    def current_grade(self, claim_id: str, claim_version: str) -> GradeRecord | None:
        """THE grade of a claim: the latest grade row for its current version.

        None means "not graded yet" (never graded, or not since its statement or query changed).
        Every reading command uses this; none recomputes a grade. The `current_grades` view
        (Datasette) applies the same rule to the latest claim version the ledger has recorded.
        """
        row = self.db.execute(
            """SELECT id, claim_id, claim_version, grade, provisional, needs_non_pubmed_source,
                      rule_trace, rubric_version, evidence_hash, run_id, created_at
               FROM grades WHERE claim_id = ? AND claim_version = ?
               ORDER BY id DESC LIMIT 1""",
            [claim_id, claim_version],
        ).fetchone()
        if row is None:
            return None
        return GradeRecord(
            id=row[0],
            claim_id=row[1],
            claim_version=row[2],
            grade=GradeLabel(row[3]),
            provisional=bool(row[4]),
            needs_non_pubmed_source=bool(row[5]),
            trace=tuple(
                TraceStep(t["rule"], t["detail"], tuple(t.get("pmids", ())))
                for t in json.loads(row[6])
            ),
            rubric_version=row[7],
            evidence_hash=row[8],
            run_id=row[9],
            created_at=row[10],
        )

    def add_approval(self, a: Approval, actor: str) -> int:
        aid = self._insert("approvals", _row(a))
        self.audit(
            actor,
            "approval",
            f"claim:{a.claim_id}",
            claim_version=a.claim_version,
            evidence_hash=a.evidence_hash,
            note=a.note,
        )
        return aid

    def latest_approval(self, claim_id: str) -> Approval | None:
        rows = list(
            self.db.query(
                "SELECT * FROM approvals WHERE claim_id = ? ORDER BY id DESC LIMIT 1", [claim_id]
            )
        )
        return Approval(**rows[0]) if rows else None


def _row(record: Any) -> dict[str, Any]:
    """A record as a new table row: the ledger sets id and created_at."""
    row = {k: v for k, v in asdict(record).items() if k != "id"}
    row["created_at"] = now_iso()
    return row


def _assessment(r: dict[str, Any]) -> Assessment:
    return Assessment(
        **{
            **r,
            "design_level": DesignLevel(r["design_level"]) if r["design_level"] else None,
            "stance": StanceLabel(r["stance"]),
        }
    )


def open_ledger(path: str | Path, *, create: bool = True) -> Ledger:
    """Open (and migrate) the ledger; with ``create=False`` a missing file is an InputError."""
    p = Path(path)
    if not p.exists():
        if not create:
            raise InputError(f"no ledger at {p}; run `claimledger refresh` or `claimledger import`")
        p.parent.mkdir(parents=True, exist_ok=True)
    try:
        db = sqlite_utils.Database(sqlite3.connect(str(p), timeout=busy_timeout()))
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        migrations.apply(db)
    except sqlite3.Error as ex:
        raise explain(ex, str(p)) from None
    return Ledger(db, str(p))
