"""storage.stats and `jobscout stats` on SQLite and PostgreSQL, over the hand-built sample (tests/sample_postings.py:
every expected figure below is worked out by hand from its table)."""

from __future__ import annotations

import json
import random
import statistics
import sys

import pytest

from crawler.cli import main
from storage import models
from storage.query import PostingFilters
from storage.stats import (
    compute_stats,
    count_postings,
    count_undated,
    interpolate,
    materialized,
    pay_percentiles,
    percentiles_of_counts,
    postings_per,
    skill_growth,
    skill_weekly_share,
    top_skills,
    weekly_new,
)
from tests.sample_postings import build_sample


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def pct(rows):
    return {(r.group, r.currency): (r.postings, r.p25, r.p50, r.p75) for r in rows}


@pytest.fixture
def sample(db_url):
    return build_sample(db_url)


def test_counts_and_top_skills(sample):
    with sample() as s:
        assert count_postings(s, PostingFilters()) == 6
        assert count_postings(s, PostingFilters(include_closed=True, all_roles=True)) == 8
        skills = [(c.key, c.postings, c.share) for c in top_skills(s, PostingFilters())]
        assert skills == [("Go", 3, 0.5), ("Python", 3, 0.5), ("Kafka", 2, 0.3333), ("Java", 1, 0.1667),
                          ("PostgreSQL", 1, 0.1667)]  # fmt: skip
        assert [c.key for c in top_skills(s, PostingFilters(), limit=2)] == ["Go", "Python"]


def test_postings_per_source_and_company(sample):
    with sample() as s:
        sources = [(c.key, c.postings) for c in postings_per(s, PostingFilters(), "source")]
        assert sources == [("greenhouse", 3), ("lever", 2), ("ashby", 1)]
        companies = [(c.key, c.postings, c.share) for c in postings_per(s, PostingFilters(), "company")]
        assert companies == [("Acme", 3, 0.5), ("Globex", 2, 0.3333), ("Initech", 1, 0.1667)]
        with pytest.raises(ValueError, match="source"):
            postings_per(s, PostingFilters(), "planet")


@pytest.mark.parametrize("method", ["counts", "window", "stream", "percentile_cont"])
def test_pay_percentiles_by_hand(sample, method):
    with sample() as s:
        if method == "percentile_cont" and s.get_bind().dialect.name != "postgresql":
            with pytest.raises(ValueError, match="PostgreSQL"):
                pay_percentiles(s, PostingFilters(), None, method)
            return
        f = PostingFilters()
        # USD one figure per posting: c 90k (7.5k/month, one-sided), b 130k, a 150k (midpoint), d 200k (one-sided).
        assert pct(pay_percentiles(s, f, None, method)) == {
            (None, "USD"): (4, 120000.0, 140000.0, 162500.0),
            (None, "EUR"): (1, 70000.0, 70000.0, 70000.0),
        }
        assert pct(pay_percentiles(s, f, "seniority", method)) == {
            ("senior", "USD"): (2, 135000.0, 140000.0, 145000.0),
            ("mid", "USD"): (1, 90000.0, 90000.0, 90000.0),
            ("staff", "USD"): (1, 200000.0, 200000.0, 200000.0),
            ("mid", "EUR"): (1, 70000.0, 70000.0, 70000.0),
        }
        by_skill = pct(pay_percentiles(s, f, "skill", method))
        assert by_skill[("Go", "USD")] == (3, 140000.0, 150000.0, 175000.0)
        assert by_skill[("Python", "USD")] == (2, 117500.0, 145000.0, 172500.0)  # f states no pay
        assert by_skill[("Kafka", "EUR")] == (1, 70000.0, 70000.0, 70000.0)
        assert len(by_skill) == 6
        by_workplace = pct(pay_percentiles(s, f, "workplace", method))
        assert by_workplace[("remote", "USD")] == (2, 135000.0, 140000.0, 145000.0)
        assert by_workplace[("onsite", "EUR")] == (1, 70000.0, 70000.0, 70000.0)


def test_pay_rows_sorted_by_currency_then_postings(sample):
    with sample() as s:
        rows = pay_percentiles(s, PostingFilters(), "seniority")
        assert [(r.currency, r.group) for r in rows] == [
            ("EUR", "mid"),
            ("USD", "senior"),
            ("USD", "mid"),
            ("USD", "staff"),
        ]


