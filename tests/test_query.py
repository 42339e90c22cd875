"""storage.query on SQLite and PostgreSQL: every filter through build_select, the narrow posting_locations rows
behind --city/--country (kept in step with postings.locations, backfilled by migration 0007), and the sorts."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, select, text, update

from pipeline.model import Location, PayRange, Posting
from storage import models
from storage.db import dispose_all, open_database
from storage.fx import Rates
from storage.ingest import Sighting, upsert_batch
from storage.migrate import alembic_config
from storage.query import PostingFilters, build_select, city_keys, pay_rule

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
BERLIN = Location(raw="Berlin, Germany", city="Berlin", country="DE")
MUNICH = Location(raw="München, Germany", city="München", country="DE")
NYC = Location(raw="New York, NY", city="New York", region="NY", country="US")
LONDON = Location(raw="London, UK", city="London", country="GB")


def posting(ext: str, **values) -> Posting:
    base = Posting(
        title=f"Backend Engineer {ext}",
        source="greenhouse",
        board="acme",
        external_id=ext,
        company=f"Company {ext}",
        url=f"https://example.test/jobs/{ext}",
        posted_at=T0 - timedelta(days=int(ext)),
        is_backend=True,
        locations=[NYC],
        description_text=f"Job number {ext} builds services.",
    )
    return dataclasses.replace(base, **values)


def usd(low: float, high: float) -> PayRange:
    return PayRange(min=low, max=high, currency="USD", period="year")


POSTINGS = [
    posting("1", locations=[NYC, BERLIN], skills=["Go", "Kafka"], pay=usd(150000, 200000), workplace="remote"),
    posting("2", locations=[LONDON, MUNICH], skills=["Python"], pay=usd(100000, 120000)),
    posting("3", locations=[BERLIN], skills=["Kafka"], posted_at=None),
    posting("4", locations=[], skills=["Python"], pay=usd(190000, 250000), seniority="senior"),
    posting("5", locations=[NYC], skills=["Python", "Go"], is_backend=False),
    posting("6", locations=[Location(raw="Remote")], skills=["Python"], pay=None),
]


@pytest.fixture
def stored(db_url):
    _, Session = open_database(db_url)
    with Session.begin() as s:
        upsert_batch(s, [Sighting(p, {"id": p.external_id}, T0) for p in POSTINGS])
    return Session


def run(Session, **filters) -> list[str]:
    with Session() as s:
        dialect = s.get_bind().dialect.name
        return [row.external_id for row in s.scalars(build_select(PostingFilters(**filters), dialect))]


def test_city_matches_any_location_case_insensitively(stored):
    assert run(stored, city="Berlin") == ["1", "3"]
    assert run(stored, city="berlin") == ["1", "3"]
    assert run(stored, city="MÜNCHEN") == ["2"]
    assert run(stored, city="London") == ["2"]
    assert run(stored, city="New York", all_roles=True) == ["1", "5"]
    assert run(stored, city="Paris") == []
    assert run(stored, city="Berlin", skills=["Go"]) == ["1"]


def test_country_matches_any_location(stored):
    assert run(stored, country="de") == ["1", "2", "3"]
    assert run(stored, country="US") == ["1"]
    assert run(stored, country="US", all_roles=True) == ["1", "5"]
    assert run(stored, country="FR") == []


def test_sorts_put_unknown_values_last(stored):
    assert run(stored) == ["1", "2", "4", "6", "3"]  # newest first, no posted date last
    assert run(stored, sort="pay") == ["4", "1", "2", "6", "3"]  # best paid first, no pay last (id desc)
    assert run(stored, skills=["Python"], sort="pay") == ["4", "2", "6"]
    assert run(stored, all_roles=True) == ["1", "2", "4", "5", "6", "3"]


def test_other_filters(stored):
    assert run(stored, skills=["Go", "Kafka"]) == ["1"]
    assert run(stored, any_skills=["Go", "Kafka"]) == ["1", "3"]
    assert run(stored, min_pay=180000) == ["1", "4"]
    assert run(stored, min_pay=180000, include_unknown_pay=True) == ["1", "4", "6", "3"]
    assert run(stored, workplace=["remote"]) == ["1"]
    assert run(stored, seniority=["senior"]) == ["4"]
    assert run(stored, posted_since=T0 - timedelta(days=2, hours=1)) == ["1", "2"]


def test_closed_postings_are_left_out_unless_asked(stored):
    with stored.begin() as s:
        s.execute(update(models.Posting).where(models.Posting.external_id == "1").values(closed_at=T0))
    assert run(stored, city="Berlin") == ["3"]
    assert run(stored, city="Berlin", include_closed=True) == ["1", "3"]
    assert run(stored, sort="pay") == ["4", "2", "6", "3"]


def location_rows(Session) -> dict[str, list[tuple]]:
    with Session() as s:
        rows = s.execute(
            select(models.Posting.external_id, models.PostingLocation.city_key, models.PostingLocation.country)
            .join(models.PostingLocation, models.PostingLocation.posting_id == models.Posting.id)
            .order_by(models.Posting.external_id, models.PostingLocation.position)
        ).all()
    out: dict[str, list[tuple]] = {}
    for ext, city, country in rows:
        out.setdefault(ext, []).append((city, country))
    return out


def test_location_rows_follow_the_postings_locations(stored):
    assert location_rows(stored)["1"] == [("new york", "US"), ("berlin", "DE")]
    assert "4" not in location_rows(stored)
    moved = dataclasses.replace(POSTINGS[0], locations=[LONDON], description_text="Moved to London.")
    with stored.begin() as s:
        upsert_batch(s, [Sighting(moved, {"id": "1", "v": 2}, T0 + timedelta(days=1))])
    assert location_rows(stored)["1"] == [("london", "GB")]
    assert run(stored, city="Berlin") == ["3"]
    assert run(stored, city="London") == ["1", "2"]


def test_migration_0007_backfills_posting_locations(tmp_path):
    from alembic import command

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_engine(url)
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
    engine.dispose()
    # Postings written by a 0006-era application: no posting_locations rows yet.
    _, Session = open_database(url)  # upgrades to head, then our rows are written and their location rows dropped
    with Session.begin() as s:
        upsert_batch(s, [Sighting(p, {"id": p.external_id}, T0) for p in POSTINGS])
    dispose_all()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP INDEX IF EXISTS ix_postings_sort_open_backend_posted"))
        conn.execute(text("DROP INDEX ix_postings_sort_open_backend_pay"))
        conn.execute(text("DROP TABLE posting_locations"))
        conn.execute(text("ALTER TABLE posting_sources DROP COLUMN normalized_by"))  # 0008
        for column in ("pid", "host", "board_holds", "board_results"):  # 0009, 0011
            conn.execute(text(f"ALTER TABLE crawl_runs DROP COLUMN {column}"))
        conn.execute(text("DROP TABLE boards"))  # 0010
        conn.execute(text("DROP TABLE registry_loads"))
        conn.execute(text("UPDATE alembic_version SET version_num = '0006'"))
    engine.dispose()
    _, Session = open_database(url)
    assert location_rows(Session)["2"] == [("london", "GB"), ("münchen", "DE")]
    assert run(Session, city="Berlin") == ["1", "3"]
    assert run(Session, country="DE") == ["1", "2", "3"]
    dispose_all()


def test_sqlite_planner_reads_the_sort_and_location_indexes(sqlite_url):
    _, Session = open_database(sqlite_url)
    with Session() as s:

        def plan(**filters) -> str:
            stmt = build_select(PostingFilters(**filters), "sqlite", window=50).limit(50)
            compiled = stmt.compile(dialect=s.get_bind().dialect, compile_kwargs={"literal_binds": True})
            return " | ".join(row[-1] for row in s.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))

        # Read in sorted order from an index: no sort of the whole open backend set.
        assert "TEMP B-TREE" not in plan(), plan()
        # One currency, or each currency's best paid across currencies: the open backend postings of the currency
        # read in pay order from migration 0012's index; the outer query by primary key; never a table scan.
        by_currency = "ix_postings_sort_open_backend_currency_pay (closed_at=? AND is_backend=? AND pay_currency=?"
        one_currency = plan(sort="pay", exact_currency=True)
        assert by_currency in one_currency and "SCAN postings" not in one_currency, one_currency
        converted = plan(sort="pay")
        assert by_currency in converted and "INTEGER PRIMARY KEY" in converted, converted
        assert "SCAN postings" not in converted, converted
        assert "SCAN postings" not in plan(sort="pay", min_pay=100000), plan(sort="pay", min_pay=100000)
        assert "ix_posting_locations_city" in plan(city="Berlin")
        assert "ix_posting_locations_country" in plan(country="DE")
        # Workplace and seniority together: their open backend postings newest first (migration 0012), no sort.
        facets = plan(workplace=["remote"], seniority=["senior"], skills=["Go"], min_pay=180000)
        assert (
            "ix_postings_sort_open_backend_facets (closed_at=? AND is_backend=? AND workplace=? AND seniority=?)"
            in (facets)
        ), facets
        assert "TEMP B-TREE" not in facets, facets
        # One of them alone keeps the newest-first index (no sort of every remote posting).
        assert "TEMP B-TREE" not in plan(workplace=["remote"]) and "TEMP B-TREE" not in plan(seniority=["senior"])


# --- pay across currencies ---------------------------------------------------------------------------------
# Made-up rates (units per euro): 1 EUR = 1.25 USD = 0.8 GBP = 100 INR; ARS has none.
FX = Rates(date=datetime(2031, 3, 4).date(), per_eur={"EUR": 1.0, "USD": 1.25, "GBP": 0.8, "INR": 100.0})


def yearly(low: float | None, high: float | None, currency: str | None) -> PayRange:
    return PayRange(min=low, max=high, currency=currency, period="year")


PAID = [
    posting("1", pay=yearly(100000, 150000, "USD")),  # max 150,000 USD
    posting("2", pay=yearly(100000, 140000, "EUR")),  # max 175,000 USD
    posting("3", pay=yearly(90000, 100000, "GBP")),  # max 156,250 USD
    posting("4", pay=yearly(5000000, 9000000, "INR")),  # max 112,500 USD
    posting("5", pay=yearly(8000000, 9000000, "ARS")),  # no rate
    posting("6", pay=None),
    posting("7", pay=yearly(120000, None, "USD")),  # "from 120k": no upper bound
]


@pytest.fixture
def paid(db_url):
    _, Session = open_database(db_url)
    with Session.begin() as s:
        upsert_batch(s, [Sighting(p, {"id": p.external_id}, T0) for p in PAID])
    return Session


def run_fx(Session, window: int | None = None, **filters) -> list[str]:
    with Session() as s:
        stmt = build_select(PostingFilters(**filters), s.get_bind().dialect.name, rates=FX, window=window)
        return [row.external_id for row in s.scalars(stmt)]


@pytest.mark.parametrize("window", [None, 2, 50])
def test_pay_sort_converts_to_the_asked_currency(paid, window):
    everything = ["2", "3", "1", "4", "7", "6", "5"]  # converted max, then no comparable max by id (newest first)
    expected = everything[:window] if window else everything
    assert run_fx(paid, window, sort="pay")[: len(expected)] == expected
    assert run_fx(paid, window, sort="pay", currency="GBP")[: len(expected)] == expected  # the order is the same
    assert run_fx(paid, window, sort="pay", exact_currency=True) == ["1", "7"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"min_pay": 155000}, ["2", "3"]),  # 175,000 and 156,250 USD reach it; 150,000 USD does not
        ({"min_pay": 155000, "exact_currency": True}, []),
        ({"min_pay": 140000, "currency": "EUR"}, ["2"]),  # 140,000 EUR stated; GBP 100k is 125,000 EUR
        ({"min_pay": 120000, "currency": "EUR"}, ["1", "2", "3"]),  # USD 150,000 is EUR 120,000 exactly
        ({"min_pay": 100000, "currency": "EUR", "exact_currency": True}, ["2"]),
        ({"max_pay": 65000}, ["4"]),  # INR 5,000,000 is 62,500 USD
        ({"min_pay": 155000, "include_unknown_pay": True}, ["2", "3", "5", "6"]),  # ARS has no rate: unknown
        ({"min_pay": 9000000, "currency": "ARS"}, ["5"]),  # a currency without a rate: only its own postings
        ({"min_pay": 9000001, "currency": "ARS"}, []),
        ({"min_pay": 150000}, ["1", "2", "3"]),  # the stated USD figure itself qualifies, exactly
    ],
)
def test_pay_filters_convert_the_threshold(paid, filters, expected):
    assert sorted(run_fx(paid, **filters)) == expected


def test_pay_rule_says_what_was_compared():
    assert pay_rule(PostingFilters()) is None
    assert "2031-03-04" in pay_rule(PostingFilters(sort="pay"), FX)
    assert "converted to EUR" in pay_rule(PostingFilters(min_pay=1, currency="EUR"), FX)
    assert "as stated" in pay_rule(PostingFilters(min_pay=1, exact_currency=True), FX)
    assert "no ECB rate for ARS" in pay_rule(PostingFilters(min_pay=1, currency="ARS"), FX)


@pytest.mark.parametrize(
    ("typed", "keys"),
    [
        ("NYC", ["nyc", "new york"]),
        ("sf", ["sf", "san francisco"]),
        ("Berlin", ["berlin"]),
        ("Atlantis", ["atlantis"]),
    ],
)
def test_city_aliases(typed, keys):
    assert city_keys(typed) == keys


def test_city_alias_finds_the_city(stored):
    assert run(stored, city="NYC", all_roles=True) == ["1", "5"]


# --- skill ids resolved before the query is built (issue 22) ----------------------------------------------------
SKILL_FILTERS = [
    {"skills": ["Go"]},
    {"skills": ["go", "KAFKA"]},
    {"skills": ["Python"], "sort": "pay"},
    {"any_skills": ["Kafka", "Python"]},
    {"any_skills": ["Kafka", "Cobol"]},
    {"skills": ["Cobol"]},
    {"skills": ["Python"], "any_skills": ["Go", "Cobol"], "all_roles": True},
]


@pytest.mark.parametrize("filters", SKILL_FILTERS)
def test_resolved_skill_ids_select_the_same_rows(stored, filters):
    from storage.query import resolve_skills

    f = PostingFilters(**filters)
    with stored() as s:
        dialect = s.get_bind().dialect.name
        by_name = [r.external_id for r in s.scalars(build_select(f, dialect, window=50))]
        resolved = resolve_skills(s, f)
        by_id = [r.external_id for r in s.scalars(build_select(f, dialect, window=50, skills=resolved))]
    assert by_id == by_name


def test_resolve_skills_maps_lowercased_names_to_ids(stored):
    from storage.query import resolve_skills

    with stored() as s:
        ids = dict(s.execute(select(models.Skill.name, models.Skill.id)).all())
        resolved = resolve_skills(s, PostingFilters(skills=["GO"], any_skills=["kafka", "Cobol"]))
    assert resolved == {"go": [ids["Go"]], "kafka": [ids["Kafka"]], "cobol": []}
    assert run(stored, skills=["Cobol"]) == []


def test_skill_ids_not_resolved_for_a_name_fall_back_to_the_name(stored):
    with stored() as s:
        dialect = s.get_bind().dialect.name
        stmt = build_select(PostingFilters(skills=["Kafka"]), dialect, skills={"go": [1]})
        assert [r.external_id for r in s.scalars(stmt)] == ["1", "3"]


# --- the first page without reading the whole set (issue 22): the same rows as the unwindowed sort -------------
# A mixed set of our own: several currencies (one without a rate, none), pays that tie across currencies once
# converted (USD 150,000 = EUR 120,000 = GBP 96,000 with FX), no upper bound, no pay, closed and non-backend ones,
# a few skills and work modes, and texts for the search.
def mixed_postings() -> list[Posting]:
    pays = [
        yearly(100000, 150000, "USD"),
        yearly(90000, 120000, "EUR"),
        yearly(80000, 96000, "GBP"),
        yearly(5000000, 9000000, "INR"),
        yearly(100, 200, "ARS"),
        yearly(70000, 90000, None),
        yearly(120000, None, "USD"),
        None,
        yearly(150000, 210000, "USD"),
        yearly(60000, 180000, "EUR"),
    ]
    skills = [["Go"], ["Python"], ["Go", "Kafka"], [], ["Python", "Go"]]
    out = []
    for i in range(1, 61):
        pay = pays[i % len(pays)]
        if pay is not None and pay.max is not None and i % 7 == 0:  # more ties: the same figure, another posting
            pay = yearly(pay.min, pay.max, pay.currency)
        out.append(
            posting(
                str(i),
                pay=pay,
                skills=skills[i % len(skills)],
                workplace=("remote", "hybrid", None)[i % 3],
                seniority=("senior", "mid")[i % 2],
                is_backend=i % 11 != 0,
                posted_at=None if i % 13 == 0 else T0 - timedelta(hours=i % 17, days=i % 5),
                description_text=("Event driven services in Go." if i % 4 == 0 else f"Job {i} builds services."),
            )
        )
    return out


@pytest.fixture
def mixed(db_url):
    _, Session = open_database(db_url)
    with Session.begin() as s:
        upsert_batch(s, [Sighting(p, {"id": p.external_id}, T0) for p in mixed_postings()])
        s.execute(update(models.Posting).where(models.Posting.id % 9 == 0).values(closed_at=T0))
    return Session


WINDOWED = [
    {"sort": "pay"},
    {"sort": "pay", "currency": "GBP"},
    {"sort": "pay", "currency": "ARS"},  # a currency without a rate: only its own postings compared
    {"sort": "pay", "skills": ["Go"]},
    {"sort": "pay", "skills": ["Kafka"], "workplace": ["remote"]},
    {"sort": "pay", "min_pay": 140000},
    {"sort": "pay", "min_pay": 140000, "include_unknown_pay": True},
    {"sort": "pay", "all_roles": True, "include_closed": True},
    {"sort": "pay", "exact_currency": True},
    {"sort": "pay", "search": "event"},
    {},
    {"workplace": ["remote"], "seniority": ["senior"], "skills": ["Go"], "min_pay": 130000},
    {"workplace": ["hybrid"], "seniority": ["mid"]},
    {"sort": "seen", "skills": ["Python"]},
    {"search": "event"},
    {"search": "event", "skills": ["Kafka"]},
    {"search": '"event sourcing"'},  # matches nothing
    {"search": "services -event", "all_roles": True},
]


def test_a_window_reads_the_same_first_rows(mixed):
    """Every filter set of WINDOWED, at windows from 1 to past the end: the first ``window`` rows (and the last row of
    a page ending at the window) are those of the whole sort. One database per backend for the whole table."""
    from storage.query import resolve_skills

    with mixed() as s:
        dialect = s.get_bind().dialect.name
        for filters in WINDOWED:
            f = PostingFilters(**filters)
            everything = [r.external_id for r in s.scalars(build_select(f, dialect, rates=FX))]
            for window in (1, 2, 3, 7, 50):
                stmt = build_select(f, dialect, rates=FX, window=window, skills=resolve_skills(s, f))
                page = [r.external_id for r in s.scalars(stmt.limit(window))]
                tail = build_select(f, dialect, rates=FX, window=window).offset(window - 1).limit(1)
                last = [r.external_id for r in s.scalars(tail)]
                assert (page, last) == (everything[:window], everything[window - 1 : window]), (filters, window)


def test_a_search_that_finds_nothing_reads_no_posting(sqlite_url):
    """SQLite: the ids of a search are read with a LIMIT that is 0 when the full-text index finds nothing, so the
    newest-first walk of the open backend postings never starts (it walked all of them looking for a match)."""
    _, Session = open_database(sqlite_url)
    with Session() as s:
        stmt = build_select(PostingFilters(search='"event sourcing"'), "sqlite", window=50).limit(50)
        compiled = str(stmt.compile(dialect=s.get_bind().dialect, compile_kwargs={"literal_binds": True}))
        plan = " | ".join(row[-1] for row in s.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "LIMIT CASE WHEN (EXISTS" in compiled.replace("\n", " "), compiled
    assert "ix_postings_open_backend_posted" in plan and "INTEGER PRIMARY KEY" in plan, plan


@pytest.mark.postgres
def test_postgresql_reads_the_readme_query_from_one_covering_index(tmp_path):
    """The ids of ``--workplace remote --seniority senior --skill Go --min-pay 180000`` can be read from migration
    0013's index alone (pay terms on its INCLUDEd columns, newest first): with the table scans and bitmap ANDs
    disabled the plan is an index-only scan of it, without a sort."""
    from tests.databases import database_url

    with database_url("postgresql", tmp_path) as url:
        _, Session = open_database(url)
        with Session() as s:
            f = PostingFilters(workplace=["remote"], seniority=["senior"], skills=["Go"], min_pay=180000)
            stmt = build_select(f, "postgresql", window=50).limit(50)
            compiled = stmt.compile(dialect=s.get_bind().dialect, compile_kwargs={"literal_binds": True})
            s.execute(text("SET LOCAL enable_seqscan = off"))
            s.execute(text("SET LOCAL enable_bitmapscan = off"))
            plan = "\n".join(row[0] for row in s.execute(text(f"EXPLAIN {compiled}")))
        dispose_all()
    assert "Index Only Scan using ix_postings_sort_open_backend_facets_pay" in plan, plan
    assert "Sort Key: postings_1.posted_at" not in plan, plan  # the ids read in order; only the page is sorted


def test_a_posting_that_ties_with_the_lead_currencys_floor_is_kept(db_url):
    """The lead currency's window-th pay is a floor for the other currencies: a posting converting to exactly that
    figure, newer than the lead's own, ranks before it (ties go by id, newest first) and must be read."""
    _, Session = open_database(db_url)
    rows = [
        posting("1", pay=yearly(100000, 150000, "USD")),
        posting("2", pay=yearly(100000, 200000, "USD")),
        posting("3", pay=yearly(100000, 120000, "EUR")),  # 150,000 USD with FX: a tie with "1", and newer
        posting("4", pay=yearly(100000, 119000, "EUR")),  # below the floor
    ]
    with Session.begin() as s:
        upsert_batch(s, [Sighting(p, {"id": p.external_id}, T0) for p in rows])
    assert run_fx(Session, sort="pay") == ["2", "3", "1", "4"]
    assert run_fx(Session, 2, sort="pay")[:2] == ["2", "3"]
    assert run_fx(Session, 3, sort="pay")[:3] == ["2", "3", "1"]
