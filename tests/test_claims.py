"""claims.yaml loading and validation: every problem at once, with file, line and claim id."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimledger.cli import cli
from claimledger.errors import ClaimsFileError
from claimledger.library.claims import load_claims, parse_claims
from claimledger.library.querysyntax import check_query

ROOT = Path(__file__).resolve().parents[1]

GOOD = """\
claims:
  - id: treats-ptsd
    statement: Ketamine reduces PTSD symptoms.
    topic: ptsd
    kind: efficacy
    polarity: asserts-benefit
    query: (Ketamine[mh] OR ketamine[tiab]) AND PTSD[tiab]
"""


def test_shipped_library_is_valid_and_covers_the_required_topics() -> None:
    lib = load_claims(ROOT / "claims.yaml")
    assert 35 <= len(lib.claims) <= 60
    topics = {c.topic for c in lib.claims}
    for needed in (
        "rapid-onset",
        "depression",
        "anxiety",
        "ptsd",
        "chronic-pain",
        "suicidal-ideation",
        "durability",
        "other-indications",
        "mechanism",
        "safety-short-term",
        "long-term-risk",
        "dependence",
        "contraindications",
        "procedure",
        "regulatory",
        "history",
    ):
        assert needed in topics, needed
    text = " ".join(c.statement.lower() for c in lib.claims)
    for word in (
        "nmda",
        "glutamate",
        "bdnf",
        "mtor",
        "neurogenesis",
        "inflammatory",
        "bladder",
        "fibromyalgia",
        "neuropathic",
        "1962",
        "2019",
        "six ketamine infusions",
        "obsessive-compulsive",
        "bipolar",
        "suicidal",
        "dissociation",
        "blood pressure",
    ):
        assert word in text, word
    for c in lib.claims:
        assert c.sources, c.id
        assert c.variants, c.id
        assert "ketamine" in c.query.lower() or "glutam" in c.query.lower(), c.id


def test_claim_version_changes_with_what_the_claim_means_only() -> None:
    a = parse_claims(GOOD).claims[0]
    c = parse_claims(GOOD + "    note: a note\n    variants: [ketamine eases PTSD]\n").claims[0]
    assert a.version == c.version
    changed = [
        GOOD.replace("reduces PTSD", "relieves PTSD"),
        GOOD.replace("PTSD[tiab]", "PTSD[ti]"),
        GOOD.replace("asserts-benefit", "asserts-fact"),
        GOOD.replace("kind: efficacy", "kind: mechanism"),
        GOOD + "    population: veterans with chronic PTSD\n",
        GOOD + "    intervention: esketamine\n",
        GOOD + "    comparator: midazolam\n",
        GOOD + "    outcome: CAPS-5 score\n",
        GOOD + "    timeframe: 24 hours\n",
    ]
    versions = {parse_claims(text).claims[0].version for text in changed}
    assert a.version not in versions and len(versions) == len(changed)


# Each row: a malformed claims file and the exact problem lines validation must report.
MALFORMED = [
    pytest.param(
        "claims:\n  - id: [unclosed\n",
        ["claims.yaml:3: YAML syntax error: expected ',' or ']', but got '<stream end>'"],
        id="yaml-syntax",
    ),
    pytest.param(
        "", ['claims.yaml:1: file is empty; expected a mapping with a "claims:" list'], id="empty"
    ),
    pytest.param(
        "- a\n- b\n",
        ['claims.yaml:1: top level must be a mapping with a "claims:" list'],
        id="top-level-list",
    ),
    pytest.param(
        "version: 1\n", ['claims.yaml:1: missing top-level "claims:" list'], id="no-claims"
    ),
    pytest.param(
        GOOD.replace("    topic: ptsd\n", ""),
        ['claims.yaml:2: claim "treats-ptsd": missing required field "topic"'],
        id="missing-field",
    ),
    pytest.param(
        GOOD + "    colour: blue\n",
        [
            'claims.yaml:8: claim "treats-ptsd": unknown field "colour" (allowed: id, statement, topic, kind, polarity, query, population, intervention, comparator, outcome, timeframe, note, variants, sources)'
        ],
        id="unknown-field",
    ),
    pytest.param(
        GOOD.replace("id: treats-ptsd", "id: Treats_PTSD"),
        [
            'claims.yaml:2: claim "Treats_PTSD": malformed id "Treats_PTSD": use lower-case letters, digits and single hyphens'
        ],
        id="malformed-id",
    ),
    pytest.param(
        GOOD + GOOD.replace("claims:\n", ""),
        ['claims.yaml:8: claim "treats-ptsd": duplicate id (first defined on line 2)'],
        id="duplicate-id",
    ),
    pytest.param(
        GOOD.replace("kind: efficacy", "kind: efficiency"),
        [
            'claims.yaml:5: claim "treats-ptsd": kind "efficiency" is not one of: efficacy, safety, mechanism, regulatory, procedure'
        ],
        id="bad-kind",
    ),
    pytest.param(
        GOOD.replace("polarity: asserts-benefit", "polarity: positive"),
        [
            'claims.yaml:6: claim "treats-ptsd": polarity "positive" is not one of: asserts-benefit, asserts-no-harm, asserts-harm, asserts-fact'
        ],
        id="bad-polarity",
    ),
    pytest.param(
        GOOD.replace("topic: ptsd", "topic: ptsd-and-more"),
        [
            'claims.yaml:4: claim "treats-ptsd": topic "ptsd-and-more" is not one of: rapid-onset, depression, anxiety, ptsd, chronic-pain, suicidal-ideation, durability, other-indications, mechanism, safety-short-term, long-term-risk, dependence, contraindications, procedure, regulatory, history, quality-of-life'
        ],
        id="bad-topic",
    ),
    pytest.param(
        GOOD.replace("statement: Ketamine reduces PTSD symptoms.", 'statement: "  "'),
        ['claims.yaml:3: claim "treats-ptsd": field "statement" is empty'],
        id="empty-statement",
    ),
    pytest.param(
        GOOD.replace("statement: Ketamine reduces PTSD symptoms.", "statement: [a, b]"),
        ['claims.yaml:3: claim "treats-ptsd": field "statement" must be a string'],
        id="statement-wrong-type",
    ),
    pytest.param(
        GOOD + "    variants: just one string\n",
        ['claims.yaml:8: claim "treats-ptsd": field "variants" must be a list of strings'],
        id="variants-not-list",
    ),
    pytest.param(
        GOOD.replace("AND PTSD[tiab]", 'AND "PTSD[tiab]'),
        ['claims.yaml:7: claim "treats-ptsd": query has an unbalanced double quote'],
        id="unbalanced-quote",
    ),
    pytest.param(
        GOOD.replace("(Ketamine[mh] OR", "((Ketamine[mh] OR"),
        ['claims.yaml:7: claim "treats-ptsd": query has unbalanced parentheses'],
        id="unbalanced-paren",
    ),
    pytest.param(
        GOOD.replace("PTSD[tiab]", "PTSD[tiabx]"),
        ['claims.yaml:7: claim "treats-ptsd": query uses an unknown field tag [tiabx]'],
        id="unknown-tag",
    ),
    pytest.param(
        GOOD.replace("AND PTSD[tiab]", "AND PTSD[tiab] OR"),
        ['claims.yaml:7: claim "treats-ptsd": query has a dangling OR at the end'],
        id="dangling-or",
    ),
    pytest.param(
        GOOD.replace("query: (Ketamine", "query: AND (Ketamine"),
        ['claims.yaml:7: claim "treats-ptsd": query has a dangling AND (nothing before it)'],
        id="dangling-and",
    ),
    pytest.param(
        GOOD.replace("OR ketamine[tiab])", "OR)"),
        ['claims.yaml:7: claim "treats-ptsd": query has a dangling OR (nothing after it)'],
        id="dangling-before-paren",
    ),
    pytest.param(
        "settings:\n  relevance_limit: lots\n" + GOOD,
        ['claims.yaml:2: setting "relevance_limit" must be a positive integer'],
        id="bad-setting",
    ),
    pytest.param(
        "claims:\n  - just a string\n",
        ["claims.yaml:2: each claim must be a mapping of fields"],
        id="claim-not-mapping",
    ),
]


@pytest.mark.parametrize(("text", "expected"), MALFORMED)
def test_malformed_file_reports_exact_problems_and_exit_2(  # type: ignore[no-untyped-def]
    claims_file,
    runner,
    text: str,
    expected: list[str],
) -> None:
    path = claims_file(text)
    with pytest.raises(ClaimsFileError) as info:
        load_claims(path)
    assert [line.replace(str(path), "claims.yaml") for line in info.value.details] == expected
    before = sorted(p.name for p in path.parent.iterdir())
    result = runner.invoke(cli, ["--claims", str(path), "claims", "validate"])
    assert result.exit_code == 2
    lines = result.stderr.replace(str(path), "claims.yaml").splitlines()
    assert lines[:-1] == expected
    n = len(expected)
    assert (
        lines[-1]
        == f"Error: claims.yaml has {n} problem{'s' if n > 1 else ''}; nothing was written"
    )
    assert result.stdout == ""
    assert sorted(p.name for p in path.parent.iterdir()) == before  # nothing written anywhere


def test_every_problem_in_a_file_is_reported_at_once(claims_file, runner) -> None:  # type: ignore[no-untyped-def]
    text = """\
