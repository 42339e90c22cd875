"""pipeline.merge: what wins when several sources describe one job, on schema.Posting values (no database)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from pipeline import merge
from pipeline.model import Location, PayRange, Posting, SourceRef

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
TEXT = (
    "We build Go services on Postgres for the routing platform that plans forty thousand deliveries a day, with "
    "Kafka between the services and Kubernetes underneath. You will own APIs end to end."
)
NYC = Location(raw="New York, NY", city="New York", region="NY", country="US")
AUSTIN = Location(raw="Austin, TX", city="Austin", region="TX", country="US")
STRUCTURED_PAY = PayRange(min=150000.0, max=200000.0, currency="USD", period="year", raw="$150,000 - $200,000")
TEXT_PAY = PayRange(min=140000.0, max=190000.0, currency="USD", period="year", raw="$140k-$190k")


def ats(**changes) -> Posting:
    """The company's own ATS posting (Greenhouse, rank 40), as stored: it has an id, sources and lifecycle dates."""
    p = Posting(
        title="Senior Backend Engineer",
        source="greenhouse",
        board="acme",
        external_id="4242",
        company="Acme, Inc.",
        url="https://boards.greenhouse.io/acme/jobs/4242",
        id=7,
        sources=[SourceRef("greenhouse", "acme", "4242", first_seen_at=T0, last_seen_at=T0)],
        posted_at=T0 - timedelta(days=3),
        first_seen_at=T0,
        last_seen_at=T0,
        is_backend=True,
        locations=[NYC],
        workplace="hybrid",
        seniority="senior",
        pay=STRUCTURED_PAY,
        pay_ranges=[STRUCTURED_PAY],
        skills=["Go", "PostgreSQL"],
        skill_evidence={"Go": "Go", "PostgreSQL": "Postgres"},
        provenance={"pay": "structured", "workplace": "structured", "seniority": "title"},
        description_text=TEXT,
        requisition_id="REQ-1",
    )
    for name, value in changes.items():
        setattr(p, name, value)
    return p


def copy_of(source: str = "remotive", **changes) -> Posting:
    """An aggregator's copy of the same job: fewer fields, a shorter text, its own ids."""
    p = Posting(
        title="Senior Backend Engineer",
        source=source,
        board=source,
        external_id="r1",
        company="Acme",
        url=f"https://{source}.example/jobs/r1?utm_source=feed",
        locations=[Location(raw="New York", city="New York", country="US")],
        employment_type="full_time",
        provenance={"employment_type": "structured"},
        description_text="Apply today. " + TEXT[:120],
    )
    for name, value in changes.items():
        setattr(p, name, value)
    return p


def run(current: Posting, incoming: Posting, *, canonical: bool = False, reason: str = "fingerprint"):
    """merge(), checking on the way that it modifies neither argument."""
    before = (copy.deepcopy(current), copy.deepcopy(incoming))
    out = merge.merge(current, incoming, canonical=canonical, reason=reason)
    assert (current, incoming) == before
    return out


# --- who is canonical ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("stored_source", "incoming_source", "promoted"),
    [
        ("remotive", "greenhouse", True),  # the ATS arriving after an aggregator copy takes over
        ("hn", "jsonld", True),  # JSON-LD markup outranks a free-text thread
        ("jsonld", "lever", True),
        ("greenhouse", "remotive", False),  # an aggregator never displaces the ATS
        ("greenhouse", "lever", False),  # ties keep the first seen
        ("remoteok", "weworkremotely", False),
        ("somewhere-new", "remotive", True),  # an unknown source ranks 15, below aggregators
    ],
)
def test_a_better_ranked_source_takes_over_and_ties_keep_the_first(stored_source, incoming_source, promoted):
    current = copy_of(stored_source, external_id="s1", id=3)
    incoming = ats(source=incoming_source, board="acme", external_id="n1", id=None, sources=[])
    out = run(current, incoming)
    assert (out.promoted, out.takes_over) == (promoted, promoted)
    winner = incoming if promoted else current
    assert (out.posting.source, out.posting.external_id) == (winner.source, winner.external_id)
    assert out.posting.title == winner.title and out.posting.skills == winner.skills
    assert out.posting.id == 3  # the stored record stays the stored record


