"""NCBI E-utilities client: the only code that touches the network.

Polite by construction: ``tool`` and ``email`` (and ``api_key`` when set) on every call, one rate
limiter shared by every client in the process (3 requests/s without a key, 10 with, minus a
margin), timeouts, bounded retries with exponential backoff and jitter on 429, 5xx, connection
errors, timeouts, truncated bodies and in-band errors. Secrets never appear in exceptions: every
message is built from the endpoint name and status, never from a URL or a requests exception.
"""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar
from urllib.parse import urlsplit

import requests

from claimledger import __version__
from claimledger.clock import SYSTEM_CLOCK, Clock
from claimledger.errors import InputError, ParseError, PubMedError
from claimledger.limits import env_number
from claimledger.pubmed.medline import (
    SearchResult,
    inband_error,
    is_complete_article_set,
    parse_epost,
    parse_esearch,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "ESEARCH_CAP",
    "EutilsClient",
    "FetchedBatch",
    "RateLimiter",
    "RequestStats",
    "client_from_env",
]

DEFAULT_BASE_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
ESEARCH_CAP = 9999  # PubMed ESearch returns at most the first 9,999 PMIDs of a query
POST_ID_THRESHOLD = 200
POST_CHARS_THRESHOLD = 1000
FETCH_BATCH = 200
EPOST_MAX = 10000
_EPOCH = date(1781, 1, 1)  # older than any PubMed record
_T = TypeVar("_T")


class RateLimiter:
    """Spaces calls at least ``interval`` seconds apart, across threads, on the given clock."""

    def __init__(self, interval: float, clock: Clock = SYSTEM_CLOCK) -> None:
        self.interval = interval
        self.clock = clock
        self._lock = threading.Lock()
        self._next = 0.0

    def wait(self) -> None:
        with self._lock:
            now = self.clock.monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        delay = start - now
        if delay > 0:
            self.clock.sleep(delay)


# One limiter per rate for the whole process, so two clients never add up past NCBI's limit.
_LIMITERS: dict[float, RateLimiter] = {}
_LIMITERS_LOCK = threading.Lock()


def _shared_limiter(interval: float, clock: Clock) -> RateLimiter:
    if clock is not SYSTEM_CLOCK:  # a virtual clock: its own limiter, spending its own time
        return RateLimiter(interval, clock)
    with _LIMITERS_LOCK:
        if interval not in _LIMITERS:
            _LIMITERS[interval] = RateLimiter(interval)
        return _LIMITERS[interval]


@dataclass
class RequestStats:
    requests: int = 0
    retries: int = 0
    by_endpoint: dict[str, int] = field(default_factory=dict)


