"""``jobscout boards`` in-process: listing, add/remove/import, check (probes and liveness), discover; and board
liveness through real crawls (a board that keeps answering 404 goes gone and is no longer crawled; one that keeps
failing with 5xx does not). The suite's registry is tests/data/registry.csv (tests/conftest.py)."""

from __future__ import annotations

import json

import pytest

from crawler.cli import main
from tests.crawling import FIXTURES
from tests.http_server import Response
from tests.spiders import crawl


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def boards_json(capsys, *args: str) -> dict[tuple[str, str], dict]:
    code, out, err = run(capsys, "boards", "--format", "json", *args)
    assert code == 0, err
    return {(b["source"], b["token"]): b for b in json.loads(out)}


def test_a_fresh_database_lists_the_registry_boards(isolated_env, capsys):
    boards = boards_json(capsys)
    # tests/data/registry.csv: 22 rows, of which gem has no spider yet
    assert len(boards) == 21
    assert ("gem", "sabre") not in boards
    assert boards[("pinpoint", "dunder")]["company"] == "Dunder Mifflin"
    assert boards[("teamtailor", "careers.vandelay.example")]["config"] == {"host": "careers.vandelay.example"}
    assert boards[("rippling", "hooli-xyz")]["config"] == {"api": "v1"}
    assert boards[("workday", "umbrella/wd5/UmbrellaCareers")]["company"] == "Umbrella"
    assert {b["status"] for b in boards.values()} == {"active"} and {b["origin"] for b in boards.values()} == {
        "shipped"
    }
    assert boards[("lever", "fabrikam")]["config"] == {"region": "eu"}
    assert boards[("greenhouse", "stripe")]["company"] == "Stripe"
    code, out, _ = run(capsys, "boards", "--source", "greenhouse")
    assert code == 0 and "northwind" in out and "contoso" not in out
    assert "boards per source and status" in out


def test_filters_and_csv(isolated_env, capsys):
    assert set(boards_json(capsys, "--search", "ACME")) == {("ashby", "Acmeworks"), ("ashby", "acmeworks")}
    assert set(boards_json(capsys, "--source", "lever")) == {("lever", "contoso"), ("lever", "fabrikam")}
    code, out, _ = run(capsys, "boards", "--format", "csv", "--source", "workable")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("source,token,company,status,origin,config")
    assert lines[1].startswith("workable,initech,Initech,active,shipped,")