def test_the_canonical_source_refreshing_sets_the_values_and_keeps_what_it_now_leaves_empty():
    current = ats(employment_type="full_time", provenance={"pay": "structured", "employment_type": "structured"})
    incoming = ats(
        title="Staff Backend Engineer",
        seniority="staff",
        employment_type=None,  # the refreshed payload no longer says
        skills=["Go"],
        id=None,
        sources=[],
        provenance={"pay": "structured"},
    )
    out = run(current, incoming, canonical=True, reason="exact")
    assert out.takes_over and not out.promoted
    assert (out.posting.title, out.posting.seniority, out.posting.skills) == (
        "Staff Backend Engineer",
        "staff",
        ["Go"],
    )
    assert out.posting.employment_type == "full_time"
    assert out.posting.provenance["employment_type"] == "structured"
    assert out.posting.id == current.id and out.posting.sources == current.sources


# --- gaps ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "stored", "offered", "expected"),
    [
        ("employment_type", None, "full_time", "full_time"),  # a gap is filled
        ("employment_type", "contract", "full_time", "contract"),  # a value is never overwritten by a copy
        ("visa_sponsorship", None, False, False),  # False is a value, not a gap
        ("visa_sponsorship", False, True, False),
        ("experience_years_min", None, 5.0, 5.0),
        ("requisition_id", None, "R-77", "R-77"),
        ("department", None, "Platform", "Platform"),
        ("apply_url", None, "https://acme.example/apply/1", "https://acme.example/apply/1"),
        ("apply_url", "https://a.example/x", "https://b.example/y", "https://a.example/x"),
        ("remote_regions", [], ["US"], ["US"]),
        ("remote_regions", ["EU"], ["US"], ["EU"]),
        ("description_text", "   ", "A real description.", "A real description."),  # blank counts as empty
        ("description_text", "Short.", "A much longer description of the job.", "Short."),
        ("locations", [], [AUSTIN, AUSTIN], [AUSTIN]),  # filled, each place once
        ("locations", [NYC], [AUSTIN], [NYC]),  # not united without a shared requisition
    ],
)
def test_a_lower_ranked_copy_only_fills_gaps(name, stored, offered, expected):
    current = ats(**{name: stored})
    out = run(current, copy_of(**{name: offered}))
    assert not out.takes_over
    assert getattr(out.posting, name) == expected
    assert (out.posting.source, out.posting.title) == ("greenhouse", current.title)


def test_a_filled_gap_brings_its_provenance_unless_the_posting_has_one():
    current = ats(workplace=None, seniority=None, provenance={"pay": "structured", "seniority": "title"})
    incoming = copy_of(workplace="remote", seniority="senior", provenance={"workplace": "text", "seniority": "text"})
    out = run(current, incoming)
    assert (out.posting.workplace, out.posting.seniority) == ("remote", "senior")
    assert out.posting.provenance == {"pay": "structured", "seniority": "title", "workplace": "text"}


@pytest.mark.parametrize(
    ("stored", "offered", "expected"),
    [
        (T0, T0 - timedelta(days=2), T0 - timedelta(days=2)),  # the earliest stated wins
        (T0, T0 + timedelta(days=2), T0),
        (None, T0, T0),
        (T0, None, T0),
    ],
)
@pytest.mark.parametrize("incoming_is_canonical", [False, True])
def test_posted_at_is_the_earliest_stated(stored, offered, expected, incoming_is_canonical):
    if incoming_is_canonical:
        out = run(ats(posted_at=stored), ats(posted_at=offered, id=None), canonical=True, reason="exact")
    else:
        out = run(ats(posted_at=stored), copy_of(posted_at=offered))
    assert out.posting.posted_at == expected


