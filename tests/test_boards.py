"""crawler.boards and storage.boards: loading the registry and users' files into the boards table, the repository
functions, and board liveness (gone only after repeated "no such board" answers over days)."""

from __future__ import annotations

import gzip
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from crawler.boards import BoardsFileError, parse_boards_file, read_boards_file, sync
from storage import boards as repo
from storage.db import open_database
from storage.models import Board, utcnow

REGISTRY = """source,token,company,config,origins
ashby,Acme,Acme Inc,,jobseek
greenhouse,northwind,Northwind,,jobseek
greenhouse,tailspin,Tailspin,"{""region"":""eu""}",ats-scrapers
lever,contoso,Contoso,,ats-scrapers
oracle_hcm,umbrella.fa.em2.oraclecloud.com/CX_1,Umbrella,,ats-scrapers
"""


@pytest.fixture
def sessions(db_url):
    _, factory = open_database(db_url)
    return factory


def write_registry(path, text=REGISTRY, compress=False):
    data = text.encode()
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


def all_boards(sessions) -> dict[tuple[str, str], Board]:
    with sessions() as session:
        return {(b.source, b.token): b for b in session.scalars(select(Board))}


def test_sync_loads_crawled_platforms_once_and_never_touches_existing_rows(sessions, tmp_path):
    registry = write_registry(tmp_path / "registry.csv.gz", compress=True)
    assert sync(sessions, registry) == {"shipped": 4, "user": 0}
    boards = all_boards(sessions)
    # oracle_hcm has no spider yet: its row waits in the file
    assert set(boards) == {
        ("ashby", "Acme"),
        ("greenhouse", "northwind"),
        ("greenhouse", "tailspin"),
        ("lever", "contoso"),
    }
    assert all(b.status == "active" and b.origin == "shipped" for b in boards.values())
    assert boards[("greenhouse", "tailspin")].config == {"region": "eu"}

    with sessions.begin() as session:  # the user edits one board and removes another
        repo.add(session, "greenhouse", "northwind", company="Northwind Traders")
        repo.remove(session, "lever", "contoso")
    assert sync(sessions, registry) == {"shipped": 0, "user": 0}  # same content: nothing read

    # A new package version: one new board, and the old rows written differently. Only the new board arrives.
    newer = REGISTRY.replace("Northwind,", "Northwind Corp,") + "lever,fabrikam,Fabrikam,,jobseek\n"
    assert sync(sessions, write_registry(tmp_path / "registry.csv.gz", newer, compress=True))["shipped"] == 1
    boards = all_boards(sessions)
    assert boards[("greenhouse", "northwind")].company == "Northwind Traders"
    assert boards[("lever", "contoso")].status == "removed"
    assert boards[("lever", "fabrikam")].status == "active"


def test_tokens_compare_as_the_platform_does(sessions, tmp_path):
    sync(sessions, write_registry(tmp_path / "r.csv"))
    with sessions.begin() as session:
        # Greenhouse has no case: the same board. Ashby is case-sensitive: another board.
        board, created = repo.add(session, "greenhouse", "NorthWind")
        assert (board.token, created) == ("northwind", False)
        board, created = repo.add(session, "ashby", "acme")
        assert created and board.token == "acme"
        assert repo.find(session, "ashby", "ACME") is None


