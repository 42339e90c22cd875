"""``jobscout query``: filter the aggregated postings."""

from __future__ import annotations

import click

from crawler.commands.options import DATE, db_option, split_csv
from crawler.commands.output import FORMATS, write_postings
from crawler.context import AppContext, UserError
from pipeline.model import EMPLOYMENT_TYPES, SENIORITIES, WORKPLACES


def _choices(values: tuple[str, ...], option: str):
    def check(_ctx, _param, given):
        items = split_csv(given)
        bad = [v for v in items if v not in values]
        if bad:
            raise click.BadParameter(f"{', '.join(bad)} (choose from {', '.join(values)})", param_hint=option)
        return items

    return check


@click.command()
@click.option("--skill", "skills", multiple=True, metavar="S", help="Required skill (repeat: all of them).")
@click.option("--any-skill", "any_skills", multiple=True, metavar="S", help="Any of these skills (repeatable).")
@click.option(
    "--workplace",
    multiple=True,
    callback=_choices(WORKPLACES, "--workplace"),
    help="remote, hybrid or onsite (repeatable).",
)
@click.option(
    "--seniority",
    multiple=True,
    callback=_choices(SENIORITIES, "--seniority"),
    help="intern ... manager (repeatable).",
)
@click.option(
    "--employment-type",
    multiple=True,
    callback=_choices(EMPLOYMENT_TYPES, "--employment-type"),
    help="full_time, part_time, contract, internship, temporary.",
)
@click.option("--min-pay", type=click.FloatRange(min=0), metavar="N", help="Annual pay range reaches N.")
@click.option("--max-pay", type=click.FloatRange(min=0), metavar="N", help="Annual pay range starts at or below N.")
@click.option("--currency", default="USD", show_default=True, metavar="C", help="Currency of --min-pay/--max-pay.")
@click.option("--include-unknown-pay", is_flag=True, help="With --min-pay/--max-pay, keep postings stating no pay.")
@click.option("--company", metavar="NAME", help="Company (matched on the normalized name).")
@click.option("--country", metavar="CC", help="ISO 3166-1 alpha-2 country code of the first location.")
@click.option("--source", "sources", multiple=True, metavar="SOURCE", help="Only postings from this source.")
@click.option("--posted-since", type=DATE, help="Posted on or after DATE (YYYY-MM-DD or an age: 7d).")
@click.option("--seen-since", type=DATE, help="Last seen on or after DATE.")
@click.option("--include-closed", is_flag=True, help="Include postings no longer listed.")
@click.option("--all-roles", is_flag=True, help="Include non-backend roles.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most N postings.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip the first N postings (pagination).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="json prints a JSON array of schema v1 postings.",
)
@db_option
@click.pass_obj
def query(
    app: AppContext,
    skills,
    any_skills,
    workplace,
    seniority,
    employment_type,
    min_pay,
    max_pay,
    currency,
    include_unknown_pay,
    company,
    country,
    sources,
    posted_since,
    seen_since,
    include_closed,
    all_roles,
    limit,
    offset,
    fmt,
) -> int:
    """Query the aggregated postings: open backend roles, newest first, unless flags say otherwise."""
    from storage.query import PostingFilters, build_select
    from storage.repository import to_schema

    if len(currency) != 3 or not currency.isalpha():
        raise UserError(f"--currency expects a 3-letter ISO 4217 code, got {currency!r}")
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise UserError(f"--country expects a 2-letter ISO 3166-1 code, got {country!r}")
    filters = PostingFilters(
        skills=canonical_skills(split_csv(skills)),
        any_skills=canonical_skills(split_csv(any_skills)),
        workplace=workplace,
        seniority=seniority,
        employment_type=employment_type,
        min_pay=min_pay,
        max_pay=max_pay,
        currency=currency.upper(),
        include_unknown_pay=include_unknown_pay,
        company=company,
        country=country,
        source=split_csv(sources),
        posted_since=posted_since,
        seen_since=seen_since,
        include_closed=include_closed,
        all_roles=all_roles,
    )
    stmt = build_select(filters).limit(limit).offset(offset)
    with app.session() as session:
        rows = session.scalars(stmt)
        write_postings((to_schema(row) for row in rows), fmt)
    return 0


def canonical_skills(names: list[str]) -> list[str]:
    """Map what the user typed ("golang", "k8s") to the taxonomy's canonical names; unknown names pass through."""
    from pipeline.skills import load_taxonomy

    taxonomy = load_taxonomy()
    return [skill.name if (skill := taxonomy.lookup_tag(name)) else name for name in names]