class EutilsClient:
    """A thin, polite E-utilities client for PubMed."""

    def __init__(
        self,
        *,
        email: str,
        api_key: str | None = None,
        tool: str = "claimledger",
        base_url: str | None = None,
        timeout: float = 60.0,
        max_tries: int = 5,
        backoff: float = 1.0,
        backoff_cap: float = 60.0,
        session: requests.Session | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        if not email or "@" not in email:
            raise InputError(
                "NCBI_EMAIL is not set: NCBI asks every E-utilities client for a contact address; "
                "export NCBI_EMAIL=you@example.org"
            )
        if " " in tool:
            raise PubMedError("the E-utilities tool name must not contain spaces")
        self._common = {"tool": tool, "email": email}
        if api_key:
            self._common["api_key"] = api_key
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.timeout = timeout
        self.max_tries = max(1, max_tries)
        self.backoff = backoff
        self.backoff_cap = backoff_cap
        # Biopython found 0.333 s "sometimes hit the limit"; keep a margin.
        self.limiter = _shared_limiter(0.11 if api_key else 0.37, clock)
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = f"claimledger/{__version__}"
        self.clock = clock
        self.stats = RequestStats()

    # --- transport ----------------------------------------------------------------------------
    def _hint(self, status: int | None) -> str:
        if status == 429:
            if "api_key" not in self._common:
                return "set NCBI_API_KEY for a higher rate limit, or retry later"
            return "retry later"
        return "check your network and NCBI's status, then retry later"

    def call(
        self, endpoint: str, params: dict[str, str], *, expect_articles: bool = False
    ) -> bytes:
        """GET or POST one E-utility, retrying transient failures; return the body bytes."""
        data = {**params, **self._common}
        encoded_len = sum(len(k) + len(v) + 2 for k, v in data.items())
        post = encoded_len > POST_CHARS_THRESHOLD or params.get("id", "").count(",") >= (
            POST_ID_THRESHOLD - 1
        )
        url = f"{self.base_url}/{endpoint}"
        name = endpoint.split(".")[0]
        last_problem = "no attempt made"
        last_status: int | None = None
        for attempt in range(self.max_tries):
            if attempt:
                self.stats.retries += 1
                delay = min(self.backoff_cap, self.backoff * 2 ** (attempt - 1))
                self.clock.sleep(delay + random.uniform(0, delay / 2))
            self.limiter.wait()
            self.stats.requests += 1
            self.stats.by_endpoint[name] = self.stats.by_endpoint.get(name, 0) + 1
            try:
                if post:
                    resp = self.session.post(url, data=data, timeout=self.timeout)
                else:
                    resp = self.session.get(url, params=data, timeout=self.timeout)
                body = resp.content
            except requests.Timeout:
                last_problem, last_status = f"timed out after {self.timeout:g}s", None
                continue
            except requests.ConnectionError:
                last_problem, last_status = "connection failed or was reset", None
                continue
            except requests.RequestException as ex:
                last_problem, last_status = f"request failed ({type(ex).__name__})", None
                continue
            status = resp.status_code
            if status == 429 or status >= 500:
                last_problem, last_status = f"returned HTTP {status}", status
                continue
            if status >= 400:
                raise PubMedError(
                    f"PubMed {name} returned HTTP {status}; the request was refused "
                    "(check the claim's query and the CLAIMLEDGER_EUTILS_URL setting)"
                )
            err = inband_error(body)
            if err is not None:
                last_problem, last_status = f'reported an error: "{err}"', None
                continue
            if expect_articles and not is_complete_article_set(body):
                last_problem, last_status = "sent a truncated response", None
                continue
            return body
        raise PubMedError(
            f"PubMed {name} {last_problem} ({self.max_tries} attempts); {self._hint(last_status)}"
        )

    # --- E-utilities ----------------------------------------------------------------------------
    def esearch(
        self,
        term: str,
        *,
        retmax: int = 0,
        retstart: int = 0,
        sort: str | None = None,
        datetype: str | None = None,
        mindate: str | None = None,
        maxdate: str | None = None,
        usehistory: bool = False,
        webenv: str | None = None,
    ) -> SearchResult:
        params = {"db": "pubmed", "term": term, "retmax": str(retmax), "retstart": str(retstart)}
        if sort:
            params["sort"] = sort
        if datetype:
            params["datetype"] = datetype
        if mindate and maxdate:
            params["mindate"], params["maxdate"] = mindate, maxdate
        if usehistory:
            params["usehistory"] = "y"
        if webenv:
            params["WebEnv"] = webenv
        return self._parsed(parse_esearch, self.call("esearch.fcgi", params))

    def epost(self, ids: Sequence[str], webenv: str | None = None) -> tuple[str, str]:
        if not ids:
            raise ValueError("epost needs at least one PMID")
        if len(ids) > EPOST_MAX:
            raise ValueError(f"epost takes at most {EPOST_MAX} PMIDs per call")
        params = {"db": "pubmed", "id": ",".join(ids)}
        if webenv:
            params["WebEnv"] = webenv
        return self._parsed(parse_epost, self.call("epost.fcgi", params))

    def efetch(
        self,
        ids: Sequence[str] | None = None,
        *,
        webenv: str | None = None,
        query_key: str | None = None,
        retstart: int = 0,
        retmax: int = FETCH_BATCH,
    ) -> bytes:
        """PubMed XML for a list of PMIDs, or for a History set (webenv + query_key)."""
        params = {"db": "pubmed", "retmode": "xml"}
        if ids is not None:
            params["id"] = ",".join(ids)
        elif webenv and query_key:
            params.update(
                {
                    "WebEnv": webenv,
                    "query_key": query_key,
                    "retstart": str(retstart),
                    "retmax": str(retmax),
                }
            )
        else:
            raise ValueError("efetch needs ids or webenv + query_key")
        return self.call("efetch.fcgi", params, expect_articles=True)

    @staticmethod
    def _parsed(parse: Callable[[bytes], _T], body: bytes) -> _T:
        try:
            return parse(body)
        except ParseError as ex:
            raise PubMedError(f"PubMed sent an unexpected response: {ex}") from None

    # --- higher level -------------------------------------------------------------------------
    def count(
        self, term: str, *, datetype: str, mindate: date, maxdate: date, webenv: str | None = None
    ) -> int:
        return self.esearch(
            term, datetype=datetype, mindate=_d(mindate), maxdate=_d(maxdate), webenv=webenv
        ).count

    def search_ids(
        self,
        term: str,
        *,
        datetype: str = "pdat",
        mindate: date | None = None,
        maxdate: date | None = None,
        webenv: str | None = None,
    ) -> tuple[SearchResult, list[str]]:
        """Every PMID matching ``term`` in the date window, slicing past the 9,999 cap.

        Returns the whole-window search (count, query translation) and the PMIDs. When the count
        is over the cap the window is bisected by date until each slice fits, and the slices must
        add up to the count.
        """
        lo = mindate or _EPOCH
        hi = maxdate or date.today()
        first = self.esearch(
            term,
            retmax=ESEARCH_CAP,
            datetype=datetype,
            mindate=_d(lo),
            maxdate=_d(hi),
            webenv=webenv,
        )
        if first.count <= ESEARCH_CAP:
            return first, list(dict.fromkeys(first.ids))
        ids: list[str] = []
        total = 0
        for s_lo, s_hi, s_count in self._slices(term, datetype, lo, hi, first.count, webenv):
            if s_count == 0:
                continue
            page = self.esearch(
                term,
                retmax=ESEARCH_CAP,
                datetype=datetype,
                mindate=_d(s_lo),
                maxdate=_d(s_hi),
                webenv=webenv,
            )
            total += page.count
            ids.extend(page.ids)
        if total != first.count:
            raise PubMedError(
                f"date slices of a search add up to {total} records but PubMed reported "
                f"{first.count}; PubMed changed during the run, retry later"
            )
        return first, list(dict.fromkeys(ids))

    def _slices(
        self, term: str, datetype: str, lo: date, hi: date, count: int, webenv: str | None
    ) -> Iterator[tuple[date, date, int]]:
        if count <= ESEARCH_CAP:
            yield lo, hi, count
            return
        if lo >= hi:
            raise PubMedError(
                f"more than {ESEARCH_CAP} records on a single day ({lo.isoformat()}) for one "
                "claim's query; make the query more specific"
            )
        mid = lo + timedelta(days=(hi - lo).days // 2)
        nxt = mid + timedelta(days=1)
        left = self.count(term, datetype=datetype, mindate=lo, maxdate=mid, webenv=webenv)
        yield from self._slices(term, datetype, lo, mid, left, webenv)
        right = self.count(term, datetype=datetype, mindate=nxt, maxdate=hi, webenv=webenv)
        yield from self._slices(term, datetype, nxt, hi, right, webenv)

    def fetch_articles_xml(
        self, ids: Sequence[str], batch: int = FETCH_BATCH
    ) -> Iterator[FetchedBatch]:
        """EFetch PubMed XML for the PMIDs: a small set directly, a larger one by EPosting it to
        the History server and fetching it in batches through WebEnv/query_key."""
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), EPOST_MAX):
            chunk = unique[start : start + EPOST_MAX]
            if len(chunk) <= batch:
                yield FetchedBatch(tuple(chunk), self.efetch(chunk))
                continue
            webenv, key = self.epost(chunk)
            for offset in range(0, len(chunk), batch):
                body = self.efetch(webenv=webenv, query_key=key, retstart=offset, retmax=batch)
                yield FetchedBatch(tuple(chunk[offset : offset + batch]), body)


