"""The evidence ledger (evidence/ledger.db): the only SQL in claimledger, via sqlite-utils.

Every write goes through a method here that also appends a hash-chained audit entry in the same
transaction, carrying the content hash of every row it wrote (``bind=``), so `audit verify` can
recompute each row of the BOUND_TABLES against the chain. Assessments, grades, approvals, article
versions and the audit log are append-only (triggers refuse UPDATE and DELETE). Raw E-utilities
responses are kept (compressed) so any article can be re-parsed offline.

A migration that adds a column to a bound table must make it nullable (NULL columns are left out
of row hashes, so existing rows keep theirs); a NOT NULL default would change every old row's
hash and `audit verify` would report them all as edited.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import re
import shlex
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

import sqlite_utils
from sqlite_utils import Migrations
from sqlite_utils.db import Table

from claimledger import __version__
from claimledger.errors import AuditChainError, InputError
from claimledger.ledger.audit import (
    GENESIS,
    Checkpoint,
    declared_actor,
    entry_hash,
    entry_mac,
    in_the_future,
    os_user,
    row_hash,
    verify_chain,
)
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

__all__ = [
    "BOUND_TABLES",
    "ArticleChange",
    "Ledger",
    "LinkedArticle",
    "SearchRecord",
    "VerifyResult",
    "now_iso",
    "open_ledger",
]

migrations = Migrations("claimledger")
_APPEND_ONLY = ("assessments", "grades", "approvals", "audit_log")
#: every table whose rows the audit chain binds, with the columns that identify a row
BOUND_TABLES: dict[str, tuple[str, ...]] = {
    "claim_versions": ("claim_id", "version"),
    "runs": ("id",),
    "responses": ("id",),
    "searches": ("id",),  # with its search_hits
    "articles": ("pmid",),
    "article_versions": ("id",),
    "links": ("claim_id", "pmid"),
    "watermarks": ("claim_id",),
    "assessments": ("id",),
    "grades": ("id",),
    "approvals": ("id",),
}
BINDING_MIGRATION = "m003_rows_bound_to_the_chain"


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


@migrations(name=BINDING_MIGRATION)
def m003_rows_bound(db: sqlite_utils.Database) -> None:
    """Keyed MACs, signature meaning, and article history (all new columns nullable, so rows
    written before keep their hashes)."""
    db.execute("ALTER TABLE audit_log ADD COLUMN mac TEXT")
    for col in (
        "meaning TEXT",
        "os_user TEXT",
        "grade TEXT",
        "provisional INTEGER",
        "acknowledged TEXT",
    ):
        db.execute(f"ALTER TABLE approvals ADD COLUMN {col}")
    db.execute(
        """CREATE TABLE article_versions (
            id INTEGER PRIMARY KEY, pmid TEXT NOT NULL, version_no INTEGER NOT NULL,
            content_hash TEXT NOT NULL, deleted INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL,
            response_id INTEGER REFERENCES responses(id), recorded_at TEXT NOT NULL,
            UNIQUE (pmid, version_no))"""
    )
    db.execute(
        """INSERT INTO article_versions
           (pmid, version_no, content_hash, deleted, data, response_id, recorded_at)
           SELECT pmid, 1, content_hash, deleted, data, response_id, updated_at FROM articles
           ORDER BY pmid"""
    )
    for op in ("UPDATE", "DELETE"):
        db.execute(
            f"""CREATE TRIGGER article_versions_no_{op.lower()} BEFORE {op} ON article_versions
            BEGIN SELECT RAISE(ABORT, 'article_versions is append-only'); END"""
        )


@migrations()
def m004_assessment_indirect(db: sqlite_utils.Database) -> None:
    """Indirectness as its own column of an assessment (nullable, so rows written before keep
    their hashes; for them the rationale text still carries it)."""
    db.execute("ALTER TABLE assessments ADD COLUMN indirect TEXT")


#: tables whose definitions are not ours to fix: FTS5's shadow tables (SQLite's) and the
#: migrations table (sqlite-utils'); they must exist, but their layout may change with versions
_NOT_OURS = ("articles_fts_", "_sqlite_migrations")


def _norm_sql(sql: str) -> str:
    """A definition without quoting style or layout (they vary with sqlite-utils versions)."""
    return " ".join(re.sub(r'[\[\]"`]', "", sql).split()).lower()


def _schema(db: sqlite_utils.Database) -> dict[tuple[str, str], str]:
    """(type, name) → normalised definition of every table, index, view and trigger."""
    return {
        (typ, name): "" if name.startswith(_NOT_OURS) else _norm_sql(sql or "")
        for typ, name, sql in db.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
    }


@cache
def _expected_schema() -> dict[tuple[str, str], str]:
    """The schema claimledger's migrations create."""
    mem = sqlite_utils.Database(memory=True)
    migrations.apply(mem)
    schema = _schema(mem)
    mem.close()
    return schema


