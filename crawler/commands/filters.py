"""The posting filters shared by ``query``, ``stats``, ``export`` and ``watch add`` (one definition, one
behaviour: the glossary's flags mean the same everywhere)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from crawler.commands.options import AMOUNT, DATE, ChoiceList, choice, flatten, split_csv
from crawler.context import UserError
from pipeline.model import EMPLOYMENT_TYPES, SENIORITIES, WORKPLACES

FILTER_PARAMS = (
    "skills",
    "any_skills",
    "workplace",
    "remote_region",
    "seniority",
    "employment_type",
    "min_pay",
    "max_pay",
    "currency",
    "exact_currency",
    "include_unknown_pay",
    "company",
    "country",
    "city",
    "sources",
    "visa",
    "search",
    "posted_since",
    "seen_since",
    "include_closed",
    "all_roles",
)


_OPTIONS = [
    click.option("--skill", "skills", multiple=True, metavar="S", help="Required skill (repeat: all of them)."),
    click.option("--any-skill", "any_skills", multiple=True, metavar="S", help="Any of these skills (repeatable)."),
    click.option(
        "--workplace",
        multiple=True,
        type=ChoiceList(WORKPLACES),
        callback=flatten,
        help="Work mode (repeatable or comma-separated; any case).",
    ),
    click.option(
        "--remote-region",
        multiple=True,
        metavar="R",
        help="Remote hires allowed from R (US, DE, Europe, EMEA, ...); Worldwide postings qualify too.",
    ),
    click.option(
        "--seniority",
        multiple=True,
        type=ChoiceList(SENIORITIES),
        callback=flatten,
        help="Seniority (repeatable or comma-separated; any case).",
    ),
    click.option(
        "--employment-type",
        multiple=True,
        type=ChoiceList(EMPLOYMENT_TYPES),
        callback=flatten,
        help="Employment type (repeatable or comma-separated; any case).",
    ),
    click.option(
        "--min-pay",
        type=AMOUNT,
        metavar="N",
        help="Annual pay range reaches N (in --currency; other currencies converted at ECB reference rates).",
    ),
    click.option("--max-pay", type=AMOUNT, metavar="N", help="Annual pay range starts at or below N."),
    click.option(
        "--currency",
        default="USD",
        show_default=True,
        metavar="C",
        help="Currency of --min-pay/--max-pay and of --sort pay (ISO 4217 code).",
    ),
    click.option(
        "--exact-currency",
        is_flag=True,
        help="Only postings stating pay in --currency (no conversion).",
    ),
    click.option(
        "--include-unknown-pay",
        is_flag=True,
        help="With --min-pay/--max-pay, keep postings stating no pay or a currency without a rate.",
    ),
    click.option("--company", metavar="NAME", help="Company (matched on the normalized name)."),
    click.option("--country", metavar="CC", help="ISO 3166-1 alpha-2 country of any location."),
    click.option("--city", metavar="CITY", help="City of any location (abbreviations too: NYC, SF, LA)."),
    click.option("--source", "sources", multiple=True, metavar="SOURCE", help="Only postings from this source."),
    click.option("--visa", type=choice("yes", "no"), help="Visa sponsorship stated (yes) or refused (no)."),
    click.option(
        "--search",
        metavar="TEXT",
        help='Full-text search in title and description: words, "phrases", prefix*, -excluded.',
    ),
    click.option("--posted-since", type=DATE, help="Posted on or after DATE (YYYY-MM-DD or an age: 7d)."),
    click.option("--seen-since", type=DATE, help="Last seen on or after DATE."),
    click.option("--include-closed", is_flag=True, help="Include postings no longer listed."),
    click.option("--all-roles", is_flag=True, help="Include non-backend roles."),
]


def filter_options(func: Callable) -> Callable:
    """Decorate a command with every posting filter option."""
    for option in reversed(_OPTIONS):
        func = option(func)
    return func


def build_filters(params: dict[str, Any], sort: str = "posted"):
    """A :class:`storage.query.PostingFilters` from the options' values (validated; UserError on bad input)."""
    from storage.query import PostingFilters

    currency = params.get("currency") or "USD"
    if len(currency) != 3 or not currency.isalpha():
        raise UserError(f"--currency expects a 3-letter ISO 4217 code, got {currency!r}")
    country = params.get("country")
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise UserError(f"--country expects a 2-letter ISO 3166-1 code, got {country!r}")
    search = params.get("search")
    if search is not None:
        from storage.search import parse_search

        if not parse_search(search).positive:
            raise UserError(f"--search {search!r} has no term to look for")
    sources = split_csv(params.get("sources"))
    if sources:
        known = known_sources()
        if unknown := [s for s in sources if s not in known]:
            names = ", ".join(repr(s) for s in unknown)
            raise UserError(f"--source {names}: no such source (known sources: {', '.join(known)})")
    visa = params.get("visa")
    return PostingFilters(
        skills=canonical_skills(split_csv(params.get("skills"))),
        any_skills=canonical_skills(split_csv(params.get("any_skills"))),
        workplace=list(params.get("workplace") or []),
        remote_regions=_regions(split_csv(params.get("remote_region"))),
        seniority=list(params.get("seniority") or []),
        employment_type=list(params.get("employment_type") or []),
        min_pay=params.get("min_pay"),
        max_pay=params.get("max_pay"),
        currency=currency.upper(),
        exact_currency=bool(params.get("exact_currency")),
        include_unknown_pay=bool(params.get("include_unknown_pay")),
        company=params.get("company"),
        country=country.upper() if country else None,
        city=params.get("city"),
        source=sources,
        visa=None if visa is None else visa.lower() == "yes",
        search=search,
        posted_since=params.get("posted_since"),
        seen_since=params.get("seen_since"),
        include_closed=bool(params.get("include_closed")),
        all_roles=bool(params.get("all_roles")),
        sort=sort,
    )


def known_sources() -> list[str]:
    """The sources jobscout crawls (its spiders' names): what ``--source`` may name."""
    from scrapy.settings import Settings

    from crawler.runner import available_sources

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    return available_sources(settings)


def _regions(values: list[str]) -> list[str]:
    """Country codes upper-cased; region names as the workplace parser writes them (Europe, EMEA, ...)."""
    out = []
    for value in values:
        out.append(value.upper() if len(value) in (2, 4) and value.isalpha() else value[:1].upper() + value[1:])
    return out


def canonical_skills(names: list[str]) -> list[str]:
    """Map what the user typed ("golang", "k8s") to the taxonomy's canonical names; unknown names pass through."""
    from pipeline.skills import load_taxonomy

    taxonomy = load_taxonomy()
    return [skill.name if (skill := taxonomy.lookup_tag(name)) else name for name in names]


def pop_filter_params(kwargs: dict[str, Any]) -> dict[str, Any]:
    """Remove and return the filter options' values from a command's keyword arguments."""
    return {name: kwargs.pop(name) for name in FILTER_PARAMS if name in kwargs}