def test_filters_apply_to_stats(sample):
    with sample() as s:
        f = PostingFilters(skills=["Go"], workplace=["remote"])
        assert count_postings(s, f) == 2
        assert pct(pay_percentiles(s, f)) == {(None, "USD"): (2, 135000.0, 140000.0, 145000.0)}
        everything = PostingFilters(skills=["Go"], include_closed=True, all_roles=True)
        # g (500k, closed) and h (50k, not backend) join a, b, d: 50, 130, 150, 200, 500.
        assert pct(pay_percentiles(s, everything)) == {(None, "USD"): (5, 130000.0, 150000.0, 200000.0)}


def test_weekly_new_and_skill_share(sample):
    with sample() as s:
        # b was first seen on Sunday 2026-11-08 at 23:00 UTC: still the week of Monday 2026-11-02.
        weeks = [(w.week, w.postings) for w in weekly_new(s, PostingFilters())]
        assert weeks == [("2026-11-02", 2), ("2026-11-09", 3), ("2026-11-16", 1)]
        assert [w.week for w in weekly_new(s, PostingFilters(), weeks=2)] == ["2026-11-09", "2026-11-16"]
        share = [(w.week, w.postings, w.with_skill, w.share) for w in skill_weekly_share(s, PostingFilters(), "go")]
        assert share == [("2026-11-02", 2, 2, 1.0), ("2026-11-09", 3, 1, 0.3333), ("2026-11-16", 1, 0, 0.0)]


def test_empty_database(db_url):
    from storage.db import open_database

    _, Session = open_database(db_url)
    with Session() as s:
        result = compute_stats(s, PostingFilters(), skill_trend="Go")
    assert result.total == 0
    assert result.top_skills == [] and result.pay == [] and result.weekly == []
    assert result.skill_trend == {"skill": "Go", "weeks": []}


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 10, 37])
def test_window_and_stream_match_percentile_cont_definition(db_url, n):
    """Random pays in one group: the portable methods equal statistics.quantiles(method="inclusive"), which is
    percentile_cont's linear interpolation."""
    from datetime import UTC, datetime

    from pipeline.model import PayRange
    from storage.db import open_database
    from storage.ingest import Sighting, upsert_batch
    from tests.sample_postings import sample_posting

    rng = random.Random(n)
    values = [float(rng.randrange(40, 400) * 1000) for _ in range(n)]
    _, Session = open_database(db_url)
    with Session.begin() as s:
        sightings = []
        for i, value in enumerate(values):
            posting, _ = sample_posting("a")
            posting.external_id = posting.title = posting.company = f"r{i}"
            posting.url = f"https://example.test/r{i}"
            posting.pay = PayRange(value, value, "USD", "year")
            sightings.append(Sighting(posting, {"id": i}, datetime(2026, 11, 2, tzinfo=UTC)))
        upsert_batch(s, sightings)
    expected = (
        [values[0]] * 3 if n == 1 else [round(q, 2) for q in statistics.quantiles(values, n=4, method="inclusive")]
    )
    with Session() as s:
        for method in ("counts", "window", "stream"):
            (row,) = pay_percentiles(s, PostingFilters(), None, method)
            assert (row.postings, [row.p25, row.p50, row.p75]) == (n, pytest.approx(expected)), method