@dataclass(frozen=True)
class FetchedBatch:
    """One EFetch response and the PMIDs it was asked for (no secrets: safe to store)."""

    requested: tuple[str, ...]
    body: bytes


def _d(d: date) -> str:
    return d.strftime("%Y/%m/%d")


def _base_url(raw: str | None) -> str | None:
    """A mistyped host setting is refused before any request, not retried as a network failure.
    The value is not echoed: a URL can carry a password."""
    if raw is None:
        return None
    try:
        parts = urlsplit(raw.strip())
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != 0
    except ValueError:  # a port out of range, a broken [IPv6] host
        ok = False
    if not ok:
        raise InputError(
            "CLAIMLEDGER_EUTILS_URL must be an http:// or https:// URL with a host "
            "(e.g. https://eutils.ncbi.nlm.nih.gov/entrez/eutils/)"
        )
    return raw.strip()


def client_from_env(
    env: Mapping[str, str] | None = None, *, clock: Clock = SYSTEM_CLOCK
) -> EutilsClient:
    """Build a client from NCBI_EMAIL, NCBI_API_KEY, CLAIMLEDGER_EUTILS_URL and tuning variables."""
    e = os.environ if env is None else env
    return EutilsClient(
        email=e.get("NCBI_EMAIL", ""),
        api_key=e.get("NCBI_API_KEY") or None,
        base_url=_base_url(e.get("CLAIMLEDGER_EUTILS_URL") or None),
        timeout=env_number("CLAIMLEDGER_TIMEOUT", 60.0, minimum=0.001, maximum=3600, env=e),
        max_tries=int(
            env_number("CLAIMLEDGER_MAX_TRIES", 5, minimum=1, maximum=100, integer=True, env=e)
        ),
        backoff=env_number("CLAIMLEDGER_BACKOFF", 1.0, minimum=0, maximum=600, env=e),
        clock=clock,
    )
