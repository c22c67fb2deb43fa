"""A loopback E-utilities stand-in that serves REAL recorded PubMed records on 127.0.0.1.

It indexes the real records in ../shared/pubmed-fixtures and answers ESearch (a small subset of
PubMed query syntax: terms, quoted phrases, trailing *, field tags, AND/OR/NOT, parentheses,
#history keys, datetype/mindate/maxdate windows), EPost and EFetch (by id or WebEnv/query_key),
with the same envelopes NCBI sends. Faults can be queued (429 bursts, 503, connection reset,
slow responses, truncated bodies, in-band errors) and every request is logged with its arrival
time, so tests measure what the client really did over a real socket.

Nothing here invents PubMed data: records are served byte-for-byte as parsed from the fixtures,
except where a test installs a modified copy of a real record (``replace_record``), which the
test names as synthetic.
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from lxml import etree

from claimledger.library.querysyntax import tokenize
from claimledger.pubmed.medline import parse_article_element
from claimledger.pubmed.records import Article

XML_HEAD = (
    b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, '
    b'1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
)


@dataclass
class Record:
    pmid: str
    xml: bytes
    article: Article
    pdat: date
    crdt: date
    mdat: date


@dataclass
class LoggedRequest:
    at: float
    endpoint: str
    method: str
    params: dict[str, str]


@dataclass
class Fault:
    kind: str  # 429 | 503 | 500 | reset | slow | truncate | inband | 400
    endpoint: str | None = None  # only for this endpoint (e.g. "efetch"), or any
    delay: float = 0.0


def _date_of(el: Any, path: str) -> date | None:
    d = el.find(path)
    if d is None or not (d.findtext("Year") or "").isdigit():
        return None
    y = int(d.findtext("Year"))
    m_raw = (d.findtext("Month") or "1").strip()
    months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    m = (
        int(m_raw)
        if m_raw.isdigit()
        else (months.index(m_raw[:3].lower()) + 1 if m_raw[:3].lower() in months else 1)
    )
    dd = int(d.findtext("Day")) if (d.findtext("Day") or "").isdigit() else 1
    return date(y, m, dd)


def load_records(fixtures: Path) -> dict[str, Record]:
    """Every real PubmedArticle in the fixture directory, keyed by PMID (first copy wins)."""
    files = sorted(fixtures.glob("*.xml")) + sorted((fixtures / "metapub_pmid_xml").glob("*.xml"))
    out: dict[str, Record] = {}
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True)
    for f in files:
        try:
            root = etree.parse(str(f), parser).getroot()
        except etree.XMLSyntaxError:
            continue
        els = [root] if root.tag == "PubmedArticle" else root.findall("PubmedArticle")
        for el in els:
            art = parse_article_element(el)[0]
            if art.pmid in out:
                continue
            pdat = date(art.year or 1900, art.pub_date.month or 1, 1)
            crdt = (
                _date_of(el, "PubmedData/History/PubMedPubDate[@PubStatus='entrez']")
                or _date_of(el, "PubmedData/History/PubMedPubDate[@PubStatus='pubmed']")
                or pdat
            )
            mdat = _date_of(el, "MedlineCitation/DateRevised") or crdt
            out[art.pmid] = Record(
                art.pmid, etree.tostring(el, encoding="utf-8"), art, pdat, crdt, mdat
            )
    return out


# --- query evaluation ----------------------------------------------------------------------------


def _norm(s: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", s.lower())) + " "


_FIELDS_SEEN: dict[int, tuple[Article, dict[str, str]]] = {}


def _fields(a: Article) -> dict[str, str]:
    """The searchable fields of a record, normalised once per record (records never change)."""
    seen = _FIELDS_SEEN.get(id(a))
    if seen is not None and seen[0] is a:
        return seen[1]
    fields = _compute_fields(a)
    _FIELDS_SEEN[id(a)] = (a, fields)
    return fields


@functools.lru_cache(maxsize=4096)
def _tokens(term: str) -> tuple[Any, ...]:
    return tuple(tokenize(term))


def _compute_fields(a: Article) -> dict[str, str]:
    tiab = _norm(a.title + " " + a.abstract)
    mesh = [m.descriptor for m in a.mesh]
    pts = [p.name for p in a.publication_types]
    return {
        "ti": _norm(a.title),
        "tiab": tiab,
        "mh": "|".join(_norm(x) for x in mesh),
        "majr": "|".join(_norm(m.descriptor) for m in a.mesh if m.major),
        "pt": "|".join(_norm(x) for x in pts),
        "sh": "|".join(_norm(q.name) for m in a.mesh for q in m.qualifiers),
        "all": tiab + "|" + "|".join(_norm(x) for x in mesh + list(a.keywords) + pts),
    }


_TAG_ALIASES = {
    "title": "ti",
    "title/abstract": "tiab",
    "mesh": "mh",
    "mesh terms": "mh",
    "mh:noexp": "mh",
    "mesh major topic": "majr",
    "publication type": "pt",
    "subheading": "sh",
    "tw": "all",
    "text word": "all",
    "all fields": "all",
    "nm": "all",
    "ot": "all",
    "la": "all",
}


def _atom_matches(text: str, tag: str | None, rec: Record, cache: dict[str, str]) -> bool:
    tag = (tag or "all").lower()
    tag = _TAG_ALIASES.get(tag, tag)
    if tag == "sb":
        if text.lower().startswith("systematic"):
            return any(
                p.name in ("Systematic Review", "Meta-Analysis")
                for p in rec.article.publication_types
            )
        return False
    if tag not in cache:
        tag = "all"
    hay = cache[tag]
    if text.endswith("*"):
        stem = _norm(text[:-1]).strip()
        return bool(stem) and re.search(r"(^|\s)" + re.escape(stem), hay) is not None
    needle = _norm(text)
    return needle.strip() != "" and needle in hay


def evaluate(term: str, rec: Record, history: dict[str, set[str]]) -> bool:
    tokens = _tokens(term)
    pos = 0
    cache = _fields(rec.article)

    def atom() -> bool:
        nonlocal pos
        tok = tokens[pos]
        pos += 1
        if tok.kind == "lparen":
            val = expr()
            pos += 1  # rparen
            if pos < len(tokens) and tokens[pos].kind == "tag":
                pos += 1  # a tag after a group applies to the group: ignored here
            return val
        text = tok.text
        m = re.match(r"^(.*?)(?:\[([^\]]*)\])?$", text, re.S)
        body, tag = (m.group(1), m.group(2)) if m else (text, None)
        body = body.strip('"')
        if body.startswith("#"):
            return rec.pmid in history.get(body[1:], set())
        if tag and tag.lower() in ("mdat", "crdt", "edat", "pdat", "dp") and ":" in body:
            lo, hi = (_parse_date(x) for x in body.split(":", 1))
            d = {"mdat": rec.mdat, "crdt": rec.crdt, "edat": rec.crdt}.get(tag.lower(), rec.pdat)
            return lo <= d <= hi
        return _atom_matches(body, tag, rec, cache)

    def expr() -> bool:
        nonlocal pos
        val = atom()
        while pos < len(tokens) and tokens[pos].kind != "rparen":
            op = "AND"
            if tokens[pos].kind == "op":
                op = tokens[pos].text
                pos += 1
            rhs = atom()
            val = (
                (val and rhs) if op == "AND" else (val or rhs) if op == "OR" else (val and not rhs)
            )
        return val

    return expr()


def _parse_date(s: str) -> date:
    parts = [int(p) for p in re.split(r"[/-]", s.strip()) if p]
    while len(parts) < 3:
        parts.append(1)
    return date(*parts[:3])


# --- the server ------------------------------------------------------------------------------------


@dataclass
class StandIn:
    records: dict[str, Record]
    log: list[LoggedRequest] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    history: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    count_override: Callable[[str, dict[str, str]], int | None] | None = None
    #: PMID -> how many more EFetch responses leave it out (well-formed, just incomplete)
    withhold: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _webenv_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    server: ThreadingHTTPServer | None = None
    thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        assert isinstance(host, str)
        return f"http://{host}:{port}"

    def replace_record(self, pmid: str, xml: bytes, mdat: date) -> None:
        """Serve a (test-made, synthetic) modified copy of a real record from now on."""
        el = etree.fromstring(xml)
        art = parse_article_element(el)[0]
        old = self.records[pmid]
        self.records[pmid] = Record(pmid, xml, art, old.pdat, old.crdt, mdat)

    def delete_record(self, pmid: str) -> None:
        self.records.pop(pmid, None)

    def queue(self, *faults: Fault) -> None:
        with self.lock:
            self.faults.extend(faults)

    def requests_to(self, endpoint: str) -> list[LoggedRequest]:
        return [r for r in self.log if r.endpoint == endpoint]

    def max_per_second(self) -> int:
        """The most requests that arrived within any one-second window."""
        times = sorted(r.at for r in self.log)
        best = 0
        j = 0
        for i, t in enumerate(times):
            while t - times[j] >= 1.0:
                j += 1
            best = max(best, i - j + 1)
        return best

    # --- handlers ---------------------------------------------------------------------------
    def _take_fault(self, endpoint: str) -> Fault | None:
        with self.lock:
            for i, f in enumerate(self.faults):
                if f.endpoint in (None, endpoint):
                    return self.faults.pop(i)
        return None

    def search(self, params: dict[str, str]) -> list[str]:
        term = params.get("term", "")
        hist = self.history.get(params.get("WebEnv", ""), {})
        hist_sets = {k: set(v) for k, v in hist.items()}
        datetype = params.get("datetype")
        lo = _parse_date(params["mindate"]) if params.get("mindate") else None
        hi = _parse_date(params["maxdate"]) if params.get("maxdate") else None
        hits = []
        for rec in self.records.values():
            if datetype and lo and hi:
                d = {"mdat": rec.mdat, "crdt": rec.crdt, "edat": rec.crdt}.get(datetype, rec.pdat)
                if not lo <= d <= hi:
                    continue
            if evaluate(term, rec, hist_sets):
                hits.append(rec.pmid)
        if params.get("sort") == "relevance":
            return hits
        return sorted(hits, key=lambda p: -int(p))

    def esearch_body(self, params: dict[str, str]) -> bytes:
        ids = self.search(params)
        count = len(ids)
        if self.count_override is not None:
            forced = self.count_override(params.get("term", ""), params)
            if forced is not None:
                count = forced
        start = int(params.get("retstart", "0"))
        retmax = min(int(params.get("retmax", "20")), 9999)
        page = ids[start : start + retmax]
        extra = b""
        if params.get("usehistory") == "y":
            env = params.get("WebEnv") or f"MCID_standin{next(self._webenv_ids)}"
            keys = self.history.setdefault(env, {})
            key = str(len(keys) + 1)
            keys[key] = ids
            extra = f"<QueryKey>{key}</QueryKey><WebEnv>{env}</WebEnv>".encode()
        idlist = b"".join(f"<Id>{p}</Id>\n".encode() for p in page)
        translation = params.get("term", "").replace("&", "&amp;").replace("<", "&lt;")
        return (
            b'<?xml version="1.0" encoding="UTF-8" ?>\n<eSearchResult>'
            + f"<Count>{count}</Count><RetMax>{len(page)}</RetMax><RetStart>{start}</RetStart>".encode()
            + extra
            + b"<IdList>\n"
            + idlist
            + b"</IdList><TranslationSet/>"
            + f"<QueryTranslation>{translation}</QueryTranslation>".encode()
            + b"</eSearchResult>\n"
        )

    def epost_body(self, params: dict[str, str]) -> bytes:
        ids = [i for i in params.get("id", "").split(",") if i]
        env = params.get("WebEnv") or f"MCID_standin{next(self._webenv_ids)}"
        keys = self.history.setdefault(env, {})
        key = str(len(keys) + 1)
        keys[key] = ids
        return (
            b'<?xml version="1.0" encoding="UTF-8" ?>\n<ePostResult>\n'
            + f"\t<QueryKey>{key}</QueryKey>\n\t<WebEnv>{env}</WebEnv>\n".encode()
            + b"</ePostResult>\n"
        )

    def _withheld(self, pmid: str) -> bool:
        with self.lock:
            left = self.withhold.get(pmid, 0)
            if left > 0:
                self.withhold[pmid] = left - 1
            return left > 0

    def efetch_body(self, params: dict[str, str]) -> bytes:
        if params.get("id"):
            ids = params["id"].split(",")
        else:
            ids = self.history.get(params.get("WebEnv", ""), {}).get(
                params.get("query_key", ""), []
            )
            start = int(params.get("retstart", "0"))
            ids = ids[start : start + int(params.get("retmax", "20"))]
        parts = [self.records[i].xml for i in ids if i in self.records and not self._withheld(i)]
        return XML_HEAD + b"<PubmedArticleSet>\n" + b"\n".join(parts) + b"\n</PubmedArticleSet>\n"

    def start(self) -> StandIn:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            _was_reset = False

            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def finish(self) -> None:
                if not self._was_reset:
                    super().finish()

            def _handle(self, method: str) -> None:
                url = urlparse(self.path)
                raw = url.query
                if method == "POST":
                    n = int(self.headers.get("Content-Length", "0"))
                    raw = self.rfile.read(n).decode()
                params = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
                endpoint = url.path.rstrip("/").rsplit("/", 1)[-1].split(".")[0]
                with standin.lock:
                    standin.log.append(LoggedRequest(time.monotonic(), endpoint, method, params))
                fault = standin._take_fault(endpoint)
                if fault is not None and fault.kind == "reset":
                    # RST the connection: linger 0, then close the descriptor itself
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )
                    os.close(self.connection.detach())
                    self._was_reset = True
                    self.close_connection = True
                    return
                if fault is not None and fault.kind == "slow":
                    time.sleep(fault.delay)
                if fault is not None and fault.kind in ("429", "500", "503", "400"):
                    body = b'{"error":"API rate limit exceeded","count":"4","limit":"3"}'
                    if fault.kind != "429":
                        body = b"<html><body>Service unavailable</body></html>"
                    self._send(int(fault.kind), body, "application/json")
                    return
                try:
                    if endpoint == "esearch":
                        body = standin.esearch_body(params)
                    elif endpoint == "epost":
                        body = standin.epost_body(params)
                    elif endpoint == "efetch":
                        body = standin.efetch_body(params)
                    else:
                        self._send(404, b"unknown endpoint", "text/plain")
                        return
                except Exception as ex:  # a test bug: make it loud
                    self._send(500, repr(ex).encode(), "text/plain")
                    return
                if fault is not None and fault.kind == "inband":
                    body = (
                        b'<?xml version="1.0" encoding="UTF-8" ?>\n<eSearchResult><ERROR>Search '
                        b"Backend failed: Database is not supported: pubmed</ERROR></eSearchResult>"
                    )
                if fault is not None and fault.kind == "truncate":
                    body = body[: max(1, len(body) // 2)]
                self._send(200, body, "text/xml")

            def _send(self, status: int, body: bytes, ctype: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                self._handle("GET")

            def do_POST(self) -> None:
                self._handle("POST")

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # clients that time out or are reset on purpose are expected here

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        # a short poll interval: shutdown() waits for the loop's next poll (0.5 s by default)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
