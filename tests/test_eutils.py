"""The E-utilities client over a real socket on 127.0.0.1, serving real recorded bodies.

Nothing patches the client or requests: faults are produced by the server (the stand-in or
pytest-httpserver) and pacing is measured from the server's own request timestamps.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from standin import Fault, StandIn
from virtualclock import VirtualClock
from werkzeug import Request, Response

from claimledger.clock import SYSTEM_CLOCK
from claimledger.errors import InputError, PubMedError
from claimledger.pubmed.eutils import EutilsClient

SECRET_KEY = "SECRETKEY0123456789"
SECRET_MAIL = "secret.person@example.org"


def make_client(url: str, **kw: object) -> EutilsClient:
    """A client on a virtual clock (no waiting for the limiter or backoff) unless given one."""
    opts: dict[str, object] = {
        "email": SECRET_MAIL,
        "base_url": url,
        "backoff": 0.01,
        "timeout": 2.0,
        "clock": VirtualClock(),
    }
    opts.update(kw)
    return EutilsClient(**opts)  # type: ignore[arg-type]


def test_polite_parameters_on_every_call(httpserver, fixtures: Path) -> None:  # type: ignore[no-untyped-def]
    body = (fixtures / "biopython_Entrez_esearch1.xml").read_bytes()
    httpserver.expect_request(
        "/esearch.fcgi",
        query_string={
            "db": "pubmed",
            "term": "biopython",
            "retmax": "0",
            "retstart": "0",
            "tool": "claimledger",
            "email": SECRET_MAIL,
        },
    ).respond_with_data(body, content_type="text/xml")
    client = make_client(httpserver.url_for("").rstrip("/"))
    res = client.esearch("biopython")
    assert res.count == 63 and len(res.ids) == 20
    assert res.query_translation
    httpserver.check_assertions()
    assert client.stats.requests == 1 and client.stats.retries == 0


def test_api_key_is_sent_and_never_shown(httpserver) -> None:  # type: ignore[no-untyped-def]
    seen: list[dict[str, str]] = []

    def handler(request: Request) -> Response:
        seen.append(dict(request.args))
        return Response("busy", status=503)

    httpserver.expect_request("/esearch.fcgi").respond_with_handler(handler)
    client = make_client(httpserver.url_for("").rstrip("/"), api_key=SECRET_KEY, max_tries=2)
    with pytest.raises(PubMedError) as info:
        client.esearch("ketamine")
    assert seen and all(s["api_key"] == SECRET_KEY and s["email"] == SECRET_MAIL for s in seen)
    msg = str(info.value)
    assert SECRET_KEY not in msg and SECRET_MAIL not in msg
    assert (
        msg
        == "PubMed esearch returned HTTP 503 (2 attempts); check your network and NCBI's status, then retry later"
    )


def test_pacing_never_exceeds_three_per_second_without_key(standin: StandIn) -> None:
    client = make_client(standin.url, clock=SYSTEM_CLOCK)  # real time: the server's clock judges
    for _ in range(10):
        client.esearch("ketamine[tiab]")
    assert len(standin.log) == 10
    assert standin.max_per_second() <= 3
    span = standin.log[-1].at - standin.log[0].at
    assert span >= 9 * 0.33  # the limiter really spaced them


def test_with_api_key_pacing_is_at_most_ten_per_second(standin: StandIn) -> None:
    client = make_client(standin.url, api_key=SECRET_KEY, clock=SYSTEM_CLOCK)
    for _ in range(25):
        client.esearch("ketamine[tiab]")
    assert 3 < standin.max_per_second() <= 10


def test_two_clients_share_one_rate_limiter(standin: StandIn) -> None:
    a, b = (
        make_client(standin.url, clock=SYSTEM_CLOCK),
        make_client(standin.url, clock=SYSTEM_CLOCK),
    )
    for _ in range(4):
        a.esearch("x[tiab]")
        b.esearch("x[tiab]")
    assert standin.max_per_second() <= 3


def test_limiter_spaces_calls_on_its_clock(standin: StandIn) -> None:
    """The same limiter on a virtual clock: ten calls back to back cost nine intervals."""
    clock = VirtualClock()
    client = make_client(standin.url, clock=clock)
    for _ in range(10):
        client.esearch("ketamine[tiab]")
    assert len(standin.log) == 10
    assert clock.now == pytest.approx(9 * client.limiter.interval)
    assert client.limiter.interval >= 1 / 3


def test_backoff_doubles_up_to_its_cap(standin: StandIn) -> None:
    standin.queue(*[Fault("503") for _ in range(4)])
    clock = VirtualClock()
    client = make_client(standin.url, clock=clock, backoff=1.0, max_tries=5, api_key=SECRET_KEY)
    client.backoff_cap = 3.0
    assert client.esearch("ketamine[tiab]").count >= 0
    waits = [s for s in clock.sleeps if s > client.limiter.interval]  # the limiter's are shorter
    assert len(waits) == 4
    for got, base in zip(waits, (1.0, 2.0, 3.0, 3.0), strict=True):
        assert base <= got <= base * 1.5  # plus jitter of up to half the delay


@pytest.mark.parametrize(
    ("faults", "tries", "requests"),
    [
        ([Fault("429"), Fault("429"), Fault("429")], 5, 4),
        ([Fault("503"), Fault("500")], 5, 3),
        ([Fault("reset")], 3, 2),
        ([Fault("slow", delay=3.0)], 3, 2),
        ([Fault("inband")], 3, 2),
        ([Fault("truncate", endpoint="efetch")], 3, 2),
    ],
    ids=["429-burst", "5xx", "connection-reset", "timeout", "in-band-error", "truncated-body"],
)
def test_transient_failures_are_retried_then_succeed(
    standin: StandIn, faults: list[Fault], tries: int, requests: int
) -> None:
    standin.queue(*faults)
    client = make_client(standin.url, max_tries=tries, timeout=1.0)
    if faults[0].endpoint == "efetch":
        body = client.efetch(["38011560"])
        assert body.rstrip().endswith(b"</PubmedArticleSet>")
    else:
        assert client.esearch('"Ketamine"[mh]').count >= 1
    assert len(standin.log) == requests
    assert client.stats.retries == requests - 1


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        (
            "429",
            "PubMed esearch returned HTTP 429 (3 attempts); set NCBI_API_KEY for a higher rate limit, or retry later",
        ),
        (
            "503",
            "PubMed esearch returned HTTP 503 (3 attempts); check your network and NCBI's status, then retry later",
        ),
        (
            "reset",
            "PubMed esearch connection failed or was reset (3 attempts); check your network and NCBI's status, then retry later",
        ),
        (
            "inband",
            'PubMed esearch reported an error: "Search Backend failed: Database is not supported: pubmed" (3 attempts); check your network and NCBI\'s status, then retry later',
        ),
    ],
)
def test_persistent_failures_end_in_our_error_after_bounded_tries(
    standin: StandIn, fault: str, message: str
) -> None:
    standin.queue(*[Fault(fault) for _ in range(10)])
    client = make_client(standin.url, max_tries=3)
    with pytest.raises(PubMedError) as info:
        client.esearch("ketamine")
    assert str(info.value) == message
    assert len(standin.log) == 3
    assert SECRET_MAIL not in str(info.value)


def test_timeouts_are_bounded(standin: StandIn) -> None:
    standin.queue(*[Fault("slow", delay=1.5) for _ in range(3)])
    client = make_client(standin.url, max_tries=2, timeout=0.5)
    t = time.monotonic()
    with pytest.raises(PubMedError, match=r"timed out after 0.5s \(2 attempts\)"):
        client.esearch("ketamine")
    assert time.monotonic() - t < 5


def test_other_4xx_is_not_retried(standin: StandIn) -> None:
    standin.queue(Fault("400"), Fault("400"))
    client = make_client(standin.url, max_tries=5)
    with pytest.raises(PubMedError, match="returned HTTP 400; the request was refused"):
        client.esearch("ketamine")
    assert len(standin.log) == 1


def test_post_above_200_ids_and_history_fetch(standin: StandIn) -> None:
    ids = sorted(standin.records)[:250]
    client = make_client(standin.url, api_key=SECRET_KEY)
    batches = list(client.fetch_articles_xml(ids, batch=200))
    assert [len(b.requested) for b in batches] == [200, 50]
    epost = standin.requests_to("epost")
    assert len(epost) == 1 and epost[0].method == "POST"
    assert epost[0].params["id"].count(",") == 249
    fetches = standin.requests_to("efetch")
    assert [f.params["retstart"] for f in fetches] == ["0", "200"]
    assert all("WebEnv" in f.params and f.params["query_key"] == "1" for f in fetches)
    direct = client.efetch(ids[:201])
    assert direct.count(b"<PubmedArticle>") == 201
    assert standin.requests_to("efetch")[-1].method == "POST"
    small = client.efetch(ids[:3])
    assert small.count(b"<PubmedArticle>") == 3
    assert standin.requests_to("efetch")[-1].method == "GET"


def test_long_terms_are_posted(standin: StandIn) -> None:
    client = make_client(standin.url)
    term = " OR ".join(f"term{i}[tiab]" for i in range(120))
    client.esearch(term)
    assert standin.log[-1].method == "POST"


def test_date_slicing_past_the_cap_adds_up(standin: StandIn) -> None:
    # The server claims 25,000 hits across 2000-2023 (6,000 per six-year slice, spread evenly
    # by year); the client must bisect until each slice fits and check the slices add up.
    def per_window(term: str, params: dict[str, str]) -> int | None:
        lo = int(params.get("mindate", "2000")[:4])
        hi = int(params.get("maxdate", "2023")[:4])
        years = max(0, min(hi, 2023) - max(lo, 2000) + 1)
        return round(25000 * years / 24)

    standin.count_override = per_window
    client = make_client(standin.url, api_key=SECRET_KEY)
    res, ids = client.search_ids("ketamine", mindate=date(2000, 1, 1), maxdate=date(2023, 12, 31))
    assert res.count == 25000
    assert "38011560" in ids and set(ids) <= set(standin.records)  # the real matches, once each
    assert len(ids) == len(set(ids))
    windows = [(r.params["mindate"], r.params["maxdate"]) for r in standin.requests_to("esearch")]
    assert windows[0] == ("2000/01/01", "2023/12/31")
    # every slice that was paged fits under the cap
    assert all((per_window("", {"mindate": a, "maxdate": b}) or 0) <= 9999 for a, b in windows[-3:])


def test_slices_that_do_not_add_up_are_an_error(standin: StandIn) -> None:
    calls = {"n": 0}

    def shifty(term: str, params: dict[str, str]) -> int | None:
        calls["n"] += 1
        return 25000 if calls["n"] == 1 else 7000

    standin.count_override = shifty
    client = make_client(standin.url, api_key=SECRET_KEY)
    with pytest.raises(
        PubMedError,
        match="date slices of a search add up to 14000 records but PubMed reported 25000",
    ):
        client.search_ids("ketamine", mindate=date(2000, 1, 1), maxdate=date(2023, 12, 31))


def test_missing_email_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="NCBI_EMAIL is not set"):
        EutilsClient(email="")