# --- pay -------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("stored_pay", "stored_origin", "offered_pay", "offered_origin", "expected_pay", "expected_origin"),
    [
        # An aggregator's structured range replaces a range the ATS text parser read ...
        (TEXT_PAY, "text", STRUCTURED_PAY, "structured", STRUCTURED_PAY, "structured"),
        (TEXT_PAY, "text", STRUCTURED_PAY, "jsonld", STRUCTURED_PAY, "jsonld"),
        # ... never the other way round, and an equal origin keeps the canonical one.
        (STRUCTURED_PAY, "structured", TEXT_PAY, "text", STRUCTURED_PAY, "structured"),
        (STRUCTURED_PAY, "text", TEXT_PAY, "text", STRUCTURED_PAY, "text"),
        (None, None, TEXT_PAY, "text", TEXT_PAY, "text"),  # no pay: any pay fills the gap
        (None, None, TEXT_PAY, None, TEXT_PAY, "text"),  # an unstated origin is text
        (STRUCTURED_PAY, "structured", None, None, STRUCTURED_PAY, "structured"),
        # A range without bounds is no pay.
        (PayRange(None, None, "USD", "year"), "structured", TEXT_PAY, "text", TEXT_PAY, "text"),
    ],
)
def test_pay_goes_to_the_better_origin(
    stored_pay, stored_origin, offered_pay, offered_origin, expected_pay, expected_origin
):
    current = ats(
        pay=stored_pay,
        pay_ranges=[stored_pay] if stored_pay else [],
        provenance={"pay": stored_origin} if stored_origin else {},
    )
    incoming = copy_of(
        pay=offered_pay,
        pay_ranges=[offered_pay] if offered_pay else [],
        provenance={"pay": offered_origin} if offered_origin else {},
    )
    out = run(current, incoming)
    assert out.posting.pay == expected_pay
    assert out.posting.pay_ranges == [expected_pay]  # the ranges travel with the primary pay
    assert out.posting.provenance.get("pay") == expected_origin


def test_the_ats_taking_over_keeps_a_better_sourced_pay_of_the_copy():
    current = copy_of(pay=STRUCTURED_PAY, pay_ranges=[STRUCTURED_PAY], provenance={"pay": "structured"}, id=3)
    incoming = ats(pay=TEXT_PAY, pay_ranges=[TEXT_PAY], provenance={"pay": "text"}, id=None)
    out = run(current, incoming)
    assert out.promoted
    assert (out.posting.pay, out.posting.provenance["pay"]) == (STRUCTURED_PAY, "structured")
    assert out.posting.employment_type == "full_time"  # and the copy's values where the ATS has none


# --- one requisition in several places ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("requisition", ["New York, NY", "Austin, TX"]),  # united, in order of first sighting
        ("fingerprint", ["New York, NY"]),
        ("url", ["New York, NY"]),
    ],
)
def test_one_requisition_in_several_cities_unions_the_locations(reason, expected):
    out = run(ats(), ats(external_id="4243", locations=[AUSTIN, NYC], id=None), reason=reason)
    assert [loc.raw for loc in out.posting.locations] == expected


def test_the_canonical_source_refreshing_sets_the_locations_it_now_lists():
    # A re-sighting of the canonical source itself ("exact"): its locations are the posting's, a dropped city goes.
    out = run(ats(locations=[NYC, AUSTIN]), ats(locations=[AUSTIN], id=None), canonical=True, reason="exact")
    assert out.posting.locations == [AUSTIN]
    # When it lists none, the stored ones stay (a value is never lost to a source that does not carry it).
    out = run(ats(locations=[NYC, AUSTIN]), ats(locations=[], id=None), canonical=True, reason="exact")
    assert out.posting.locations == [NYC, AUSTIN]


# --- what counts as a change -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("incoming", "changed"),
    [
        (copy_of(employment_type=None, description_text=""), False),  # nothing to fill
        (copy_of(), True),  # employment type filled
        (copy_of(employment_type=None, remote_regions=["US"]), True),
        # Only provenance would move (a text range replaced by the same range read structurally): no update.
        (
            copy_of(employment_type=None, pay=TEXT_PAY, pay_ranges=[TEXT_PAY], provenance={"pay": "structured"}),
            False,
        ),
    ],
)
def test_merged_state_tells_an_update_from_a_no_op(incoming, changed):
    current = ats(pay=TEXT_PAY, pay_ranges=[TEXT_PAY], provenance={"pay": "text"})
    out = run(current, incoming)
    assert (merge.merged_state(out.posting) != merge.merged_state(current)) is changed


def test_merged_state_ignores_the_description_wording_but_not_its_length():
    a = ats(description_text="abc")
    assert merge.merged_state(a) == merge.merged_state(ats(description_text="xyz"))
    assert merge.merged_state(a) != merge.merged_state(ats(description_text="abcd"))