def random_sample(db_url: str, n: int = 160, seed: int = 5):
    """Random postings for same-output checks: pays drawn from a few figures (ties within and across groups), three
    currencies and two periods, one-sided ranges and none, skill sets with tied counts, six weeks of first
    sightings, some without a posted date, some closed and some not backend."""
    from datetime import UTC, datetime, timedelta

    from pipeline.model import PayRange
    from storage.db import open_database
    from storage.ingest import Sighting, upsert_batch
    from tests.sample_postings import sample_posting

    rng = random.Random(seed)
    skills = ["Go", "Python", "Kafka", "C#", "GraphQL", "Rust", "AWS"]
    _, Session = open_database(db_url)
    start = datetime(2026, 10, 5, 9, tzinfo=UTC)
    with Session.begin() as s:
        sightings = []
        for i in range(n):
            posting, _ = sample_posting("a")
            posting.external_id = posting.title = f"r{i}"
            posting.url = f"https://example.test/r{i}"
            posting.board = posting.company = rng.choice(["acme", "Acme Corp", "globex", "Initech"])
            posting.source = rng.choice(["greenhouse", "lever", "ashby"])
            posting.seniority = rng.choice(["junior", "mid", "senior", None])
            posting.workplace = rng.choice(["remote", "hybrid", "onsite"])
            low, high = rng.choice(
                [(90000, 120000), (100000, 140000), (None, 150000), (120000, None), (80000, 80000)]
            )
            currency, period = rng.choice([("USD", "year"), ("EUR", "year"), ("GBP", "year"), ("USD", "month")])
            if period == "month":
                low, high = (v / 12 if v else v for v in (low, high))
            posting.pay = PayRange(low, high, currency, period) if rng.random() < 0.8 else None
            posting.pay_ranges = [posting.pay] if posting.pay else []
            posting.skills = rng.sample(skills, rng.randint(0, 4))
            posting.skill_evidence = {name: name for name in posting.skills}
            seen = start + timedelta(hours=rng.randrange(6 * 7 * 24))
            posting.posted_at = None if rng.random() < 0.3 else seen - timedelta(days=rng.randrange(3))
            posting.is_backend = rng.random() < 0.9
            sightings.append(Sighting(posting, {"id": i}, seen))
        upsert_batch(s, sightings)
        ids = [p.id for p in s.query(models.Posting).order_by(models.Posting.id)]
        closed = ids[::7]
        s.query(models.Posting).filter(models.Posting.id.in_(closed)).update({"closed_at": start}, False)
    return Session


SAME_OUTPUT_FILTERS = [
    PostingFilters(),
    PostingFilters(skills=["Go"], workplace=["remote"]),
    PostingFilters(all_roles=True, include_closed=True),
]


@pytest.mark.parametrize("filters", SAME_OUTPUT_FILTERS)
def test_compute_stats_equals_each_statistic_computed_alone(db_url, filters):
    """compute_stats reads a materialized copy through its own paths (pay counted per distinct figure, three
    groupings in one pass; top skills counted into a table on SQLite; pairs read by posting id; the skill trend
    from the weekly counts): every figure must be what the statistic computed alone from the filters gives."""
    Session = random_sample(db_url)
    with Session() as s:
        got = compute_stats(s, filters, top=4, weeks=3, skill_trend="go", min_group=2)
        window = compute_stats(s, filters, top=4, weeks=3, skill_trend="go", min_group=2, method="window")
        assert got.total == count_postings(s, filters) > 10
        assert got.top_skills == top_skills(s, filters, 4, got.total)
        assert got.top_skills[0].postings > got.top_skills[-1].postings
        assert got.pay == pay_percentiles(s, filters, None, "window") == window.pay
        assert got.pay_by == window.pay_by
        assert got.pay_by["seniority"] == [r for r in pay_percentiles(s, filters, "seniority") if r.postings >= 2]
        assert got.sources == postings_per(s, filters, "source", None, got.total)
        assert got.companies == postings_per(s, filters, "company", 4, got.total)
        assert got.weekly == weekly_new(s, filters, 3) and len(got.weekly) == 3
        assert got.skill_trend["weeks"] == skill_weekly_share(s, filters, "go", 3)
        assert got.undated == count_undated(s, filters) > 0


def test_skill_growth_of_a_materialized_copy_equals_the_filters(db_url):
    from datetime import UTC, datetime

    Session = random_sample(db_url)
    now = datetime(2026, 11, 16, tzinfo=UTC)
    with Session() as s:
        for filters in SAME_OUTPUT_FILTERS:
            alone = skill_growth(s, filters, 14, now=now, min_postings=1, min_baseline=1)
            with materialized(s, filters) as base:
                assert skill_growth(s, base, 14, now=now, min_postings=1, min_baseline=1) == alone
            assert alone["skills"]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({100.0: 1}, (1, 100.0, 100.0, 100.0)),
        ({10.0: 1, 20.0: 1, 40.0: 1}, (3, 15.0, 20.0, 30.0)),
        ({5.0: 3, 9.0: 1}, (4, 5.0, 5.0, 6.0)),  # positions 0.75, 1.5, 2.25: the run of 5s covers 0-2
        ({1.0: 2, 2.0: 2}, (4, 1.0, 1.5, 2.0)),
    ],
)
def test_percentiles_of_counts(counts, expected):
    row = percentiles_of_counts("g", "USD", counts)
    assert (row.postings, row.p25, row.p50, row.p75) == expected


