"""crawler.board_urls: which ATS board a URL belongs to, and the boards a text links to."""

from __future__ import annotations

import pytest

from crawler.board_urls import BoardRef, board_ref, board_refs


@pytest.mark.parametrize(
    ("url", "expected"),  # expected: (source, token[, region]) or None
    [
        ("https://boards.greenhouse.io/acmepay/jobs/4012345678", ("greenhouse", "acmepay")),
        ("https://job-boards.greenhouse.io/AcmePay/jobs/4012345678?gh_src=x", ("greenhouse", "acmepay")),
        ("https://job-boards.eu.greenhouse.io/acmepay", ("greenhouse", "acmepay", "eu")),
        ("https://boards-api.greenhouse.io/v1/boards/acmepay/jobs?content=true", ("greenhouse", "acmepay")),
        (
            "https://boards.greenhouse.io/embed/job_board?for=acmepay&b=https://a.example",
            ("greenhouse", "acmepay"),
        ),
        (
            "https://boards.greenhouse.io/embed/job_app?for=acmepay&token=4012345678",
            ("greenhouse", "acmepay"),
        ),
        (
            "https://jobs.lever.co/northwind/5f0c1a2e-1111-4a6b-9c1d-000000000001/apply",
            ("lever", "northwind"),
        ),
        ("https://jobs.eu.lever.co/northwind", ("lever", "northwind", "eu")),
        ("https://api.lever.co/v0/postings/northwind?mode=json", ("lever", "northwind")),
        ("https://jobs.ashbyhq.com/Globex/1b2c3d4e-0000-4000-8000-000000000000", ("ashby", "Globex")),
        ("https://jobs.ashbyhq.com/Flock%20Safety", ("ashby", "Flock Safety")),
        (
            "https://api.ashbyhq.com/posting-api/job-board/globex?includeCompensation=true",
            ("ashby", "globex"),
        ),
        ("https://apply.workable.com/Initech/j/0AB5665160/", ("workable", "initech")),
        (
            "https://jobs.smartrecruiters.com/Umbrella/744000140949875-backend",
            ("smartrecruiters", "Umbrella"),
        ),
        ("https://careers.smartrecruiters.com/Umbrella", ("smartrecruiters", "Umbrella")),
        ("https://api.smartrecruiters.com/v1/companies/Umbrella/postings", ("smartrecruiters", "Umbrella")),
        ("http://boards.greenhouse.io/acmepay", ("greenhouse", "acmepay")),
        # platforms whose host names the company
        (
            "https://umbrella.wd5.myworkdayjobs.com/en-US/UmbrellaCareers/job/Remote/Backend-Engineer_JR1",
            ("workday", "umbrella/wd5/umbrellacareers"),
        ),
        ("https://Umbrella.wd5.myworkdayjobs.com/UmbrellaCareers", ("workday", "umbrella/wd5/umbrellacareers")),
        ("https://umbrella.wd5.myworkdayjobs.com/wday/cxs/umbrella/UmbrellaCareers/jobs", None),
        ("https://umbrella.wd5.myworkdayjobs.com/", None),
        ("https://hooli.recruitee.com/o/backend-engineer", ("recruitee", "hooli")),
        ("https://www.recruitee.com/pricing", None),
        ("https://wonka.jobs.personio.de/job/1234567?language=de", ("personio", "wonka")),
        ("https://wonka.jobs.personio.com/", ("personio", "wonka")),
        ("https://a.b.recruitee.com/", None),
        # not boards
        ("https://boards.greenhouse.io/assets/entry.client-7LaO0e09.js", None),
        ("https://boards.greenhouse.io/", None),
        ("https://boards.greenhouse.io/embed/job_board", None),
        ("https://jobs.lever.co/fonts/Lato2/Lato-Regular.woff", None),
        ("https://jobs.ashbyhq.com/api/images/org-theme-logo/08d5acec", None),
        ("https://apply.workable.com/j/0AB5665160", None),
        ("https://cdn.greenhouse.io/acmepay", None),
        ("https://www.lever.co/customers", None),
        ("https://greenhouse.io.evil.example/acmepay", None),
        ("https://boards-api.greenhouse.io/v2/boards/acmepay", None),
        ("javascript:alert(1)//boards.greenhouse.io/acmepay", None),
        ("https://jobs.lever.co/<script>", None),
    ],
)
def test_board_ref(url, expected):
    assert board_ref(url) == (BoardRef(*expected) if expected else None)