def schema_problem(db: sqlite_utils.Database) -> str | None:
    """How the ledger's schema differs from claimledger's, if it does. Triggers, views, columns
    and tables bind no row but change what the rows mean (a trigger can rewrite a row as
    claimledger writes it, so the writer itself would bind the forged row)."""
    have, want = _schema(db), _expected_schema()
    for typ, name in sorted(want.keys() - have.keys()):
        return f"the {typ} {name} is missing"
    for typ, name in sorted(have.keys() - want.keys()):
        return f"the {typ} {name} was added outside claimledger"
    for typ, name in sorted(want):
        if have[(typ, name)] != want[(typ, name)]:
            return f"the {typ} {name} was changed outside claimledger"
    return None


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


def _article_row(article: Article, h: str, response_id: int | None, now: str) -> dict[str, Any]:
    return {
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


_SHOWN = 160  # characters of an old or new value quoted in an audit entry


def _short(v: Any) -> Any:
    """A value for the audit entry's change list: long text is cut (the full old and new values
    are kept in article_versions)."""
    text = v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True)
    if len(text) <= _SHOWN:
        return v
    return text[: _SHOWN - 1] + "…"


def _changes(old: dict[str, Any], new: dict[str, Any]) -> list[list[Any]]:
    """[field, old, new] for every top-level field of the article record that differs."""
    return [
        [k, _short(old.get(k)), _short(new.get(k))]
        for k in sorted(set(old) | set(new))
        if old.get(k) != new.get(k)
    ]


@dataclass(frozen=True)
class VerifyResult:
    """What `audit verify` established."""

    entries: int
    rows: int
    checkpoints: int
    keyed: bool
    later_checkpoints: int = 0  # after the last entry, allowed for a backup


