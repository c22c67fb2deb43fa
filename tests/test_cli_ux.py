"""What a new user meets at the command line: messages, plurals, prompts, pipes, the README table."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest

from claimledger.cli import cli
from claimledger.errors import ExitStatus

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()

CLAIM = """\
claims:
  - id: treats-ptsd
    statement: Ketamine reduces the symptoms of PTSD.
    topic: ptsd
    kind: efficacy
    polarity: asserts-benefit
    query: ketamine[tiab] AND PTSD[tiab]
"""


def _command(words: list[str]) -> click.Command:
    cmd: click.Command = cli
    for w in words:
        if isinstance(cmd, click.Group) and w in cmd.commands:
            cmd = cmd.commands[w]
    if isinstance(cmd, click.Group) and "walk" in cmd.commands:  # `review CLAIM` runs walk
        cmd = cmd.commands["walk"]
    return cmd


def _table_rows() -> list[str]:
    return re.findall(r"^\| `claimledger ([^`]*)` \|", README, flags=re.M)


@pytest.mark.parametrize("row", _table_rows())
def test_every_option_in_the_readme_command_table_exists(row: str) -> None:
    cmd = _command(row.split())
    have = {o for p in cmd.params for o in p.opts}
    named = set(re.findall(r"--[a-z][a-z-]*", row))
    assert named <= have, f"`claimledger {row}` names options the command lacks"
    if not row.startswith("claims add"):  # its many field options are "all fields as options"
        missing = {o for o in have if o.startswith("--") and o != "--help"} - named
        assert not missing, f"`claimledger {row}` leaves out {sorted(missing)}"


def test_every_exit_status_is_in_help_and_readme(runner) -> None:  # type: ignore[no-untyped-def]
    out = runner.invoke(cli, ["--help"]).output
    for status in ExitStatus:
        assert f"\n    {int(status)}  " in out, status
        assert f"\n| {int(status)} |" in README, status


def test_output_closed_early_stops_quietly(tmp_path: Path) -> None:
    """`claimledger ... | head`: the reader went away; no `Error: ... Broken pipe`, exit 141."""
    (tmp_path / "claims.yaml").write_text(CLAIM, encoding="utf-8")
    read_end, write_end = os.pipe()
    os.close(read_end)  # every write to stdout now fails with EPIPE
    try:
        p = subprocess.run(
            [sys.executable, "-m", "claimledger", "claims", "list", "--json"],
            cwd=tmp_path,
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write_end)
    assert p.stderr == ""
    assert p.returncode == int(ExitStatus.OUTPUT_CLOSED) == 141


def test_a_prompt_at_the_end_of_input_is_one_error_line(runner, claims_file) -> None:  # type: ignore[no-untyped-def]
    path = claims_file(CLAIM)
    before = path.read_text()
    result = runner.invoke(cli, ["--claims", str(path), "claims", "add", "--id", "x"], input="")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: the input ended before every question was answered; give the answers as "
        "options (see --help) or run the command in a terminal"
    ]
    assert result.stdout.endswith("\n")  # the prompt's line is ended before the error
    assert path.read_text() == before


def test_report_counts_one_file_in_the_singular(runner, claims_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from claimledger.ledger.store import open_ledger

    path = claims_file(CLAIM)
    db = tmp_path / "evidence" / "ledger.db"
    open_ledger(db).close()  # an empty ledger: the report has one page per format still
    out = tmp_path / "out"
    result = runner.invoke(
        cli,
        ["--claims", str(path), "--db", str(db), "report", "--format", "md", "--output", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Wrote 1 file to {out}/\n"
    assert sorted(p.name for p in out.iterdir()) == [".claimledger-report.json", "report.md"]


def test_a_rerun_report_matches_the_library_and_keeps_every_file_it_did_not_write(  # type: ignore[no-untyped-def]
    runner, claims_file, tmp_path: Path
) -> None:
    """Pages of claims removed from the library go on the next run; files the report did not
    write (a user's notes, a page the user edited, another format's output) stay."""
    from claimledger.ledger.store import open_ledger

    second = CLAIM.split("claims:\n")[1].replace("treats-ptsd", "second-claim")
    third = second.replace("second-claim", "third-claim")
    path = claims_file(CLAIM + second + third)
    db = tmp_path / "evidence" / "ledger.db"
    open_ledger(db).close()
    out = tmp_path / "out"
    base = ["--claims", str(path), "--db", str(db), "report", "--output", str(out)]
    assert runner.invoke(cli, base).exit_code == 0
    assert runner.invoke(cli, [*base, "--format", "csv"]).exit_code == 0
    (out / "notes.txt").write_text("mine")
    (out / "claims" / "my-page.html").write_text("mine too")
    edited = out / "claims" / "third-claim.html"
    edited.write_text(edited.read_text() + "<!-- reviewer's note -->")
    path.write_text(CLAIM)  # second-claim and third-claim leave the library
    result = runner.invoke(cli, base)
    assert result.exit_code == 0, result.output
    pages = sorted(p.name for p in (out / "claims").iterdir())
    assert pages == ["my-page.html", "third-claim.html", "treats-ptsd.html"]
    assert (out / "notes.txt").read_text() == "mine" and (out / "claims.csv").is_file()
    assert result.stderr == (
        f"Kept claims/third-claim.html: the previous report wrote it, but it was changed since\n"
        f"Wrote 2 files to {out}/ (removed 1 the previous report wrote that this one does not)\n"
    )
    assert runner.invoke(cli, base).stderr == f"Wrote 2 files to {out}/\n"  # kept: the user's
    assert edited.is_file()


def test_a_claims_file_not_in_utf8_says_so(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "claims.yaml"
    path.write_bytes(CLAIM.replace("PTSD.", "PTSD \xe9.").encode("latin-1"))
    result = runner.invoke(cli, ["--claims", str(path), "claims", "validate"])
    at = CLAIM.index("PTSD.") + len("PTSD ")  # where the Latin-1 \xe9 sits
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: cannot read claims file {path}: not UTF-8 text (byte {at}); save it as UTF-8\n"
    )


def test_a_damaged_pdf_is_one_error_line(runner, claims_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = claims_file(CLAIM)
    pdf = tmp_path / "copy.pdf"
    pdf.write_text("not a pdf at all\n")
    result = runner.invoke(cli, ["--claims", str(path), "check", str(pdf)])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"Error: cannot read {pdf}: not a valid PDF (damaged, or not a PDF at all);"
        " export it again as .pdf, .docx or .txt"
    ]


@pytest.mark.parametrize(
    ("fmt", "summary"),
    [
        ("text", ": 1 claim-like sentence, 1 matched,"),
        ("md", "\n1 claim-like sentence · 1 matched ·"),
        ("html", "<p>1 claim-like sentence · 1 matched ·"),
    ],
)
def test_check_summary_counts_one_sentence_in_the_singular(  # type: ignore[no-untyped-def]
    runner, claims_file, tmp_path: Path, fmt: str, summary: str
) -> None:
    path = claims_file(CLAIM)
    copy = tmp_path / "page.txt"
    copy.write_text("Ketamine reduces the symptoms of PTSD.\n")
    args = ["--claims", str(path), "--db", str(tmp_path / "no.db"), "check", str(copy)]
    result = runner.invoke(cli, [*args, "--format", fmt])
    assert result.exit_code == 0, result.output
    assert summary in result.stdout


def test_suggest_with_nothing_to_draft_says_so(runner, claims_file, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = claims_file(CLAIM)
    copy = tmp_path / "page.txt"
    copy.write_text("Ketamine reduces the symptoms of PTSD.\n")
    args = ["--claims", str(path), "--db", str(tmp_path / "no.db"), "check", str(copy), "--suggest"]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(
        "\n# Every claim-like sentence matched the library: no claims to draft.\n"
    )


def test_import_and_verify_count_in_the_singular(  # type: ignore[no-untyped-def]
    runner, claims_file, fixtures: Path, tmp_path: Path
) -> None:
    path = claims_file(CLAIM)
    base = ["--claims", str(path), "--db", str(tmp_path / "ledger.db")]
    one = fixtures / "fatcat_pubmed_19129924.xml"  # a real PubMed record, one article
    result = runner.invoke(cli, [*base, "import", str(one), "--claim", "treats-ptsd"])
    assert result.exit_code == 0, result.output
    assert (
        result.stdout
        == f"Imported 1 record from {one} (xml) under treats-ptsd: 1 new, 1 new link.\n"
    )
    heads = str(tmp_path / "heads.txt")
    assert runner.invoke(cli, [*base, "audit", "checkpoint", "--output", heads]).exit_code == 0
    verify = runner.invoke(cli, [*base, "audit", "verify", "--checkpoint", heads])
    assert verify.exit_code == 0, verify.output
    assert re.match(
        r"audit trail intact: \d+ entries and \d+ rows verified, 1 checkpoint;", verify.stdout
    )


def test_audit_log_of_a_claim_without_entries_says_so(  # type: ignore[no-untyped-def]
    runner, claims_file, fixtures: Path, tmp_path: Path
) -> None:
    path = claims_file(CLAIM)
    base = ["--claims", str(path), "--db", str(tmp_path / "ledger.db")]
    one = fixtures / "fatcat_pubmed_19129924.xml"
    assert runner.invoke(cli, [*base, "import", str(one), "--claim", "treats-ptsd"]).exit_code == 0
    some = runner.invoke(cli, [*base, "audit", "log", "--claim", "treats-ptsd"])
    assert some.exit_code == 0 and "claim:treats-ptsd" in some.stdout and some.stderr == ""
    none = runner.invoke(cli, [*base, "audit", "log", "--claim", "treats-ptds"])
    assert none.exit_code == 0
    assert (none.stdout, none.stderr) == ("", 'no audit entries about claim "treats-ptds"\n')


@pytest.mark.parametrize(
    "url",
    ["notaurl", "eutils.ncbi.nlm.nih.gov/entrez", "ftp://host/", "http://:80/", "http://h:99999/"],
)
def test_a_mistyped_eutils_url_is_refused_before_any_request(  # type: ignore[no-untyped-def]
    runner, claims_file, tmp_path: Path, url: str
) -> None:
    path = claims_file(CLAIM)
    db = tmp_path / "evidence" / "ledger.db"
    env = {"NCBI_EMAIL": "test@claimledger.invalid", "CLAIMLEDGER_EUTILS_URL": url}
    result = runner.invoke(cli, ["--claims", str(path), "--db", str(db), "refresh"], env=env)
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: CLAIMLEDGER_EUTILS_URL must be an http:// or https:// URL with a host "
        "(e.g. https://eutils.ncbi.nlm.nih.gov/entrez/eutils/)\n"
    )
    assert not db.exists()  # refused before the ledger was opened


def test_the_eutils_url_setting_keeps_a_good_url(  # type: ignore[no-untyped-def]
    standin, runner, claims_file, tmp_path: Path
) -> None:
    path = claims_file(CLAIM)
    db = tmp_path / "ledger.db"
    env = {"NCBI_EMAIL": "test@claimledger.invalid", "CLAIMLEDGER_EUTILS_URL": f" {standin.url}/ "}
    result = runner.invoke(cli, ["--claims", str(path), "--db", str(db), "refresh"], env=env)
    assert result.exit_code == 0, result.output
    assert standin.requests_to("esearch")


def test_show_lists_the_query_and_the_searches_its_help_promises(  # type: ignore[no-untyped-def]
    standin, runner, claims_file, tmp_path: Path
) -> None:
    path = claims_file(CLAIM)
    base = ["--claims", str(path), "--db", str(tmp_path / "ledger.db")]
    env = {"NCBI_EMAIL": "test@claimledger.invalid"}
    assert runner.invoke(cli, [*base, "refresh"], env=env).exit_code == 0
    assert "searches" in runner.invoke(cli, ["show", "--help"]).output
    result = runner.invoke(cli, [*base, "show", "treats-ptsd"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "Query: ketamine[tiab] AND PTSD[tiab]" in lines
    at = lines.index("Latest searches:")
    searches = [ln for ln in lines[at + 1 :] if ln.startswith("  ") and " search, " in ln]
    assert searches and all(re.search(r": \d+ records?$", ln) for ln in searches)


def _one_schema_step_behind(runner, base: list[str], db: Path) -> str:  # type: ignore[no-untyped-def]
    """A ledger as claimledger wrote it before migration m004 (no assessments yet, so none
    has a value in the column that migration adds); returns its audit head."""
    import sqlite3

    from claimledger.ledger.store import open_ledger

    open_ledger(db).close()
    assert runner.invoke(cli, [*base, "grade"]).exit_code == 0
    head: str = runner.invoke(cli, [*base, "audit", "checkpoint"]).stdout
    assert head
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm004_assessment_indirect'")
        conn.execute("ALTER TABLE assessments DROP COLUMN indirect")
    conn.close()
    return head


def _last_entry(runner, base: list[str]) -> dict[str, object]:  # type: ignore[no-untyped-def]
    import json

    entries: list[dict[str, object]] = json.loads(
        runner.invoke(cli, [*base, "audit", "log", "--json"]).stdout
    )
    return entries[-1]


def test_a_ledger_one_schema_step_behind_says_what_upgrading_does(  # type: ignore[no-untyped-def]
    runner, claims_file, tmp_path: Path
) -> None:
    """Reading commands refuse it in one line naming the exact command; that command upgrades
    it, recorded in the audit chain, and the chain up to the old head still verifies."""
    import json
    import shlex

    path = claims_file(CLAIM)
    db = tmp_path / "ledger.db"
    base = ["--claims", str(path), "--db", str(db)]
    heads = tmp_path / "heads.txt"
    heads.write_text(_one_schema_step_behind(runner, base, db))
    refused = runner.invoke(cli, [*base, "show", "treats-ptsd"])
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"Error: {db} was written by an older claimledger; upgrade it once with `claimledger "
        f"--db {db} audit upgrade` (it adds what this version stores; no recorded data changes), "
        "then read it\n"
    )
    command = shlex.split(refused.stderr.split("`")[1])
    assert command[0] == "claimledger"
    assert runner.invoke(cli, command[1:]).exit_code == 0
    last = _last_entry(runner, base)
    assert last["action"] == "ledger.upgrade" and last["actor"] == "tester"
    assert json.loads(str(last["details"]))["migrations"] == ["m004_assessment_indirect"]
    verify = runner.invoke(cli, [*base, "audit", "verify", "--checkpoint", str(heads)])
    assert verify.exit_code == 0, verify.output
    assert runner.invoke(cli, [*base, "show", "treats-ptsd"]).exit_code == 0


def test_refresh_upgrades_an_older_ledger_itself_inside_its_lock(  # type: ignore[no-untyped-def]
    standin, runner, claims_file, tmp_path: Path
) -> None:
    """The scheduled job needs no `audit upgrade`: it applies pending migrations once it holds
    the writer lock (never before: busy, it leaves the ledger as it was) and records them."""
    import json
    import sqlite3

    from claimledger.service.session import ledger_lock

    path = claims_file(CLAIM)
    db = tmp_path / "ledger.db"
    base = ["--claims", str(path), "--db", str(db)]
    _one_schema_step_behind(runner, base, db)

    def pending() -> bool:
        with sqlite3.connect(db) as conn:
            names = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
        conn.close()
        return "m004_assessment_indirect" not in names

    env = {**os.environ, "NCBI_EMAIL": "test@claimledger.invalid"}
    held = ledger_lock(db, 0)  # another refresh is running
    try:
        busy = subprocess.run(
            [sys.executable, "-m", "claimledger", *base, "refresh"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        held.release()
    assert busy.returncode == 5 and busy.stderr.startswith("Error: another refresh"), busy.stderr
    assert pending()
    res = runner.invoke(cli, [*base, "refresh"], env={"NCBI_EMAIL": "test@claimledger.invalid"})
    assert res.exit_code == 0, res.output
    assert not pending()
    log = json.loads(runner.invoke(cli, [*base, "audit", "log", "--json"]).stdout)
    actions = [e["action"] for e in log]
    at = actions.index("ledger.upgrade")
    assert actions[at + 1] == "run.start"  # before the refresh's first write, in the same lock
    assert json.loads(log[at]["details"])["migrations"] == ["m004_assessment_indirect"]
    assert runner.invoke(cli, [*base, "audit", "verify"]).exit_code == 0
    assert runner.invoke(cli, [*base, "show", "treats-ptsd"]).exit_code == 0


@pytest.mark.parametrize(
    "command",
    [
        ["grade"],
        [
            "review",
            "set",
            "treats-ptsd",
            "12345678",
            "--stance",
            "supports",
            "--by",
            "r@example.org",
        ],
        ["approve", "treats-ptsd", "--by", "r@example.org"],
        ["audit", "upgrade"],
    ],
)
def test_ledger_writers_migrate_and_write_only_inside_the_writer_lock(  # type: ignore[no-untyped-def]
    runner, claims_file, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    """An older ledger is migrated only inside the writer lock: while a refresh holds it,
    grade/review/approve/upgrade wait, then give up with exit 5 and leave the ledger exactly
    as it was (not migrated under the refresh's feet)."""
    import sqlite3

    from claimledger.service import session
    from claimledger.service.session import ledger_lock

    monkeypatch.setattr(session, "UPGRADE_LOCK_WAIT", 0.2)
    path = claims_file(CLAIM)
    db = tmp_path / "ledger.db"
    base = ["--claims", str(path), "--db", str(db)]
    _one_schema_step_behind(runner, base, db)
    before = db.read_bytes()
    held = ledger_lock(db, 0)  # a refresh is running
    try:
        busy = runner.invoke(cli, [*base, *command], input="y\n")
    finally:
        held.release()
    assert busy.exit_code == 5, busy.output
    assert busy.stderr.startswith("Error: another refresh"), busy.stderr
    assert "--wait" not in busy.stderr  # these commands have no --wait to suggest
    assert db.read_bytes() == before
    with sqlite3.connect(db) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")}
    conn.close()
    assert "m004_assessment_indirect" not in names


def test_an_import_only_claim_is_stale_only_once_its_import_ages(  # type: ignore[no-untyped-def]
    runner, claims_file, fixtures: Path, tmp_path: Path
) -> None:
    """A claim whose evidence came from a PubMed export, never from a refresh, is dated by its
    last import; a claim with neither has nothing to date and stays stale."""
    import json
    from datetime import date, timedelta

    from claimledger.ledger.store import open_ledger
    from claimledger.library.claims import load_claims
    from claimledger.service.grading import dossier

    never = CLAIM.split("claims:\n")[1].replace("treats-ptsd", "never-searched")
    path = claims_file(CLAIM + never)
    db = tmp_path / "ledger.db"
    base = ["--claims", str(path), "--db", str(db)]
    one = fixtures / "fatcat_pubmed_19129924.xml"
    assert runner.invoke(cli, [*base, "import", str(one), "--claim", "treats-ptsd"]).exit_code == 0
    shown = json.loads(runner.invoke(cli, [*base, "show", "treats-ptsd", "--json"]).stdout)
    assert (shown["stale"], shown["last_refresh"]) == (False, None)
    assert shown["last_import"] == date.today().isoformat()
    text = runner.invoke(cli, [*base, "show", "treats-ptsd"]).stdout
    assert f"last refresh never (last import {date.today().isoformat()})" in text
    assert json.loads(runner.invoke(cli, [*base, "show", "never-searched", "--json"]).stdout)[
        "stale"
    ]
    library, ledger = load_claims(path), open_ledger(db, readonly=True)
    later = date.today() + timedelta(days=library.settings.stale_after_days + 1)
    assert dossier(library, ledger, library.get("treats-ptsd"), today=later).stale
    ledger.close()


def test_one_rule_names_the_actor_of_every_entry(  # type: ignore[no-untyped-def]
    runner, claims_file, fixtures: Path, tmp_path: Path, monkeypatch
) -> None:
    """--actor, else CLAIMLEDGER_ACTOR, else the OS account the process runs as (LOGNAME and
    USER, which anyone can set, are not asked): for the service's entries and the ledger's alike."""
    import json

    from claimledger.ledger.audit import os_user

    path = claims_file(CLAIM)
    base = ["--claims", str(path), "--db", str(tmp_path / "ledger.db")]
    one = str(fixtures / "fatcat_pubmed_19129924.xml")

    def actors_of(*args: str) -> set[str]:
        seen = len(json.loads(runner.invoke(cli, [*base, "audit", "log", "--json"]).stdout or "[]"))
        assert (
            runner.invoke(cli, [*args, *base, "import", one, "--claim", "treats-ptsd"]).exit_code
            == 0
        )
        log = json.loads(runner.invoke(cli, [*base, "audit", "log", "--json"]).stdout)
        return {e["actor"] for e in log[seen:]}

    monkeypatch.delenv("CLAIMLEDGER_ACTOR")
    monkeypatch.setenv("LOGNAME", f"not-{os_user()}")
    monkeypatch.setenv("USER", f"not-{os_user()}")
    assert actors_of() == {os_user()}
    monkeypatch.setenv("CLAIMLEDGER_ACTOR", "nightly job")
    assert actors_of() == {"nightly job"}
    assert actors_of("--actor", "A. Writer") == {"A. Writer"}
    for bad in ("Ann\n   99 approval", "Ann\x1b[2J"):
        refused = runner.invoke(
            cli, ["--actor", bad, *base, "import", one, "--claim", "treats-ptsd"]
        )
        assert refused.exit_code == 2 and refused.stderr == (
            "Error: --actor must be a printed name on one line (at most 200 characters)\n"
        )
    monkeypatch.setenv("CLAIMLEDGER_ACTOR", "Ann\nBob")
    assert runner.invoke(cli, [*base, "grade"]).stderr.startswith("Error: CLAIMLEDGER_ACTOR must")
    help_text = " ".join(runner.invoke(cli, ["--help"]).output.split())
    assert "--actor NAME" in help_text
    assert "default: CLAIMLEDGER_ACTOR, else the OS account" in help_text


def test_a_keyed_older_ledger_waits_for_a_writer_with_the_key(  # type: ignore[no-untyped-def]
    runner, claims_file, tmp_path: Path, monkeypatch
) -> None:
    """A writer without the audit key is refused before it changes the schema, so the upgrade is
    left to one that can record it."""
    import sqlite3

    monkeypatch.setenv("CLAIMLEDGER_AUDIT_KEY", "audit-key-for-tests-upgrade-0123456789abcdef")
    path = claims_file(CLAIM)
    db = tmp_path / "ledger.db"
    base = ["--claims", str(path), "--db", str(db)]
    _one_schema_step_behind(runner, base, db)
    monkeypatch.delenv("CLAIMLEDGER_AUDIT_KEY")
    refused = runner.invoke(cli, [*base, "grade"])
    assert refused.exit_code == 2 and "carry an HMAC" in refused.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM pragma_table_info('assessments') "
                            "WHERE name = 'indirect'").fetchone() == (0,)  # fmt: skip
    conn.close()