def test_board_refs_in_html_json_and_prose():
    texts = [
        '<a href="https://boards.greenhouse.io/acmepay/jobs/1">Apply</a> or see jobs.lever.co/ignored (no scheme)',
        '{"apply_url": "https:\\/\\/jobs.ashbyhq.com\\/Globex\\/abc"}',
        "We're hiring (https://apply.workable.com/initech/), also https://jobs.lever.co/northwind.",
        None,
        "",
        '<iframe src="https://boards.greenhouse.io/embed/job_board?for=acmepay&amp;b=x"></iframe>',
        'Apply: <a href="https:&#x2F;&#x2F;job-boards.eu.greenhouse.io&#x2F;contoso&#x2F;jobs&#x2F;1">here</a>',
    ]
    assert board_refs(texts) == {
        BoardRef("greenhouse", "acmepay"),
        BoardRef("ashby", "Globex"),
        BoardRef("workable", "initech"),
        BoardRef("lever", "northwind"),
        BoardRef("greenhouse", "contoso", "eu"),
    }


# --- Platforms with a host per company (Pinpoint, Breezy, BambooHR, Teamtailor) ---------------------------------
@pytest.mark.parametrize(
    ("url", "expected"),  # expected: (source, token) or None
    [
        ("https://acme.pinpointhq.com/en/postings/0000aaaa-0000-4000-8000-000000000001", ("pinpoint", "acme")),
        ("https://acme.pinpointhq.com/postings.json", ("pinpoint", "acme")),
        ("https://Umbrella-Corp.breezy.hr/p/0123456789ab-backend-engineer", ("breezy", "umbrella-corp")),
        ("https://umbrella-corp.breezy.hr/", ("breezy", "umbrella-corp")),
        ("https://globex.bamboohr.com/careers/42", ("bamboohr", "globex")),
        ("https://globex.bamboohr.com/jobs/view.php?id=42", ("bamboohr", "globex")),
        ("https://vandelay.teamtailor.com/jobs/9100001-backend-engineer", ("teamtailor", "vandelay")),
        ("https://vandelay.na.teamtailor.com/jobs", ("teamtailor", "vandelay.na.teamtailor.com")),
        # not boards: the platforms' own sites, a tenant's HR application, deeper or bare hosts, look-alikes
        ("https://www.pinpointhq.com/customers", None),
        ("https://app.breezy.hr/signin", None),
        ("https://help.bamboohr.com/careers", None),
        ("https://globex.bamboohr.com/login.php", None),
        ("https://globex.bamboohr.com/", None),
        ("https://api.teamtailor.com/v1/jobs", None),
        ("https://a.b.teamtailor.com/jobs", None),
        ("https://teamtailor.com/jobs", None),
        ("https://acme.pinpointhq.com.evil.example/postings", None),
        ("https://acmepinpointhq.com/postings", None),
        ("ftp://acme.breezy.hr/json", None),
    ],
)
def test_board_ref_on_company_hosts(url, expected):
    assert board_ref(url) == (BoardRef(*expected) if expected else None)


def test_board_refs_find_company_host_boards_in_text():
    texts = [
        '<a href="https://vandelay.teamtailor.com/jobs/1-x">Apply</a> or https://globex.bamboohr.com/careers/7.',
        '{"url": "https:\\/\\/acme.pinpointhq.com\\/en\\/postings\\/1"}',
    ]
    assert board_refs(texts) == {
        BoardRef("teamtailor", "vandelay"),
        BoardRef("bamboohr", "globex"),
        BoardRef("pinpoint", "acme"),
    }


# --- Platforms II, second half (issue 17): Rippling, Join and Jobvite ----------------------------------------------
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://ats.rippling.com/pied-piper/jobs", ("rippling", "pied-piper")),
        ("https://ats.rippling.com/Pied-Piper/jobs/0f6a1c52-3d0e-4b7a-9c11-5e2f8a6b7c01", ("rippling", "Pied-Piper")),
        ("https://ats.rippling.com/api/v2/board/pied-piper/jobs?page=0", ("rippling", "pied-piper")),
        ("https://api.rippling.com/platform/api/ats/v1/board/pied-piper/jobs", ("rippling", "pied-piper")),
        ("https://join.com/companies/prestige-worldwide", ("join", "prestige-worldwide")),
        (
            "https://www.join.com/companies/prestige-worldwide/20000101-python-dev?pid=1",
            ("join", "prestige-worldwide"),
        ),
        ("https://jobs.jobvite.com/bluthcompany/search?nl=0", ("jobvite", "bluthcompany")),
        ("https://jobs.jobvite.com/bluthcompany/job/oAbC1dEf", ("jobvite", "bluthcompany")),
        ("https://ats.rippling.com/api/v2/board", None),
        ("https://ats.rippling.com/_next/static/chunk.js", None),
        ("https://api.rippling.com/platform/api/employees", None),
        ("https://join.com/", None),
        ("https://join.com/pricing", None),
        ("https://join.com/companies/", None),
        ("https://jobs.jobvite.com/careers/bluthcompany", None),
        ("https://www.jobvite.com/bluthcompany", None),
    ],
)
def test_board_ref_rippling_join_jobvite(url, expected):
    assert board_ref(url) == (BoardRef(*expected) if expected else None)