def test_interpolate():
    values = {0: 10.0, 1: 20.0, 2: 40.0}
    assert interpolate(values, 3, 0.25) == 15.0
    assert interpolate(values, 3, 0.5) == 20.0
    assert interpolate(values, 3, 0.75) == 30.0
    assert interpolate({0: 5.0}, 1, 0.75) == 5.0


# --- the command ---------------------------------------------------------------------------------------------
def test_stats_table(sample, db_url, capsys):
    code, out, _ = run(capsys, "stats", "--db", db_url, "--min-group", "1", "--skill-trend", "golang")
    assert code == 0
    assert "6 postings match" in out
    for text in ("top skills", "annual pay by skill", "annual pay by seniority", "annual pay by workplace",
                 "postings per source", "top companies", "new postings per week", "weekly share of Go",
                 "162.5k", "117.5k", "greenhouse", "Initech", "2026-11-16"):  # fmt: skip
        assert text in out, text


def test_stats_json_with_filters(sample, db_url, capsys):
    code, out, _ = run(capsys, "stats", "--db", db_url, "--skill", "Go", "--workplace", "remote", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["total"] == 2
    assert data["pay"] == [{"group": None, "currency": "USD", "postings": 2, "p25": 135000.0, "p50": 140000.0,
                            "p75": 145000.0}]  # fmt: skip
    assert [s["key"] for s in data["top_skills"]] == ["Go", "Kafka", "PostgreSQL"]
    assert data["sources"] == [{"key": "greenhouse", "postings": 2, "share": 1.0}]
    assert data["skill_trend"] is None
    # --min-group (default 3) leaves out groups with fewer postings stating a pay.
    assert data["pay_by"] == {"skill": [], "seniority": [], "workplace": []}


def test_stats_plot(sample, db_url, tmp_path, capsys):
    pytest.importorskip("matplotlib", reason="the plot extra (matplotlib) is not installed")
    target = tmp_path / "charts.png"
    code, _, err = run(capsys, "stats", "--db", db_url, "--skill-trend", "Go", "--plot", str(target))
    assert code == 0, err
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["stats", "--workplace", "moon"], "--workplace"),
        (["stats", "--seniority", "wizard"], "--seniority"),
        (["stats", "--min-pay", "lots"], "--min-pay"),
        (["stats", "--currency", "dollars"], "--currency"),
        (["stats", "--posted-since", "last tuesday"], "not a date"),
        (["stats", "--top", "0"], "--top"),
        (["stats", "--format", "xml"], "--format"),
        (["stats", "--plot", "charts.svg"], ".png"),
    ],
)
def test_stats_bad_input_is_one_line_exit_2(isolated_env, capsys, argv, message):
    pytest.importorskip("matplotlib", reason="the plot extra (matplotlib) is not installed")
    code, _, err = run(capsys, *argv)
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("jobscout: error:"), err
    assert message in err