class Ledger:
    """The SQLite ledger. Open with ``open_ledger``."""

    def __init__(
        self,
        db: sqlite_utils.Database,
        path: str,
        *,
        key: bytes | None = None,
        readonly: bool = False,
    ) -> None:
        self.db = db
        self.path = path
        self._key = key  # the HMAC key: never stored, logged or shown
        self.readonly = readonly
        self._intact: set[str] = set()  # tables checked before an in-place update

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

    def _bound_row(self, table: str, key: str) -> dict[str, Any] | None:
        cols = BOUND_TABLES[table]
        where = " AND ".join(f"[{c}] = ?" for c in cols)
        found = list(self.db.query(f"SELECT * FROM [{table}] WHERE {where}", key.split("/")))
        if not found:
            return None
        row = found[0]
        if table == "searches":
            row["hits"] = self._hits(int(row["id"])).get(str(row["id"]), [])
        return row

    def _hits(self, search_id: int | None = None) -> dict[str, list[list[Any]]]:
        sql = "SELECT search_id, pmid, rank FROM search_hits"
        args: list[Any] = []
        if search_id is not None:
            sql, args = sql + " WHERE search_id = ?", [search_id]
        out: dict[str, list[list[Any]]] = {}
        for sid, pmid, rank in self.db.execute(sql + " ORDER BY search_id, rank, pmid", args):
            out.setdefault(str(sid), []).append([pmid, rank])
        return out

    def _binding(self, table: str, key: Any) -> list[str]:
        """[table, key, row hash] for an audit entry, read back from the row just written."""
        k = str(key)
        row = self._bound_row(table, k)
        if row is None:
            raise RuntimeError(f"cannot bind {table} row {k}: it was not written")
        return [table, k, row_hash(row)]

    def audit(
        self,
        actor: str,
        action: str,
        subject: str,
        *,
        bind: Sequence[tuple[str, Any]] = (),
        **details: Any,
    ) -> None:
        """Append one hash-chained entry binding the rows in ``bind`` (table, key) by their
        content hash (callers run this inside their write's transaction)."""
        last = self.db.execute(
            "SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        seq, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        at = now_iso()
        if last and in_the_future(last[2]):
            raise AuditChainError(
                f"audit trail broken: the last audit entry ({last[0]}) is dated {last[2]}, in the "
                "future; claimledger will not date its entries after it (run `claimledger audit "
                "verify` and check this machine's clock)"
            )
        if last and at < last[2]:  # a clock stepped back: never write a time before the last
            at = last[2]
        details = {**details, "os_user": os_user()}
        if self._key:
            details["keyed"] = True  # hashed, so a stripped MAC shows even without the key
        if bind:
            details["rows"] = [self._binding(t, k) for t, k in bind]
        entry: dict[str, Any] = {
            "seq": seq,
            "at": at,
            "actor": actor,
            "action": action,
            "subject": subject,
            "details": json.dumps(details, sort_keys=True, ensure_ascii=False, default=str),
            "prev_hash": prev,
        }
        entry["hash"] = entry_hash(entry)
        entry["mac"] = entry_mac(self._key, entry["hash"]) if self._key else None
        self._t("audit_log").insert(entry)

    def check_writer_key(self) -> None:
        """A keyed ledger is written only with its key: refuse before writing, rather than leave
        entries without (or with a wrong) MAC that verify would call tampering."""
        last = self.db.execute(
            """SELECT hash, mac, seq FROM audit_log WHERE mac IS NOT NULL OR details LIKE ?
               ORDER BY seq DESC LIMIT 1""",
            ['%"keyed": true%'],
        ).fetchone()
        if last is None:
            return
        if not last[1]:
            raise AuditChainError(
                f"audit trail broken: entry {last[2]} was written with the key but its MAC was "
                f"removed; claimledger will not write to {self.path} (run `claimledger audit "
                "verify`, restore it from a backup and investigate)"
            )
        if self._key is None:
            raise InputError(
                f"the audit entries in {self.path} carry an HMAC: set CLAIMLEDGER_AUDIT_KEY or "
                "CLAIMLEDGER_AUDIT_KEY_FILE to the key they were written with"
            )
        if entry_mac(self._key, last[0]) != last[1]:
            raise InputError(
                f"the audit key given is not the one the entries in {self.path} were written with"
            )

    def head(self) -> Checkpoint | None:
        """The chain head (last entry) as a checkpoint, or None for an empty log."""
        last = self.db.execute(
            "SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return Checkpoint(int(last[0]), str(last[1]), str(last[2])) if last else None

    def audit_entries(self, claim_id: str | None = None) -> list[dict[str, Any]]:
        if claim_id is None:
            return list(self.db.query("SELECT * FROM audit_log ORDER BY seq"))
        return list(
            self.db.query(
                "SELECT * FROM audit_log WHERE subject = ? OR subject LIKE ? ORDER BY seq",
                [f"claim:{claim_id}", f"claim:{claim_id}/%"],
            )
        )

    def _bindings(self) -> dict[tuple[str, str], tuple[int, str]]:
        """(table, key) → (seq, hash) of the latest audit entry that wrote that row."""
        out: dict[tuple[str, str], tuple[int, str]] = {}
        for seq, details in self.db.execute("SELECT seq, details FROM audit_log ORDER BY seq"):
            for table, key, h in _rows_of(details):
                out[(table, key)] = (seq, h)
        return out

    def _require_intact(self, table: str) -> None:
        """Before claimledger updates rows of ``table`` in place (runs, watermarks, articles) or
        lets them steer a refresh, every row must still match its audit entry: updating an
        edited row would bind the edit as claimledger's own (launder it). Once per table."""
        if table in self._intact:
            return
        bound: dict[str, str] = {}
        like = f'%["{table}", %'
        for (details,) in self.db.execute(
            "SELECT details FROM audit_log WHERE details LIKE ? ORDER BY seq", [like]
        ):
            bound.update({k: h for t, k, h in _rows_of(details) if t == table})
        for key, row in self._all_rows(table):
            if bound.get(key) != row_hash(row):
                raise AuditChainError(
                    f"audit trail broken: {table} row {key} does not match its audit entry "
                    f"(edited outside claimledger); claimledger will not update it: run "
                    f"`claimledger audit verify`, restore {self.path} from a backup and investigate"
                )
        self._intact.add(table)

    def _all_rows(self, table: str) -> Iterator[tuple[str, dict[str, Any]]]:
        hits = self._hits() if table == "searches" else {}
        for row in self.db.query(f"SELECT * FROM [{table}]"):
            key = "/".join(str(row[c]) for c in BOUND_TABLES[table])
            if table == "searches":
                row["hits"] = hits.get(key, [])
            yield key, row

    def _rebind_problem(self) -> str | None:
        """A re-binding entry is only the upgrade of a ledger whose entries bound no rows; one
        after rows were bound means the upgrade was re-run to launder rows written outside."""
        first_bound = self.db.execute(
            "SELECT min(seq) FROM audit_log WHERE action != 'audit.rebind' AND details LIKE ?",
            ['%"rows": [%'],
        ).fetchone()[0]
        late = self.db.execute(
            "SELECT min(seq) FROM audit_log WHERE action = 'audit.rebind' AND seq > ?",
            [first_bound if first_bound is not None else 1 << 62],
        ).fetchone()[0]
        if late is None:
            return None
        return (
            f"audit entry {late} re-binds rows after rows were already bound (an upgrade re-run "
            "to bind rows written outside claimledger)"
        )

    def _row_problem(self) -> tuple[int, str | None]:
        """Every bound row against its latest audit entry, and every binding against its row."""
        problem = self._rebind_problem()
        if problem:
            return 0, problem
        bindings = self._bindings()
        seen: set[tuple[str, str]] = set()
        n = 0
        for table in BOUND_TABLES:
            for key, row in self._all_rows(table):
                n += 1
                seen.add((table, key))
                b = bindings.get((table, key))
                if b is None:
                    return n, f"{table} row {key} has no audit entry (written outside claimledger)"
                if row_hash(row) != b[1]:
                    return n, (
                        f"{table} row {key} does not match its audit entry {b[0]} "
                        "(the row was edited)"
                    )
        for (table, key), (seq, _h) in sorted(bindings.items(), key=lambda kv: kv[1][0]):
            if (table, key) not in seen:
                return n, f"audit entry {seq} wrote {table} row {key}, which is missing (deleted)"
        return n, self._orphan_hits()

    def _orphan_hits(self) -> str | None:
        """search_hits bind through their search; hits of no search would join the next search
        recorded under that id."""
        row = self.db.execute(
            "SELECT search_id FROM search_hits WHERE search_id NOT IN (SELECT id FROM searches) "
            "LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        return f"search_hits rows for search {row[0]!r} belong to no search (written outside claimledger)"

    def _checkpoint_problem(self, checkpoints: Sequence[Checkpoint]) -> str | None:
        head = self.head()
        for cp in checkpoints:
            row = self.db.execute("SELECT hash FROM audit_log WHERE seq = ?", [cp.seq]).fetchone()
            where = f" ({cp.source})" if cp.source else ""
            if row is None:
                last = head.seq if head else 0
                return (
                    f"checkpoint {cp.seq}{where} is not in the ledger, which ends at entry "
                    f"{last} (truncated, or an older copy)"
                )
            if row[0] != cp.hash:
                return (
                    f"entry {cp.seq} does not match checkpoint{where} "
                    "(the chain was rewritten up to it)"
                )
        return None

    def verify_audit(
        self,
        checkpoints: Sequence[Checkpoint] = (),
        *,
        key: bytes | None = None,
        backup: bool = False,
    ) -> VerifyResult:
        """Recompute the chain, the checkpoints and every bound row; raise AuditChainError naming
        the first problem. A ``backup`` may end before later checkpoints (they are counted);
        every checkpoint up to its last entry must still match."""
        with self._snapshot():
            later: list[Checkpoint] = []
            if backup:
                head = self.head()
                last = head.seq if head else 0
                later = [cp for cp in checkpoints if cp.seq > last]
                checkpoints = [cp for cp in checkpoints if cp.seq <= last]
            try:
                result = self._verify(checkpoints, key)
            except sqlite3.DatabaseError as ex:
                if "decode to UTF-8" in str(ex):  # claimledger only ever writes valid text
                    raise AuditChainError(
                        f"audit trail broken: a row holds text that is not UTF-8, which "
                        f"claimledger never writes ({ex}); restore {self.path} from a backup "
                        "and investigate"
                    ) from None
                raise explain(ex, self.path) from None  # damaged: exit 3, as elsewhere
        return dataclasses.replace(result, later_checkpoints=len(later))

    def has_macs(self) -> bool:
        """Whether any audit entry carries an HMAC (the ledger is keyed)."""
        row = self.db.execute("SELECT 1 FROM audit_log WHERE mac IS NOT NULL LIMIT 1")
        return row.fetchone() is not None

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """One read transaction, so a refresh committing meanwhile cannot make rows and entries
        look out of step."""
        con = self.db.conn
        if con.in_transaction:
            yield
            return
        con.execute("BEGIN")
        try:
            yield
        finally:
            con.execute("ROLLBACK")

    def _verify(self, checkpoints: Sequence[Checkpoint], key: bytes | None) -> VerifyResult:
        fix = f"restore {self.path} from a backup and investigate"
        n, brk = verify_chain(self.db.query("SELECT * FROM audit_log ORDER BY seq"), key)
        if brk is not None:
            raise AuditChainError(f"audit chain broken at entry {brk.seq}: {brk.reason}; {fix}")
        problem = schema_problem(self.db)
        if problem:
            raise AuditChainError(f"audit trail broken: schema: {problem}; {fix}")
        problem = self._checkpoint_problem(checkpoints)
        if problem:
            raise AuditChainError(f"audit trail broken: {problem}; {fix}")
        rows, problem = self._row_problem()
        if problem:
            raise AuditChainError(f"audit trail broken: {problem}; {fix}")
        return VerifyResult(n, rows, len(checkpoints), key is not None)

    def rebind_unbound(self, actor: str, reason: str) -> int:
        """Bind every row that has no audit entry yet, in one explicit entry (the upgrade of a
        ledger written before rows were bound). Rows that already have a binding are never
        re-bound: a mismatch there stays tampering."""
        bindings = self._bindings()
        todo = [
            (t, k) for t in BOUND_TABLES for k, _ in self._all_rows(t) if (t, k) not in bindings
        ]
        if todo:
            counts: dict[str, int] = {}
            for t, _k in todo:
                counts[t] = counts.get(t, 0) + 1
            with self.transaction():
                self.audit(actor, "audit.rebind", "ledger", bind=todo, reason=reason, counts=counts)
        return len(todo)

    # --- runs ----------------------------------------------------------------------------------
    def begin_run(self, kind: str, actor: str, **details: Any) -> int:
        """Record a run as started (inside the caller's transaction)."""
        row_id = self._insert(
            "runs", {"kind": kind, "started_at": now_iso(), "status": "running", "actor": actor}
        )
        self.audit(
            actor, "run.start", f"run:{row_id}", bind=[("runs", row_id)], kind=kind, **details
        )
        return row_id

    def end_run(self, run_id: int, status: str, summary: dict[str, Any], actor: str) -> None:
        """Record a run's outcome (inside the caller's transaction)."""
        self._require_intact("runs")
        self._t("runs").update(
            run_id,
            {"finished_at": now_iso(), "status": status, "summary": json.dumps(summary)},
        )
        self.audit(actor, f"run.{status}", f"run:{run_id}", bind=[("runs", run_id)], **summary)

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
            self._require_intact("runs")
            with self.transaction():
                for rid in ids:
                    self._t("runs").update(rid, {"status": "interrupted"})
                    self.audit(actor, "run.interrupted", f"run:{rid}", bind=[("runs", rid)])
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
        self.audit(
            actor,
            "claim.version",
            f"claim:{claim.id}",
            bind=[("claim_versions", f"{claim.id}/{claim.version}")],
            version=claim.version,
        )
        return True

    # --- watermarks ----------------------------------------------------------------------------
    def watermark(self, claim: Claim) -> date | None:
        """The day of the claim's last committed refresh, if it was of this claim version."""
        self._require_intact("watermarks")  # it sets the search window
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

    def last_import(self, claim_id: str) -> str | None:
        """The day (UTC) of the latest finished import filed under the claim, if any."""
        row = self.db.execute(
            """SELECT max(finished_at) FROM runs WHERE kind = 'import' AND status = 'ok'
               AND json_extract(summary, '$.claim_id') = ?""",
            [claim_id],
        ).fetchone()
        return str(row[0])[:10] if row and row[0] else None

    def set_watermark(self, claim: Claim, day: date, run_id: int, actor: str) -> None:
        self._require_intact("watermarks")
        self._t("watermarks").upsert(
            {
                "claim_id": claim.id,
                "claim_version": claim.version,
                "refreshed_on": day.isoformat(),
                "run_id": run_id,
            },
            pk="claim_id",
        )
        self.audit(
            actor,
            "claim.watermark",
            f"claim:{claim.id}",
            bind=[("watermarks", claim.id)],
            refreshed_on=day.isoformat(),
        )

    # --- responses, searches -------------------------------------------------------------------
    def store_response(
        self,
        endpoint: str,
        params: dict[str, str],
        body: bytes,
        run_id: int | None,
        actor: str | None = None,
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
        who = declared_actor(actor)
        self.audit(
            who,
            "response",
            f"run:{run_id}" if run_id is not None else f"response:{rid}",
            bind=[("responses", rid)],
            endpoint=endpoint,
            sha256=digest,
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
        if self.db.execute("SELECT 1 FROM search_hits WHERE search_id = ?", [sid]).fetchone():
            raise AuditChainError(
                f"audit trail broken: search_hits rows for search {sid} were there before the "
                "search (written outside claimledger); claimledger will not record it with "
                f"them: restore {self.path} from a backup and investigate"
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
            bind=[("searches", sid)],
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
        """Record a new version of an article when it is new or changed (the previous version
        stays in article_versions); the audit entry lists every field that changed."""
        old = self.db.execute(
            "SELECT content_hash, retracted, deleted, data FROM articles WHERE pmid = ?",
            [article.pmid],
        ).fetchone()
        now = now_iso()
        if article.kind == "deleted":
            if old is None or old[2]:
                return ArticleChange(article.pmid, "unchanged")
            self._require_intact("articles")
            self._t("articles").update(article.pmid, {"deleted": 1, "updated_at": now})
            vid = self._add_version(article.pmid, old[0], old[3], response_id, now, deleted=True)
            self.audit(
                actor,
                "article.deleted",
                f"article:{article.pmid}",
                bind=[("articles", article.pmid), ("article_versions", vid)],
                changes=[["deleted", False, True]],
            )
            return ArticleChange(article.pmid, "changed", became_deleted=True)
        h = _content_hash(article)
        if old is not None and old[0] == h and not old[2]:
            return ArticleChange(article.pmid, "unchanged")
        row = _article_row(article, h, response_id, now)
        data = cast(str, row["data"])
        if old is None:
            row["first_seen"] = now
            self._t("articles").insert(row)
            vid = self._add_version(article.pmid, h, data, response_id, now)
            self.audit(
                actor,
                "article.new",
                f"article:{article.pmid}",
                bind=[("articles", article.pmid), ("article_versions", vid)],
                flags=list(article.flags),
            )
            return ArticleChange(article.pmid, "new", new_flags=article.flags)
        self._require_intact("articles")
        before = Article.from_dict(json.loads(old[3]))
        self._t("articles").update(article.pmid, row)
        vid = self._add_version(article.pmid, h, data, response_id, now)
        new_flags = tuple(f for f in article.flags if f not in before.flags)
        changes = _changes(json.loads(old[3]), article.to_dict())
        if old[2]:
            changes.append(["deleted", True, False])
        self.audit(
            actor,
            "article.changed",
            f"article:{article.pmid}",
            bind=[("articles", article.pmid), ("article_versions", vid)],
            new_flags=list(new_flags),
            status=[before.status, article.status],
            changes=changes,
        )
        return ArticleChange(
            article.pmid,
            "changed",
            became_retracted=article.retracted and not before.retracted,
            new_flags=new_flags,
        )

    def refreshed_from_pubmed(self, pmid: str) -> bool:
        """Is the stored record of this PMID one EFetch sent (not an imported file)?"""
        row = self.db.execute(
            "SELECT r.endpoint FROM articles a JOIN responses r ON r.id = a.response_id "
            "WHERE a.pmid = ?",
            [pmid],
        ).fetchone()
        return row is not None and row[0] == "efetch"

    def _add_version(
        self,
        pmid: str,
        content_hash: str,
        data: str,
        response_id: int | None,
        now: str,
        *,
        deleted: bool = False,
    ) -> int:
        n = self.db.execute(
            "SELECT coalesce(max(version_no), 0) FROM article_versions WHERE pmid = ?", [pmid]
        ).fetchone()[0]
        return self._insert(
            "article_versions",
            {
                "pmid": pmid,
                "version_no": int(n) + 1,
                "content_hash": content_hash,
                "deleted": int(deleted),
                "data": data,
                "response_id": response_id,
                "recorded_at": now,
            },
        )

    def article_versions(self, pmid: str) -> list[dict[str, Any]]:
        return list(
            self.db.query(
                "SELECT * FROM article_versions WHERE pmid = ? ORDER BY version_no", [pmid]
            )
        )

    def article(self, pmid: str) -> Article | None:
        row = self.db.execute("SELECT data FROM articles WHERE pmid = ?", [pmid]).fetchone()
        return Article.from_dict(json.loads(row[0])) if row else None

    def articles(self, pmids: Iterable[str]) -> dict[str, Article]:
        """The stored articles among ``pmids``, by PMID (one query per 500, not one each)."""
        ids = list(dict.fromkeys(pmids))
        out: dict[str, Article] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for pmid, data in self.db.execute(
                f"SELECT pmid, data FROM articles WHERE pmid IN ({marks})", chunk
            ):
                out[pmid] = Article.from_dict(json.loads(data))
        return out

    def _first_column_where_pmid_in(self, select: str, pmids: Iterable[str]) -> set[str]:
        """First column of ``select ... WHERE pmid IN (...)``, in chunks of 500 (SQLite's limit
        on bound parameters)."""
        ids = list(pmids)
        out: set[str] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out.update(r[0] for r in self.db.execute(f"{select} WHERE pmid IN ({marks})", chunk))
        return out

    def known_pmids(self, pmids: Iterable[str]) -> set[str]:
        return self._first_column_where_pmid_in("SELECT pmid FROM articles", pmids)

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
        self.audit(
            actor,
            "link",
            f"claim:{claim_id}",
            bind=[("links", f"{claim_id}/{pmid}")],
            pmid=pmid,
            origin=str(origin),
        )
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
        return self._first_column_where_pmid_in("SELECT DISTINCT claim_id FROM links", pmids)

    # --- assessments, grades, approvals (append-only) -----------------------------------------
    def add_assessment(self, a: Assessment, actor: str, **extra: Any) -> int:
        """Append an assessment; ``extra`` goes into its audit entry (e.g. whose decision a
        reviewer overrode)."""
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
            bind=[("assessments", aid)],
            **extra,
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
            bind=[("grades", gid)],
        )
        return gid

    def current_grade(self, claim_id: str, claim_version: str) -> GradeRecord | None:
        """THE grade of a claim: the latest grade row for its current version.

        None means "not graded yet" (never graded, or not since its meaning -- statement, query, kind, polarity, PICO -- changed).
        Every reading command uses this; none recomputes a grade. The `current_grades` view
        (Datasette) applies the same rule to the latest claim version the ledger has recorded.
        """
        row = self.db.execute(
            f"""SELECT {_GRADE_COLUMNS}
               FROM grades WHERE claim_id = ? AND claim_version = ?
               ORDER BY id DESC LIMIT 1""",
            [claim_id, claim_version],
        ).fetchone()
        return None if row is None else _grade_record(row)

    def current_grades(
        self, claims: Iterable[tuple[str, str]]
    ) -> dict[tuple[str, str], GradeRecord]:
        """``current_grade`` of each (claim id, version), read in one query per few hundred
        claims rather than one per claim (check reads every claim's grade): the latest grade
        row of each claim and version, kept for the versions asked. Ungraded ones are absent."""
        wanted = set(claims)
        ids = sorted({cid for cid, _ in wanted})
        out: dict[tuple[str, str], GradeRecord] = {}
        for k in range(0, len(ids), _IDS_PER_QUERY):
            chunk = ids[k : k + _IDS_PER_QUERY]
            marks = ", ".join("?" * len(chunk))
            rows = self.db.execute(
                f"""SELECT {_GRADE_COLUMNS} FROM grades WHERE id IN (
                       SELECT max(id) FROM grades WHERE claim_id IN ({marks})
                       GROUP BY claim_id, claim_version)""",
                chunk,
            ).fetchall()
            for row in rows:
                if (row[1], row[2]) in wanted:
                    out[row[1], row[2]] = _grade_record(row)
        return out

    def add_approval(self, a: Approval, actor: str) -> int:
        aid = self._insert("approvals", _row(a))
        self.audit(
            actor,
            "approval",
            f"claim:{a.claim_id}",
            claim_version=a.claim_version,
            evidence_hash=a.evidence_hash,
            note=a.note,
            meaning=a.meaning or "approved",
            grade=a.grade,
            provisional=a.provisional,
            acknowledged=a.acknowledged,
            bind=[("approvals", aid)],
        )
        return aid

    def latest_approval(self, claim_id: str) -> Approval | None:
        rows = list(
            self.db.query(
                "SELECT * FROM approvals WHERE claim_id = ? ORDER BY id DESC LIMIT 1", [claim_id]
            )
        )
        if not rows:
            return None
        known = {f.name for f in dataclasses.fields(Approval)}  # a column added outside: ignored
        return Approval(**{k: v for k, v in rows[0].items() if k in known})

    def is_bound(self, table: str, row: dict[str, Any]) -> bool:
        """Whether an audit entry wrote this row as it is now (a quick check for display; the
        full proof is `audit verify`)."""
        key = "/".join(str(row[c]) for c in BOUND_TABLES[table])
        b = self._bindings_of(table, key)
        return b is not None and b == row_hash({k: row[k] for k in row if k != "hits"})

    def _bindings_of(self, table: str, key: str) -> str | None:
        like = f'%["{table}", "{key}", %'
        last = None
        for (details,) in self.db.execute(
            "SELECT details FROM audit_log WHERE details LIKE ? ORDER BY seq", [like]
        ):
            for t, k, h in json.loads(details).get("rows") or []:
                if t == table and k == key:
                    last = h
        return last


def _rows_of(details: Any) -> list[tuple[str, str, str]]:
    """The (table, key, row hash) an entry's details bind; anything malformed binds nothing."""
    try:
        bound = json.loads(details).get("rows") or []
    except (ValueError, AttributeError, TypeError):
        return []
    return [
        (b[0], b[1], b[2])
        for b in (bound if isinstance(bound, list) else [])
        if isinstance(b, list) and len(b) == 3 and all(isinstance(x, str) for x in b)
    ]


def _row(record: Any) -> dict[str, Any]:
    """A record as a new table row: the ledger sets id and created_at."""
    row = {k: v for k, v in asdict(record).items() if k != "id"}
    row["created_at"] = now_iso()
    return row


def _assessment(r: dict[str, Any]) -> Assessment:
    known = {f.name for f in dataclasses.fields(Assessment)}  # a column added outside: ignored
    return Assessment(
        **{
            **{k: v for k, v in r.items() if k in known},
            "design_level": DesignLevel(r["design_level"]) if r["design_level"] else None,
            "stance": StanceLabel(r["stance"]),
        }
    )


def _connect_readonly(p: Path) -> sqlite3.Connection:
    """mode=ro; on read-only media, where SQLite cannot create the WAL index, immutable=1 (only
    when no -wal file exists, so no committed transaction is ever skipped)."""
    uri = f"file:{quote(str(p.resolve()))}?mode=ro"
    con = sqlite3.connect(uri, uri=True, timeout=30)
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return con
    except sqlite3.OperationalError as ex:
        con.close()
        if Path(f"{p}-wal").exists():
            raise InputError(
                f"cannot read {p}: {ex}; it has a {p.name}-wal file beside it, which SQLite can "
                "only read from a writable directory (copy it with sqlite3's .backup instead)"
            ) from None
    return sqlite3.connect(uri + "&immutable=1", uri=True, timeout=30)


def needs_upgrade(path: str | Path) -> bool:
    """Whether an existing ledger has migrations to apply (False for a missing, new, damaged
    or foreign file: opening it says what is wrong). Read-only: it takes no lock."""
    p = Path(path)
    if not p.is_file():
        return False
    try:
        db = sqlite_utils.Database(_connect_readonly(p))
    except (sqlite3.DatabaseError, InputError):
        return False
    try:
        return db.table("audit_log").exists() and any(True for _ in migrations.pending(db))
    except sqlite3.DatabaseError:
        return False
    finally:
        db.conn.close()


def _open_readonly(p: Path, key: bytes | None) -> Ledger:
    try:
        db = sqlite_utils.Database(_connect_readonly(p))
        has_log = db.table("audit_log").exists()
        pending = [m.name for m in migrations.pending(db)] if has_log else []
    except sqlite3.DatabaseError as ex:
        raise explain(ex, str(p)) from None  # damaged or not SQLite: exit 3, as for writers
    if not has_log:
        raise AuditChainError(
            f"audit trail broken: {p} is not a claimledger ledger: it has no audit log (an "
            "empty or foreign file); restore it from a backup"
        )
    if pending:
        what = (
            "it writes one audited re-binding entry"
            if BINDING_MIGRATION in pending
            else "it adds what this version stores; no recorded data changes"
        )
        raise InputError(
            f"{p} was written by an older claimledger; upgrade it once with "
            f"`claimledger --db {shlex.quote(str(p))} audit upgrade` ({what}), then read it"
        )
    return Ledger(db, str(p), key=key, readonly=True)


def open_ledger(
    path: str | Path,
    *,
    create: bool = True,
    readonly: bool = False,
    key: bytes | None = None,
    actor: str | None = None,
) -> Ledger:
    """Open (and migrate) the ledger; with ``create=False`` a missing file is an InputError.

    ``readonly`` opens it with SQLite's mode=ro and never migrates or writes (verify, show,
    check, report); a file without an audit log is then an AuditChainError. ``key`` (default:
    CLAIMLEDGER_AUDIT_KEY / _FILE) makes every new audit entry carry an HMAC."""
    from claimledger.ledger.audit import audit_key

    p = Path(path)
    key = key if key is not None else audit_key()
    if not p.exists():
        if not create or readonly:
            raise InputError(f"no ledger at {p}; run `claimledger refresh` or `claimledger import`")
        p.parent.mkdir(parents=True, exist_ok=True)
    if readonly:
        return _open_readonly(p, key)
    try:
        db = sqlite_utils.Database(sqlite3.connect(str(p), timeout=busy_timeout()))
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        # an existing ledger's pending migrations: applied here, by whichever writer opens it
        # first (refresh: inside its lock), and recorded in the chain below
        pending = [m.name for m in migrations.pending(db)] if db.table("audit_log").exists() else []
        if pending and BINDING_MIGRATION not in pending:  # a keyed ledger: refuse before, too
            Ledger(db, str(p), key=key).check_writer_key()
        migrations.apply(db)
    except sqlite3.Error as ex:
        raise explain(ex, str(p)) from None
    problem = schema_problem(db)
    if problem:
        db.conn.close()
        raise AuditChainError(
            f"audit trail broken: schema: {problem}; claimledger will not write to {p} (run "
            "`claimledger audit verify`, restore it from a backup and investigate)"
        )
    ledger = Ledger(db, str(p), key=key)
    ledger.check_writer_key()
    if pending:
        with ledger.transaction():
            ledger.audit(
                declared_actor(actor),
                "ledger.upgrade",
                "ledger",
                migrations=pending,
                claimledger=__version__,
            )
    if BINDING_MIGRATION in pending:
        ledger.rebind_unbound(
            declared_actor(actor),
            "upgrade: rows written before rows were bound to the chain are bound as they are "
            "now; this proves they have not changed since this entry, not before it",
        )
    return ledger


_GRADE_COLUMNS = """id, claim_id, claim_version, grade, provisional, needs_non_pubmed_source,
                      rule_trace, rubric_version, evidence_hash, run_id, created_at"""
_IDS_PER_QUERY = 500  # claim ids bound per query (SQLite allows 999 in older builds)


def _grade_record(row: Sequence[Any]) -> GradeRecord:
    """A grades row, read as ``_GRADE_COLUMNS`` lists its columns."""
    return GradeRecord(
        id=row[0],
        claim_id=row[1],
        claim_version=row[2],
        grade=GradeLabel(row[3]),
        provisional=bool(row[4]),
        needs_non_pubmed_source=bool(row[5]),
        trace=tuple(
            TraceStep(t["rule"], t["detail"], tuple(t.get("pmids", ()))) for t in json.loads(row[6])
        ),
        rubric_version=row[7],
        evidence_hash=row[8],
        run_id=row[9],
        created_at=row[10],
    )
