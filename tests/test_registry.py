"""The shipped board registry: the build script (bench.build_registry) and the loader (crawler.registry)."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from pathlib import Path

import pytest

from bench import build_registry as br
from crawler.registry import SHIPPED, RegistryBoard, RegistryError, load_shipped, registry_meta
from tests.corpus import require_corpus

JOBSEEK_COMMIT = "1" * 40
ATS_COMMIT = "2" * 40
MIT = "MIT License\n\nCopyright (c) {}\n\nPermission is hereby granted ...\n"


def write_lists(root: Path, jobseek: list[tuple] = (), ats: dict[str, list[tuple]] | None = None) -> Path:
    """A tiny registry folder in the real column formats.

    ``jobseek``: (company_slug, company_name, monitor_type, board_url, monitor_config dict or None);
    ``ats``: file stem -> [(name, slug, url)]."""
    (root / "ats-scrapers").mkdir(parents=True)
    (root / "README.md").write_text(
        f"| `jobseek_boards.csv` | colophon-group/jobseek @ `{JOBSEEK_COMMIT}`, ... |\n"
        f"| `ats-scrapers/*.csv` | complete-labs/ats-scrapers @ `{ATS_COMMIT}`, ... |\n"
    )
    (root / "LICENSE_jobseek_MIT.txt").write_text(MIT.format("2025 Viktor Shcherbakov"))
    (root / "ats-scrapers" / "LICENSE_MIT.txt").write_text(MIT.format("2026 Kalil Bouzigues"))
    with (root / "jobseek_boards.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "company_slug",
                "board_slug",
                "board_url",
                "monitor_type",
                "monitor_config",
                "scraper_type",
                "scraper_config",
            ]
        )
        for i, (slug, _, kind, url, cfg) in enumerate(jobseek):
            w.writerow([slug, f"{slug}-{i}", url, kind, json.dumps(cfg) if cfg is not None else "", "skip", ""])
    with (root / "jobseek_companies.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["slug", "name", "website", "logo_url", "icon_url", "logo_type", "industry", "x", "y", "extras"])
        for slug, name, *_ in jobseek:
            w.writerow([slug, name, f"https://{slug}.example", "https://logo", "", "icon", "1", "", "", ""])
    for stem, rows in (ats or {}).items():
        with (root / "ats-scrapers" / f"{stem}.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["name", "slug", "url"])
            w.writerows(rows)
    if not ats:  # the build needs at least one ats-scrapers file
        (root / "ats-scrapers" / "greenhouse.csv").write_text("name,slug,url\n")
    return root


def built(root: Path) -> list[tuple]:
    entries, _ = br.build(root)
    return [(e.source, e.token, e.company, e.config, ";".join(sorted(e.origins))) for e in entries]


BOTH = "ats-scrapers;jobseek"

CASES = {
    "greenhouse merges across case, jobseek spelling and name win": (
        [("stripe", "Stripe", "greenhouse", "https://job-boards.greenhouse.io/Stripe", {"token": "Stripe"})],
        {"greenhouse": [("Stripe Inc", "stripe", "https://job-boards.greenhouse.io/stripe")]},
        [("greenhouse", "Stripe", "Stripe", {}, BOTH)],
    ),
    "greenhouse token from an API URL, EU region from the host": (
        [
            ("airbnb", "Airbnb", "greenhouse", "https://boards-api.greenhouse.io/v1/boards/airbnb/jobs", None),
            ("qphox", "QphoX", "greenhouse", "https://job-boards.eu.greenhouse.io/qphox", None),
            ("block", "Block", "greenhouse", "https://x.example/careers", {"board_token": "block"}),
        ],
        {},
        [
            ("greenhouse", "airbnb", "Airbnb", {}, "jobseek"),
            ("greenhouse", "block", "Block", {}, "jobseek"),
            ("greenhouse", "qphox", "QphoX", {"region": "eu"}, "jobseek"),
        ],
    ),
    "ashby is case-sensitive: two boards": (
        [("abridge", "Abridge", "ashby", "https://jobs.ashbyhq.com/Abridge", None)],
        {"ashby": [("Abridge", "abridge", "https://jobs.ashbyhq.com/abridge")]},
        [("ashby", "Abridge", "Abridge", {}, "jobseek"), ("ashby", "abridge", "Abridge", {}, "ats-scrapers")],
    ),
    "smartrecruiters is case-sensitive; company/company_identifier keys": (
        [
            (
                "abbvie",
                "AbbVie",
                "smartrecruiters",
                "https://careers.smartrecruiters.com/AbbVie",
                {"token": "AbbVie"},
            ),
            ("tm", "Tech Mahindra", "smartrecruiters", "https://x.example", {"company_identifier": "TechMahindra1"}),
        ],
        {"smartrecruiters": [("Abbvie", "abbvie", "https://careers.smartrecruiters.com/abbvie")]},
        [
            ("smartrecruiters", "AbbVie", "AbbVie", {}, "jobseek"),
            ("smartrecruiters", "TechMahindra1", "Tech Mahindra", {}, "jobseek"),
            ("smartrecruiters", "abbvie", "Abbvie", {}, "ats-scrapers"),
        ],
    ),
    "lever EU from jobseek's region or URL, merged with the global row": (
        [
            (
                "mavenoid",
                "Mavenoid",
                "lever",
                "https://jobs.eu.lever.co/mavenoid",
                {"token": "mavenoid", "region": "eu"},
            ),
            ("prosus", "Prosus", "lever", "https://jobs.eu.lever.co/prosus", None),
        ],
        {"lever": [("Mavenoid AB", "mavenoid", "https://jobs.lever.co/mavenoid")]},
        [
            ("lever", "mavenoid", "Mavenoid", {"region": "eu"}, BOTH),
            ("lever", "prosus", "Prosus", {"region": "eu"}, "jobseek"),
        ],
    ),
    "workday: tenant/wdN/site token, domain in config, case-insensitive": (
        [
            (
                "accenture",
                "Accenture",
                "workday",
                "https://accenture.wd103.myworkdayjobs.com/accenturecareers",
                {"company": "accenture", "wd_instance": "wd103", "site": "AccentureCareers", "all_sites": False},
            ),
            (
                "wf",
                "Wells Fargo",
                "workday",
                "https://wd1.myworkdaysite.com/recruiting/wf/WellsFargoJobs",
                None,
            ),
            # "instance" holding the site, not a wdN instance: the instance comes from the URL
            (
                "initech",
                "Initech",
                "workday",
                "https://initech.wd1.myworkdayjobs.com/Careers",
                {"instance": "Careers"},
            ),
        ],
        {
            "workday": [
                (
                    "Accenture",
                    "accenture/accenturecareers",
                    "https://accenture.wd103.myworkdayjobs.com/accenturecareers",
                ),
                ("Atmos", "atmosenergy/wd108/External", "https://atmosenergy.wd108.myworkdayjobs.com/en-US/External"),
                ("Hc", "bcbsnj/hc", "https://bcbsnj.wd5.myworkdayjobs.com/hc"),
            ]
        },
        [
            ("workday", "accenture/wd103/AccentureCareers", "Accenture", {}, BOTH),
            ("workday", "atmosenergy/wd108/External", "Atmos", {}, "ats-scrapers"),
            ("workday", "bcbsnj/wd5/hc", "Hc", {}, "ats-scrapers"),
            ("workday", "initech/wd1/Careers", "Initech", {}, "jobseek"),
            (
                "workday",
                "wf/wd1/WellsFargoJobs",
                "Wells Fargo",
                {"domain": "myworkdaysite.com"},
                "jobseek",
            ),
        ],
    ),
    "recruitee: subdomain, custom domain api_base, jobseek's placeholder slug": (
        [
            (
                "convious",
                "Convious",
                "recruitee",
                "https://careers.convious.com/",
                {"slug": "careers-analytics", "api_base": "https://careers.convious.com"},
            ),
            (
                "semrush",
                "Semrush",
                "recruitee",
                "https://careers.semrush.com/",
                {"slug": "semrush", "api_base": "https://semrush.recruitee.com"},
            ),
        ],
        {
            "recruitee": [
                ("Atiba", "jobs.atiba.com", "https://jobs.atiba.com"),
                ("Livestorm", "livestorm", "https://jobs.livestorm.co"),
                ("SEMrush", "Semrush", "https://semrush.recruitee.com"),
            ]
        },
        [
            (
                "recruitee",
                "careers.convious.com",
                "Convious",
                {"api_base": "https://careers.convious.com"},
                "jobseek",
            ),
            ("recruitee", "jobs.atiba.com", "Atiba", {"api_base": "https://jobs.atiba.com"}, "ats-scrapers"),
            ("recruitee", "livestorm", "Livestorm", {}, "ats-scrapers"),
            ("recruitee", "semrush", "Semrush", {}, BOTH),
        ],
    ),
    "personio: .de domain and language from jobseek, .com is the default": (
        [("arx", "ARX", "personio", "https://arx.jobs.personio.de", {"slug": "arx", "language": "en"})],
        {
            "personio": [
                ("Arx", "arx", "https://arx.jobs.personio.com"),
                ("1NCE", "1nce", "https://1nce.jobs.personio.com"),
            ]
        },
        [
            ("personio", "1nce", "1NCE", {}, "ats-scrapers"),
            ("personio", "arx", "ARX", {"domain": "jobs.personio.de", "language": "en"}, BOTH),
        ],
    ),
    "teamtailor from jobseek rss presets (custom host) and ats-scrapers": (
        [
            (
                "aira",
                "Aira",
                "rss",
                "https://career.airahome.com/jobs",
                {"preset": "teamtailor", "feed_url": "https://career.airahome.com/jobs.rss"},
            ),
            ("axmed", "Axmed", "rss", "https://axmed.teamtailor.com/", {"preset": "teamtailor"}),
            ("sf", "SuccessCo", "rss", "https://x.example/feed", {"preset": "successfactors", "feed_url": "x"}),
        ],
        {"teamtailor": [("Axmed AB", "axmed", "https://axmed.teamtailor.com")]},
        [
            ("teamtailor", "axmed", "Axmed", {}, BOTH),
            ("teamtailor", "career.airahome.com", "Aira", {"host": "career.airahome.com"}, "jobseek"),
        ],
    ),
    "join_com file is the join source; generic and unknown types are left out": (
        [
            ("komma", "1KOMMA5", "join", "https://join.com/companies/1komma5grad", {"slug": "1komma5grad"}),
            ("big", "BigCo", "dom", "https://jobs.lever.co/bigco", {"url_filter": "/x/"}),
            ("amex", "Amex", "eightfold", "https://aexp.eightfold.ai/careers", {"url_filter": "/careers/job/"}),
        ],
        {"join_com": [("1KOMMA5 GmbH", "1komma5grad", "https://join.com/companies/1komma5grad")]},
        [("join", "1komma5grad", "1KOMMA5", {}, BOTH)],
    ),
    "blast_radius_floor and portal_url are jobseek settings, not board config": (
        [
            (
                "freetrade",
                "Freetrade",
                "ashby",
                "https://jobs.ashbyhq.com/freetrade",
                {"token": "freetrade", "blast_radius_floor": 0.9},
            ),
            (
                "ascento",
                "Ascento",
                "breezy",
                "https://ascento.com/jobs",
                {"slug": "ascento-ag", "portal_url": "https://ascento.com/jobs"},
            ),
        ],
        {},
        [("ashby", "freetrade", "Freetrade", {}, "jobseek"), ("breezy", "ascento-ag", "Ascento", {}, "jobseek")],
    ),
}


@pytest.mark.parametrize(("jobseek", "ats", "expected"), list(CASES.values()), ids=list(CASES))
def test_build_normalizes_and_deduplicates(tmp_path, jobseek, ats, expected):
    assert built(write_lists(tmp_path / "registry", jobseek, ats)) == expected


def test_our_list_adds_boards_and_ranks_below_both_lists(tmp_path):
    root = write_lists(
        tmp_path / "registry",
        [("acme", "Acme", "ashby", "https://jobs.ashbyhq.com/acme", {"token": "acme"})],
        {"workable": [("Initech", "initech", "https://apply.workable.com/initech")]},
    )
    ours = tmp_path / "ours.csv"
    ours.write_text(
        "source,token,company,evidence\n"
        "ashby,Acme,Acme Corp,corpus: a body\n"  # another spelling: Ashby is case-sensitive, so another board
        "workable,Initech,Initech Corp,corpus: a URL\n"  # the same board: the lists' spelling and name win
    )
    entries, _ = br.build(root, ours)
    assert [(e.source, e.token, e.company, ";".join(sorted(e.origins))) for e in entries] == [
        ("ashby", "Acme", "Acme Corp", "jobscout"),
        ("ashby", "acme", "Acme", "jobseek"),
        ("workable", "initech", "Initech", "ats-scrapers;jobscout"),
    ]


def test_crawled_platforms_are_the_platform_spiders():
    from crawler.registry import CRAWLED_PLATFORMS
    from crawler.runner import available_sources, scrapy_settings, spider_class
    from crawler.settings import _config

    settings = scrapy_settings(_config)
    platforms = {
        name
        for name in available_sources(settings)
        if getattr(cls := spider_class(settings, name), "needs_boards", False) and not cls.single_feed
    }
    assert platforms == CRAWLED_PLATFORMS


def test_build_reports_rows_left_out(tmp_path):
    root = write_lists(
        tmp_path / "registry",
        [
            ("big", "BigCo", "dom", "https://bigco.example/jobs", {"url_filter": "/x/"}),
            ("amex", "Amex", "eightfold", "https://aexp.eightfold.ai/careers", None),
            ("nope", "Nope", "greenhouse", "https://example.com/careers", None),
        ],
    )
    entries, skipped = br.build(root)
    assert entries == []
    assert skipped == {
        "jobseek: generic method dom": 1,
        "jobseek: type eightfold": 1,
        "jobseek: greenhouse row without a token": 1,
    }


def test_write_is_deterministic_and_ships_licences_and_meta(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    root = write_lists(
        tmp_path / "registry",
        [("acme", "Acme, Inc.", "lever", "https://jobs.lever.co/acme", {"token": "acme"})],
        {
            "lever": [("Acme", "acme", "https://jobs.lever.co/acme")],
            "ashby": [("Zed", "zed", "https://jobs.ashbyhq.com/zed")],
        },
    )
    out = tmp_path / "pkg" / "registry.csv.gz"
    info = br.write(root, out, extra=None)
    first = out.read_bytes()
    assert br.write(root, out, extra=None) == info and out.read_bytes() == first
    assert first[4:8] == b"\0\0\0\0"  # gzip mtime 0
    assert gzip.decompress(first).decode() == (
        "source,token,company,config,origins\n"
        "ashby,zed,Zed,,ats-scrapers\n"
        'lever,acme,"Acme, Inc.",,ats-scrapers;jobseek\n'
    )
    meta = json.loads((out.parent / "registry.json").read_text())
    assert meta == info
    assert meta["built"] == "2026-09-21"
    assert meta["sha256"] == hashlib.sha256(first).hexdigest()
    assert meta["sources"] == {"ashby": 1, "lever": 1} and meta["rows"] == 2
    assert [(u["repository"], u["commit"]) for u in meta["upstream"]] == [
        ("colophon-group/jobseek", JOBSEEK_COMMIT),
        ("complete-labs/ats-scrapers", ATS_COMMIT),
    ]
    assert "Viktor Shcherbakov" in (out.parent / "licenses" / "jobseek-LICENSE.txt").read_text()
    assert "Kalil Bouzigues" in (out.parent / "licenses" / "ats-scrapers-LICENSE.txt").read_text()
    # the loader reads what the build wrote
    assert load_shipped(out) == [
        RegistryBoard("ashby", "zed", "Zed", {}, ("ats-scrapers",)),
        RegistryBoard("lever", "acme", "Acme, Inc.", {}, ("ats-scrapers", "jobseek")),
    ]
    assert registry_meta(out.parent / "registry.json")["rows"] == 2


def test_build_fails_clearly_without_upstream_commits(tmp_path):
    root = write_lists(tmp_path / "registry")
    (root / "README.md").write_text("no commits here\n")
    with pytest.raises(br.BuildError, match="names no commit for colophon-group/jobseek"):
        br.write(root, tmp_path / "out" / "registry.csv.gz")


# --- loader ------------------------------------------------------------------------------------------------------


def write_registry(path: Path, rows: list[list[str]], header: str = "source,token,company,config,origins") -> Path:
    text = io.StringIO()
    text.write(header + "\n")
    csv.writer(text, lineterminator="\n").writerows(rows)
    path.write_bytes(gzip.compress(text.getvalue().encode()))
    return path


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"region": "eu"},
        {"search_text": "Dollar Tree"},
        {"api_base": "https://careers.example.com", "nested": {"a": [1, 2.5, None, True]}, "name": 'Zürich, "HQ"'},
    ],
)
def test_loader_round_trips_config_json(tmp_path, config):
    path = write_registry(
        tmp_path / "r.csv.gz", [["workday", "acme/wd5/External", "Acme", br.dump_config(config), "jobseek"]]
    )
    (board,) = load_shipped(path)
    assert board == RegistryBoard("workday", "acme/wd5/External", "Acme", config, ("jobseek",))
    assert br.dump_config(board.config) == br.dump_config(config)


def test_loader_reads_empty_fields_and_plain_csv(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("source,token,company,config,origins\nlever,acme,,,\n")
    assert load_shipped(path) == [RegistryBoard("lever", "acme", None, {}, ())]
    assert hash(load_shipped(path)[0])  # usable in sets despite the dict field


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        ([], "source,token,company", "expected header"),
        ([["lever", "acme", "Acme", "{not json", "jobseek"]], None, "config is not JSON"),
        ([["lever", "acme", "Acme", "[1]", "jobseek"]], None, "must be a JSON object"),
        ([["lever", "", "Acme", "", "jobseek"]], None, "source and token are required"),
        ([["lever", "acme"]], None, "expected 5 columns"),
    ],
)
def test_loader_rejects_bad_files(tmp_path, rows, header, message):
    path = write_registry(tmp_path / "r.csv.gz", rows, *([header] if header else []))
    with pytest.raises(RegistryError, match=message):
        load_shipped(path)


def test_loader_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(RegistryError, match="does not exist"):
        load_shipped(tmp_path / "none.csv.gz")
    with pytest.raises(RegistryError, match="does not exist"):
        registry_meta(tmp_path / "none.json")


def test_packaged_registry_matches_its_metadata():
    boards = load_shipped()
    meta = registry_meta()
    assert meta["sha256"] == hashlib.sha256(SHIPPED.read_bytes()).hexdigest()
    assert len(boards) == meta["rows"] > 50_000
    counts: dict[str, int] = {}
    for b in boards:
        counts[b.source] = counts.get(b.source, 0) + 1
    assert counts == meta["sources"]
    keys = [br.dedup_key(b.source, b.token) for b in boards]
    assert keys == sorted(keys) and len(set(keys)) == len(keys)
    assert all(set(b.origins) <= {"jobseek", "ats-scrapers", "jobscout"} and b.origins for b in boards)
    for licence in ("licenses/jobseek-LICENSE.txt", "licenses/ats-scrapers-LICENSE.txt"):
        assert (SHIPPED.parent / licence).read_text().startswith("MIT License")


# --- the real lists ----------------------------------------------------------------------------------------------

#: The issue's figures (issue 14) for the platforms jobscout reads today.
ISSUE_FIGURES = {"greenhouse": 6200, "ashby": 3500, "lever": 2400, "smartrecruiters": 2800, "workable": 4300}


@pytest.mark.corpus
def test_build_on_the_real_lists_matches_the_committed_file(tmp_path):
    root = require_corpus("registry")
    out = tmp_path / "registry.csv.gz"
    info = br.write(root, out)
    for source, figure in ISSUE_FIGURES.items():
        assert abs(info["sources"][source] - figure) <= figure * 0.03, (source, info["sources"][source])
    assert sum(info["sources"][s] for s in ISSUE_FIGURES) > 19_000
    assert out.read_bytes() == SHIPPED.read_bytes(), (
        "crawler/data/registry.csv.gz is stale: rerun bench.build_registry"
    )
    committed = registry_meta()
    assert {k: v for k, v in info.items() if k != "built"} == {k: v for k, v in committed.items() if k != "built"}
