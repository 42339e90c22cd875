"""crawler/commands/options.py and the shared filter options: enum values in any case with their choices listed in
--help, one --format vocabulary across commands, and help text wrapped to the terminal."""

from __future__ import annotations

import json

import click
import pytest

from crawler.cli import cli, main
from crawler.commands.filters import build_filters
from crawler.commands.options import ChoiceList, FormatChoice


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Remote", ["remote"]),
        ("REMOTE,hybrid", ["remote", "hybrid"]),
        (" onsite , Hybrid ", ["onsite", "hybrid"]),
    ],
)
def test_choice_list_is_case_insensitive_and_comma_separated(given, expected):
    assert ChoiceList(("remote", "hybrid", "onsite")).convert(given, None, None) == expected


def test_choice_list_names_the_choices_when_it_refuses():
    with pytest.raises(click.BadParameter, match=r"moon \(choose from remote, hybrid, onsite\)"):
        ChoiceList(("remote", "hybrid", "onsite")).convert("remote,moon", None, None)


def test_enum_filters_in_any_case_reach_the_query(isolated_env, capsys):
    code = main(["query", "--workplace", "Remote", "--seniority", "SENIOR,Staff", "--visa", "Yes", "--sort", "Pay",
                 "--format", "JSON"])  # fmt: skip
    assert code == 0 and json.loads(capsys.readouterr().out) == []
    ctx = click.Context(cli)
    params = {"workplace": ["remote"], "seniority": ["senior", "staff"], "currency": "eur", "exact_currency": True}
    with ctx:
        filters = build_filters(params)
    assert filters.currency == "EUR" and filters.exact_currency and filters.seniority == ["senior", "staff"]


def test_help_lists_the_choices(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    assert main(["query", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--workplace [remote|hybrid|onsite]" in out
    assert "[intern|junior|mid|senior|staff|principal|lead|manager]" in out
    assert "--sort [posted|pay|seen]" in out and "--format [table|json|jsonl|csv]" in out
    assert "TEXT" not in out.split("--workplace")[1].split("\n")[0]


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "1"],
        ["runs"],
        ["runs", "show", "1"],
        ["schedule", "list"],
        ["watch", "list"],
        ["stats"],
        ["changes"],
        ["info"],
        ["fx", "show"],
    ],
)
def test_one_format_vocabulary(isolated_env, capsys, argv):
    """table for reading and json for programs, everywhere; the old "text" still means table."""
    for fmt in ("table", "text", "json"):
        code = main([*argv, "--format", fmt])
        out, err = capsys.readouterr()
        assert "--format" not in err, (argv, fmt, err)  # accepted (the command may still fail: no posting 1)
        if fmt == "json" and code == 0:
            json.loads(out)
    assert FormatChoice(("table", "json")).convert("TEXT", None, None) == "table"


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # the top group imports its commands on first use
        command = group.get_command(ctx, name)
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("columns", [80, 100])
@pytest.mark.parametrize(
    "path",
    [(), *_commands(cli)],
    ids=lambda p: " ".join(p) or "jobscout",
)
def test_every_help_fits_the_terminal(capsys, monkeypatch, columns, path):
    monkeypatch.setenv("COLUMNS", str(columns))
    assert main([*path, "--help"]) == 0, path
    too_wide = [line for line in capsys.readouterr().out.splitlines() if len(line) > columns]
    assert too_wide == []