def test_user_files_apply_as_overrides_when_their_content_changes(sessions, tmp_path):
    registry = write_registry(tmp_path / "r.csv")
    mine = tmp_path / "mine.toml"
    mine.write_text(
        '[[greenhouse]]\ntoken = "initech"\ncompany = "Initech"\n\n'
        '[[greenhouse]]\ntoken = "northwind"\nenabled = false\n\n'
        '[[lever]]\ntoken = "globex"\nconfig = { region = "eu" }\n'
    )
    assert sync(sessions, registry, [mine])["user"] == 2
    boards = all_boards(sessions)
    assert boards[("greenhouse", "initech")].origin == "user"
    assert boards[("greenhouse", "northwind")].status == "removed"
    assert boards[("lever", "globex")].config == {"region": "eu"}

    # A line deleted from the file deletes nothing.
    mine.write_text('[[greenhouse]]\ntoken = "initech"\ncompany = "Initech Corp"\n')
    sync(sessions, registry, [mine])
    boards = all_boards(sessions)
    assert ("lever", "globex") in boards and boards[("greenhouse", "initech")].company == "Initech Corp"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("b.toml", "[[greenhouse]\ntoken=", "not valid TOML"),
        ("b.toml", 'greenhouse = "x"', "array of tables"),
        ("b.toml", "[[greenhouse]]\ncompany = 'no token'", "needs a token"),
        ("b.toml", "[[greenhouse]]\ntoken = 'a'\nconfig = 'eu'", "config is not JSON"),
        ("b.toml", "[[greenhouse]]\ntoken = 'a'\nenabled = 'maybe'", "enabled must be true or false"),
        ("b.csv", "company,token\nAcme,acme\n", "source and token columns"),
        ("b.csv", "source,token\ngreenhouse,\n", "source and token are required"),
        ("b.csv", 'source,token,config\ngreenhouse,a,"[1]"\n', "config must be a JSON object"),
        ("b.toml", "[[greenhouse]]\ntoken = 'a'\nconfig = 3", "config must be a TOML table or a JSON object"),
    ],
)
def test_bad_boards_file_is_a_clear_error(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(BoardsFileError, match=message):
        read_boards_file(path)


def test_csv_boards_file(tmp_path):
    path = tmp_path / "b.csv"
    specs = parse_boards_file(path, 'source,token,company,config,enabled\nlever,acme,Acme,"{""region"":""eu""}",no\n')
    assert [(s.source, s.token, s.company, s.config, s.enabled) for s in specs] == [
        ("lever", "acme", "Acme", {"region": "eu"}, False)
    ]


def test_unknown_source_and_missing_files_are_clear_errors(sessions, tmp_path):
    registry = write_registry(tmp_path / "r.csv")
    mine = tmp_path / "mine.toml"
    mine.write_text('[[monster]]\ntoken = "x"\n')
    with pytest.raises(BoardsFileError, match="unknown source 'monster'"):
        sync(sessions, registry, [mine])
    with pytest.raises(BoardsFileError, match="does not exist"):
        sync(sessions, registry, [tmp_path / "nope.toml"])
    with pytest.raises(BoardsFileError, match="cannot be read"):
        sync(sessions, tmp_path / "no-registry.csv")


# --- liveness ---------------------------------------------------------------------------------------------------

MISSING = repo.Answer(missing=True, error="board not found (HTTP 404)")
TIMEOUT = repo.Answer(error="TimeoutError: took too long")
LISTED = repo.Answer(ok=True, listed=0)


def answer_over_days(sessions, answers, days_apart=3.5, rules=repo.LivenessRules()):  # noqa: B008
    start = utcnow() - timedelta(days=days_apart * len(answers))
    statuses = []
    for i, answer in enumerate(answers):
        with sessions.begin() as session:
            repo.record_answers(
                session, "greenhouse", {"northwind": answer}, rules, now=start + timedelta(days=i * days_apart)
            )
            statuses.append(repo.find(session, "greenhouse", "northwind").status)
    return statuses


@pytest.fixture
def seeded(sessions, tmp_path):
    sync(sessions, write_registry(tmp_path / "r.csv"))
    return sessions


def test_three_misses_over_a_week_make_a_board_gone(seeded):
    assert answer_over_days(seeded, [MISSING, MISSING, MISSING, MISSING]) == ["active", "active", "gone", "gone"]
    with seeded() as session:
        board = repo.find(session, "greenhouse", "northwind")
        assert board.gone_since is not None and board.consecutive_failures == 4
        assert [b.token for b in repo.active_boards(session, "greenhouse")] == ["tailspin"]


def test_misses_within_hours_are_not_enough(seeded):
    # Three 404s in one afternoon (a board renamed and back, an outage answering 404): not gone yet.
    assert answer_over_days(seeded, [MISSING] * 3, days_apart=0.1) == ["active"] * 3


def test_network_errors_never_count_and_an_answer_resets(seeded):
    statuses = answer_over_days(seeded, [MISSING, TIMEOUT, TIMEOUT, MISSING, LISTED, MISSING, MISSING])
    assert "gone" not in statuses
    with seeded() as session:
        board = repo.find(session, "greenhouse", "northwind")
        assert board.consecutive_failures == 2 and board.last_listed == 0 and board.last_ok_at is not None


def test_timeouts_alone_never_retire_a_board(seeded):
    assert set(answer_over_days(seeded, [TIMEOUT] * 10)) == {"active"}


def test_a_gone_board_that_answers_is_active_again(seeded):
    assert answer_over_days(seeded, [MISSING] * 3)[-1] == "gone"
    assert answer_over_days(seeded, [LISTED]) == ["active"]


def test_three_misses_in_less_than_the_days_are_not_enough(seeded):
    # 3 misses 3 days apart span 6 days: the third is not yet "over at least 7 days"; the fourth is.
    assert answer_over_days(seeded, [MISSING] * 4, days_apart=3.0) == ["active", "active", "active", "gone"]


def test_an_empty_board_is_not_gone(seeded):
    assert set(answer_over_days(seeded, [LISTED] * 5)) == {"active"}


def test_due_for_check_picks_stale_live_boards_and_monthly_gone_ones(seeded):
    now = utcnow()
    with seeded.begin() as session:
        repo.record_answers(session, "greenhouse", {"northwind": LISTED}, now=now - timedelta(days=1))
        repo.record_answers(session, "greenhouse", {"tailspin": LISTED}, now=now - timedelta(days=10))
        gone = repo.find(session, "lever", "contoso")
        gone.status, gone.last_checked_at = "gone", now - timedelta(days=10)
        removed = repo.find(session, "ashby", "Acme")
        removed.status = "removed"
    with seeded() as session:
        due = {b.token for b in repo.due_for_check(session, stale=timedelta(days=7), now=now)}
        assert due == {"tailspin"}  # gone contoso waits for its month; removed Acme is never probed
        due = {b.token for b in repo.due_for_check(session, stale=timedelta(days=7), now=now + timedelta(days=25))}
        assert due == {"northwind", "tailspin", "contoso"}


def test_bulk_insert_ignores_rows_present(seeded):
    now = utcnow()
    rows = [
        repo.board_row("greenhouse", t, origin="discovered", status="unverified", now=now)
        for t in ("NORTHWIND", "new1")
    ]
    with seeded.begin() as session:
        assert repo.insert_missing(session, rows) == 1
        assert session.scalar(select(func.count()).select_from(Board)) == 5
        assert repo.find(session, "greenhouse", "northwind").origin == "shipped"