def test_add_remove_and_all(isolated_env, capsys):
    code, out, _ = run(capsys, "boards", "add", "greenhouse", "Brightpath", "--company", "Brightpath Labs")
    assert (code, out.strip()) == (0, "added greenhouse/Brightpath (active)")
    assert boards_json(capsys)[("greenhouse", "Brightpath")]["origin"] == "user"
    # Greenhouse tokens have no case: the same board
    code, out, _ = run(capsys, "boards", "add", "greenhouse", "brightpath", "--config", '{"region": "eu"}')
    assert out.strip() == "updated greenhouse/Brightpath (active)"

    code, out, _ = run(capsys, "boards", "remove", "greenhouse", "stripe")
    assert (code, out.strip()) == (0, "removed greenhouse/stripe")
    assert ("greenhouse", "stripe") not in boards_json(capsys)
    assert boards_json(capsys, "--all")[("greenhouse", "stripe")]["status"] == "removed"
    assert set(boards_json(capsys, "--status", "removed")) == {("greenhouse", "stripe")}
    # a user's add brings it back
    run(capsys, "boards", "add", "greenhouse", "stripe")
    assert boards_json(capsys)[("greenhouse", "stripe")]["status"] == "active"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["boards", "add", "monster", "acme"], "unknown board source 'monster'"),
        (["boards", "add", "lever", "acme", "--config", "{eu}"], "--config must be a JSON object"),
        (["boards", "add", "lever", "acme", "--config", "[1]"], "--config must be a JSON object"),
        (["boards", "add", "lever", " "], "the board token is empty"),
        (["boards", "remove", "lever", "nobody"], "no board lever/nobody"),
        (["boards", "--source", "hn"], "unknown board source 'hn'"),
        (["boards", "check", "--boards", "acme"], "--boards needs --source"),
        (["boards", "check", "--base-url", "ftp://x"], "--base-url must be an http(s) URL"),
        (["boards", "import", "missing.toml"], "does not exist"),
    ],
)
def test_user_mistakes_are_one_line_errors(isolated_env, capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err and "Traceback" not in err


def test_import_toml_and_csv(isolated_env, capsys):
    toml = isolated_env / "mine.toml"
    toml.write_text(
        '[[lever]]\ntoken = "globex"\ncompany = "Globex"\n\n[[lever]]\ntoken = "contoso"\nenabled = false\n'
    )
    code, out, _ = run(capsys, "boards", "import", str(toml))
    assert (code, out.strip()) == (0, f"{toml}: 1 added, 0 updated, 1 removed")
    csv_file = isolated_env / "mine.csv"
    csv_file.write_text("source,token,company\nworkable,hooli,Hooli\nlever,globex,Globex Corp\n")
    code, out, _ = run(capsys, "boards", "import", str(csv_file))
    assert out.strip() == f"{csv_file}: 1 added, 1 updated, 0 removed"
    boards = boards_json(capsys, "--all")
    assert boards[("lever", "globex")]["company"] == "Globex Corp"
    assert boards[("lever", "contoso")]["status"] == "removed"
    assert boards[("workable", "hooli")]["origin"] == "user"


def test_check_probes_and_records_answers(isolated_env, capsys, http_server):
    http_server.add("/v1/boards/stripe/jobs", '{"jobs": []}')
    http_server.add("/v1/boards/northwind/jobs", Response(b"busy", status=503))
    # tailspin is not served: the test server answers 404
    code, out, _ = run(
        capsys, "boards", "check", "--source", "greenhouse", "--base-url", http_server.url, "--rate", "0"
    )
    assert code == 1  # a board answered "no such board"
    assert "3 boards probed: 1 answered, 1 not found, 1 no answer" in out
    boards = boards_json(capsys, "--source", "greenhouse")
    assert boards[("greenhouse", "stripe")]["last_ok_at"] is not None
    assert boards[("greenhouse", "tailspin")]["consecutive_failures"] == 1
    assert boards[("greenhouse", "northwind")]["consecutive_failures"] == 0  # a 503 proves nothing
    assert boards[("greenhouse", "northwind")]["last_error"] == "HTTP 503"
    # the boards that answered were checked just now; the one that did not answer is due again
    code, out, _ = run(capsys, "boards", "check", "--source", "greenhouse", "--base-url", http_server.url)
    assert code == 0 and "1 boards probed: 0 answered, 0 not found, 1 no answer" in out
    http_server.add("/v1/boards/northwind/jobs", '{"jobs": []}')
    run(capsys, "boards", "check", "--source", "greenhouse", "--base-url", http_server.url)
    code, out, _ = run(capsys, "boards", "check", "--source", "greenhouse", "--base-url", http_server.url)
    assert (code, out.strip()) == (0, "no boards due for a check (--stale 0h checks every one)")
    code, out, _ = run(
        capsys, "boards", "check", "--source", "greenhouse", "--boards", "stripe", "--base-url", http_server.url
    )
    assert code == 0 and "1 boards probed: 1 answered" in out
    assert http_server.hits("/v1/boards/stripe/jobs") == 2


def test_check_uses_each_boards_config_for_its_host(isolated_env, capsys):
    from crawler.spiders.greenhouse import GreenhouseSpider
    from crawler.spiders.lever import LeverSpider

    assert GreenhouseSpider.board_probe_url("tailspin", {"region": "eu"}) == (
        "https://boards-api.eu.greenhouse.io/v1/boards/tailspin/jobs"
    )
    assert LeverSpider.board_probe_url("fabrikam", {"region": "eu"}).startswith("https://api.eu.lever.co/v0/")
    assert LeverSpider.board_probe_url("fabrikam", {"region": "eu"}, "http://127.0.0.1:9").startswith(
        "http://127.0.0.1:9/v0/postings/fabrikam"
    )


# --- liveness through crawls -----------------------------------------------------------------------------------


def crawl_greenhouse(http_server, tmp_path, db_url, *args):
    # Liveness's "over at least D days" is set to 0 here so that three crawls in a row can retire a board.
    return crawl(
        "greenhouse",
        "-s",
        "JOBSCOUT_GONE_AFTER_DAYS=0",
        *args,
        home=tmp_path,
        db_url=db_url,
        base_url=http_server.url,
    )


def test_a_board_that_keeps_answering_404_goes_gone_and_one_that_fails_does_not(http_server, sqlite_url, tmp_path):
    http_server.add("/v1/boards/stripe/jobs", FIXTURES / "greenhouse" / "acme.json")
    http_server.add("/v1/boards/northwind/jobs", Response(b"down for maintenance", status=500))
    # tailspin answers 404 (the test server's default for an unknown path)
    for _ in range(3):
        result = crawl_greenhouse(http_server, tmp_path, sqlite_url)
        assert result.returncode == 4, result.stderr  # partial: two boards failed, stripe is stored
    assert http_server.hits("/v1/boards/tailspin/jobs") == 3
    from storage import boards as repo
    from storage.db import open_database

    _, sessions = open_database(sqlite_url)
    with sessions() as session:
        statuses = {b.token: b.status for b in session.scalars(repo.select_boards(source="greenhouse"))}
    assert statuses == {"stripe": "active", "northwind": "active", "tailspin": "gone"}
    # the next crawl of the source leaves the gone board alone
    crawl_greenhouse(http_server, tmp_path, sqlite_url)
    assert http_server.hits("/v1/boards/tailspin/jobs") == 3
    assert http_server.hits("/v1/boards/stripe/jobs") == 4


# --- discovery ---------------------------------------------------------------------------------------------------


def feed_linking_boards() -> str:
    """A Remote OK feed (the real format) whose postings link ATS boards: one known, two new, one on the EU host."""
    notice = {"last_updated": 1786757871, "legal": "Terms."}

    def job(job_id: str, title: str, apply_url: str, description: str) -> dict:
        return {
            "slug": f"job-{job_id}",
            "id": job_id,
            "epoch": 1786700000,
            "date": "2026-08-14T09:33:20+00:00",
            "company": "Someone",
            "position": title,
            "tags": ["backend"],
            "description": description,
            "location": "Remote",
            "apply_url": apply_url,
            "url": f"https://remoteOK.com/remote-jobs/job-{job_id}",
        }

    return json.dumps(
        [
            notice,
            job("1", "Backend Engineer", "https://boards.greenhouse.io/brightpath/jobs/4001", "<p>Go services.</p>"),
            job(
                "2",
                "Platform Engineer",
                "https://remoteOK.com/apply/2",
                '<p>See <a href="https://jobs.eu.lever.co/Quillon/8f2c">our board</a> and '
                '<a href="https://job-boards.greenhouse.io/stripe">our parent</a>.</p>',
            ),
        ]
    )


def test_discover_registers_linked_boards_and_probe_verifies_them(http_server, tmp_path, capsys, monkeypatch):
    db_url = f"sqlite:///{tmp_path / 'discover.db'}"
    http_server.add("/api", feed_linking_boards())
    assert crawl("remoteok", home=tmp_path, db_url=db_url, base_url=http_server.url).returncode == 0
    monkeypatch.setenv("JOBSCOUT_CONFIG", str(tmp_path / "config.toml"))

    code, out, _ = run(capsys, "--db", db_url, "boards", "discover", "--dry-run")
    assert code == 0 and "would add 1" in out
    assert ("greenhouse", "brightpath") not in boards_json(capsys, "--db", db_url)

    http_server.add("/v1/boards/brightpath/jobs", '{"jobs": []}')
    code, out, _ = run(
        capsys, "--db", db_url, "boards", "discover", "--probe", "--base-url", http_server.url, "--rate", "0"
    )
    assert code == 0, out
    lines = out.splitlines()
    assert "greenhouse            2 boards linked, added 1" in lines  # stripe is known already
    assert "lever                 1 boards linked, added 1" in lines
    assert "probed 2 new boards: 1 answered (now active), 1 not found, 0 no answer" in out
    boards = boards_json(capsys, "--db", db_url, "--origin", "discovered")
    assert set(boards) == {("greenhouse", "brightpath"), ("lever", "Quillon")}
    assert boards[("greenhouse", "brightpath")]["status"] == "active"
    assert boards[("lever", "Quillon")]["status"] == "unverified"
    assert boards[("lever", "Quillon")]["config"] == {"region": "eu"}
    assert boards[("lever", "Quillon")]["evidence"] == "https://remoteOK.com/remote-jobs/job-2"
    # a second pass finds nothing new
    code, out, _ = run(capsys, "--db", db_url, "boards", "discover")
    assert "added 0" in out and "added 1" not in out