claims:
  - id: a-claim
    statement: ""
    topic: nowhere
    kind: efficacy
    polarity: asserts-benefit
    query: ketamine[tiab] AND
  - id: Bad Id
    statement: Fine.
    topic: ptsd
    kind: guess
    polarity: asserts-benefit
    query: (ketamine[tiab]
  - id: a-claim
    statement: Duplicate.
    topic: ptsd
    kind: efficacy
    polarity: asserts-benefit
    query: ketamine[tiab]
"""
    path = claims_file(text)
    result = runner.invoke(cli, ["--claims", str(path), "claims", "validate"])
    assert result.exit_code == 2
    out = result.stderr.replace(str(path), "claims.yaml").splitlines()
    assert out == [
        'claims.yaml:3: claim "a-claim": field "statement" is empty',
        'claims.yaml:4: claim "a-claim": topic "nowhere" is not one of: rapid-onset, depression, anxiety, ptsd, chronic-pain, suicidal-ideation, durability, other-indications, mechanism, safety-short-term, long-term-risk, dependence, contraindications, procedure, regulatory, history, quality-of-life',
        'claims.yaml:7: claim "a-claim": query has a dangling AND at the end',
        'claims.yaml:8: claim "Bad Id": malformed id "Bad Id": use lower-case letters, digits and single hyphens',
        'claims.yaml:11: claim "Bad Id": kind "guess" is not one of: efficacy, safety, mechanism, regulatory, procedure',
        'claims.yaml:13: claim "Bad Id": query has unbalanced parentheses',
        "Error: claims.yaml has 6 problems; nothing was written",
    ]


def test_missing_claims_file_is_a_clear_error(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(cli, ["--claims", str(tmp_path / "nope.yaml"), "claims", "validate"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: claims file {tmp_path / 'nope.yaml'} not found; pass --claims PATH or run "
        "`claimledger init`\n"
    )


@pytest.mark.parametrize(
    ("query", "problems"),
    [
        ('"a b"[tiab] AND c[mh]', []),
        ('"asthma treatment"[Title:~3]', []),
        ("a and b", ['uses lower-case "and"; PubMed needs upper-case AND for a Boolean operator']),
        ("()", ["has empty parentheses ()"]),
        ("a NOT NOT b", ["has a dangling NOT (nothing before it)"]),
        ("a[tiab", ["has an unbalanced square bracket in a field tag"]),
        ("", ["is empty"]),
    ],
)
def test_query_syntax_checks(query: str, problems: list[str]) -> None:
    assert check_query(query) == problems


def test_claims_list_filters_by_topic_and_prints_json(runner) -> None:  # type: ignore[no-untyped-def]
    import json

    result = runner.invoke(
        cli, ["--claims", str(ROOT / "claims.yaml"), "claims", "list", "--topic", "ptsd", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {d["id"] for d in data} == {
        "treats-ptsd",
        "ptsd-relief-within-24-hours",
        "ptsd-trauma-memory-processing",
    }
    assert all(len(d["version"]) == 16 for d in data)
    bad = runner.invoke(
        cli, ["--claims", str(ROOT / "claims.yaml"), "claims", "list", "--topic", "nope"]
    )
    assert bad.exit_code == 2
    assert bad.stderr.startswith('Error: unknown topic "nope"; topics: rapid-onset, ')


def test_init_creates_a_valid_skeleton_and_refuses_to_overwrite(runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "product"
    result = runner.invoke(cli, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert (target / "evidence").is_dir()
    lib = load_claims(target / "claims.yaml")
    assert [c.id for c in lib.claims] == ["example-claim"]
    again = runner.invoke(cli, ["init", str(target)])
    assert again.exit_code == 2
    assert "already exists; pass --force" in again.stderr


def test_claims_add_validates_before_writing(runner, claims_file) -> None:  # type: ignore[no-untyped-def]
    path = claims_file(GOOD)
    ok = runner.invoke(
        cli,
        [
            "--claims",
            str(path),
            "claims",
            "add",
            "--id",
            "relieves-migraine",
            "--topic",
            "chronic-pain",
            "--kind",
            "efficacy",
            "--polarity",
            "asserts-benefit",
            "--statement",
            "Ketamine relieves migraine.",
            "--query",
            "ketamine[tiab] AND migraine[tiab]",
            "--variant",
            "ketamine helps migraine",
            "--source",
            "blog.md",
        ],
    )
    assert ok.exit_code == 0, ok.output
    lib = load_claims(path)
    added = lib.get("relieves-migraine")
    assert added.variants == ("ketamine helps migraine",)
    assert added.sources == ("blog.md",)
    before = path.read_text()
    bad = runner.invoke(
        cli,
        [
            "--claims",
            str(path),
            "claims",
            "add",
            "--id",
            "broken",
            "--topic",
            "ptsd",
            "--kind",
            "efficacy",
            "--polarity",
            "asserts-benefit",
            "--statement",
            "x",
            "--query",
            "(ketamine[tiab]",
        ],
    )
    assert bad.exit_code == 2
    assert 'claim "broken": query has unbalanced parentheses' in bad.stderr
    assert path.read_text() == before
    dup = runner.invoke(
        cli,
        [
            "--claims",
            str(path),
            "claims",
            "add",
            "--id",
            "treats-ptsd",
            "--topic",
            "ptsd",
            "--kind",
            "efficacy",
            "--polarity",
            "asserts-benefit",
            "--statement",
            "x",
            "--query",
            "k",
        ],
    )
    assert dup.exit_code == 2
    assert dup.stderr == f'Error: claim id "treats-ptsd" already exists in {path}\n'


def test_claims_add_prompts_for_missing_fields(runner, claims_file) -> None:  # type: ignore[no-untyped-def]
    path = claims_file(GOOD)
    answers = (
        "\n".join(
            [
                "new-claim",
                "Ketamine helps X.",
                "anxiety",
                "efficacy",
                "asserts-benefit",
                "ketamine[tiab] AND anxiety[tiab]",
            ]
        )
        + "\n"
    )
    result = runner.invoke(cli, ["--claims", str(path), "claims", "add"], input=answers)
    assert result.exit_code == 0, result.output
    assert load_claims(path).get("new-claim").topic == "anxiety"
