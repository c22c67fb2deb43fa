"""Shared fixtures. Real recorded PubMed data is read from ../shared, never copied here.

../shared is found beside the checkout (override with CLAIMLEDGER_SHARED). In CI (CI=true) a
missing ../shared fails the run; elsewhere the tests that need it skip, saying why.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
SHARED = Path(os.environ.get("CLAIMLEDGER_SHARED", ROOT.parent / "shared"))
FIXTURES = SHARED / "pubmed-fixtures"
DATA = Path(__file__).resolve().parent / "data"


def _shared_missing_reason() -> str | None:
    if FIXTURES.is_dir() and (SHARED / "seeds").is_dir():
        return None
    return (
        f"../shared not found at {SHARED} (real PubMed fixtures and seed copy live there; "
        "set CLAIMLEDGER_SHARED to its path)"
    )


def pytest_configure(config: pytest.Config) -> None:
    # A test run started in the background (`cmd &` in a script) inherits Ctrl-C ignored, and so
    # would every claimledger it starts: the Ctrl-C tests would see a run that cannot be
    # interrupted. Give the children a terminal's Ctrl-C, whatever started the tests.
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    reason = _shared_missing_reason()
    if reason and os.environ.get("CI", "").lower() == "true":
        raise pytest.UsageError(f"CI=true but {reason}")


@pytest.fixture(scope="session")
def shared() -> Path:
    reason = _shared_missing_reason()
    if reason:
        pytest.skip(reason)
    return SHARED


@pytest.fixture(scope="session")
def fixtures(shared: Path) -> Path:
    return shared / "pubmed-fixtures"


@pytest.fixture(autouse=True)
def no_real_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test ever talks to NCBI: by default E-utilities point at a closed loopback port."""
    monkeypatch.setenv("CLAIMLEDGER_EUTILS_URL", "http://127.0.0.1:9/eutils")
    monkeypatch.setenv("NCBI_EMAIL", "tests@claimledger.invalid")
    monkeypatch.delenv("NCBI_API_KEY", raising=False)
    monkeypatch.setenv("CLAIMLEDGER_BACKOFF", "0.01")
    monkeypatch.setenv("CLAIMLEDGER_TIMEOUT", "5")
    monkeypatch.setenv("CLAIMLEDGER_ACTOR", "tester")
    monkeypatch.delenv("CLAIMLEDGER_CLAIMS", raising=False)
    monkeypatch.delenv("CLAIMLEDGER_DB", raising=False)


@pytest.fixture(scope="session")
def real_records(fixtures: Path) -> dict[str, object]:
    from standin import load_records

    return load_records(fixtures)  # type: ignore[return-value]


@pytest.fixture
def standin(real_records: dict[str, object], monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A loopback E-utilities stand-in serving the real fixture records; env points at it."""
    from standin import StandIn

    server = StandIn(records=dict(real_records)).start()  # type: ignore[arg-type]
    monkeypatch.setenv("CLAIMLEDGER_EUTILS_URL", server.url)
    yield server
    server.stop()


class VirtualTimeRunner(CliRunner):
    """Invokes the CLI on a virtual clock (passed as click's obj): requests go over real sockets
    at once, while the rate limiter and backoff still compute and "spend" their delays."""

    def invoke(self, *args: Any, **kwargs: Any) -> Result:
        from virtualclock import VirtualClock

        kwargs.setdefault("obj", VirtualClock())
        return super().invoke(*args, **kwargs)


@pytest.fixture
def runner() -> CliRunner:
    return VirtualTimeRunner()


@pytest.fixture
def claims_file(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write YAML text to a claims file under tmp_path and return its path."""

    def make(text: str, name: str = "claims.yaml") -> Path:
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        return p

    return make