def test_plot_without_matplotlib_names_the_extra(isolated_env, capsys, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    code, out, err = run(capsys, "stats", "--plot", str(tmp_path / "x.png"))
    assert code == 2
    assert err.strip() == 'jobscout: error: --plot needs matplotlib, which is not installed: pip install -e ".[plot]"'
    assert out == ""


def test_skill_growth_compares_shares_of_two_periods(db_url):
    from datetime import UTC, datetime

    from storage.query import PostingFilters
    from storage.stats import skill_growth
    from tests.sample_postings import build_sample

    Session = build_sample(db_url)
    now = datetime(2026, 11, 17, tzinfo=UTC)
    with Session() as s:
        # Last 7 days: d (Go, Python), e (Kafka, Java), f (Python); the 7 before: b (Go, Kafka), c (Python).
        g = skill_growth(s, PostingFilters(), 7, now=now, min_postings=1, min_baseline=1)
        assert (g["recent"], g["previous"]) == (3, 2)
        assert [(r.skill, r.recent, r.previous, r.change) for r in g["skills"]] == [
            ("Java", 1, 0, 0.3333),
            ("Python", 2, 1, 0.1667),
            ("Go", 1, 1, -0.1667),
            ("Kafka", 1, 1, -0.1667),
        ]
        # Rare skills are noise: only Python is asked for by 3 postings across both periods.
        assert [r.skill for r in skill_growth(s, PostingFilters(), 7, now=now, min_baseline=1)["skills"]] == [
            "Python"
        ]
        # Three and two postings are no baseline: by default nothing is ranked, and the result says why.
        thin = skill_growth(s, PostingFilters(), 7, now=now)
        assert thin["skills"] == [] and "holds 2 postings, fewer than 30" in thin["refused"]
        assert skill_growth(s, PostingFilters(), 7, now=now, min_baseline=2)["refused"] is None


def test_weeks_and_growth_date_postings_by_their_posted_date(db_url):
    """A board crawled once: every posting first seen the same day, posted over several weeks."""
    from datetime import UTC, datetime

    from storage.db import open_database
    from storage.ingest import Sighting, upsert_batch
    from storage.stats import count_undated, skill_growth
    from tests.sample_postings import sample_posting

    crawl = datetime(2026, 11, 20, 9, tzinfo=UTC)
    posted = {"p1": datetime(2026, 10, 5, tzinfo=UTC), "p2": datetime(2026, 10, 7, tzinfo=UTC),
              "p3": datetime(2026, 11, 18, tzinfo=UTC), "p4": None}  # fmt: skip
    _, Session = open_database(db_url)
    with Session.begin() as s:
        sightings = []
        for key, when in posted.items():
            posting, _ = sample_posting("a")
            posting.external_id = posting.title = key
            posting.url = f"https://example.test/{key}"
            posting.posted_at = when
            sightings.append(Sighting(posting, {"id": key}, crawl))
        upsert_batch(s, sightings)
    with Session() as s:
        weeks = [(w.week, w.postings) for w in weekly_new(s, PostingFilters())]
        assert weeks == [("2026-10-05", 2), ("2026-11-16", 2)]  # p4 (no posted date) in its first-seen week
        assert count_undated(s, PostingFilters()) == 1
        g = skill_growth(s, PostingFilters(), 30, now=crawl, min_baseline=1)
        assert (g["recent"], g["previous"]) == (2, 2)


def test_top_companies_show_a_written_name_over_a_board_token(db_url):
    from datetime import UTC, datetime

    from storage.db import open_database
    from storage.ingest import Sighting, upsert_batch
    from storage.stats import display_name
    from tests.sample_postings import sample_posting

    _, Session = open_database(db_url)
    with Session.begin() as s:
        sightings = []
        for i, company in enumerate(["northwind", "northwind", "Northwind", "globex-corp"]):
            posting, _ = sample_posting("a")
            posting.external_id = posting.title = f"n{i}"
            posting.url = f"https://example.test/n{i}"
            posting.company = company
            sightings.append(Sighting(posting, {"id": i}, datetime(2026, 11, 2, tzinfo=UTC)))
        upsert_batch(s, sightings)
    with Session() as s:
        companies = [(c.key, c.postings) for c in postings_per(s, PostingFilters(), "company")]
    assert companies == [("Northwind", 3), ("globex-corp", 1)]  # no written name for globex: its token stays
    assert display_name([("acme", 5), ("Acme Corp", 1), ("ACME", 2)]) == "ACME"
    assert display_name([]) is None


def test_stats_with_no_match_says_so_and_fails(sample, db_url, tmp_path, capsys):
    target = tmp_path / "charts.png"
    code, out, err = run(capsys, "stats", "--db", db_url, "--skill", "COBOL")
    assert code == 1 and "0 postings match" in out and "no postings match" in err
    code, _, err = run(capsys, "stats", "--db", db_url, "--skill", "COBOL", "--format", "json")
    assert code == 1
    if "matplotlib" in sys.modules or _has_matplotlib():
        code, _, err = run(capsys, "stats", "--db", db_url, "--skill", "COBOL", "--plot", str(target))
        assert code == 1 and "nothing to chart" in err and not target.exists()


def _has_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.parametrize("columns", [80, 100])
def test_stats_tables_fit_the_width_and_show_counts(sample, db_url, capsys, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, err = run(capsys, "stats", "--db", db_url, "--min-group", "1", "--growth", "14d")
    assert code == 0
    lines = out.splitlines()
    assert all(len(line) <= columns for line in lines), out
    assert "new postings per week (by posted date)" in out
    assert "not ranked" in out and "fewer than 30" in out  # 6 postings: no baseline for growth
    code, out, err = run(capsys, "stats", "--db", db_url, "--growth", "14d", "--format", "json")
    assert code == 0 and "fewer than 30" in json.loads(out)["growth"]["refused"] and "not ranked" in err
    pay_header = next(line for line in lines if line.split()[:2] == ["currency", "postings"])
    assert pay_header.split() == ["currency", "postings", "p25", "p50", "p75"]
