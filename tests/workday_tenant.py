"""A fake Workday tenant for the spider tests: the CXS listing (POST, ``limit``/``offset``/``appliedFacets``,
``total`` on the first page only, a result cap) and job details, answering the local test server.

The recorded bodies under tests/fixtures/workday (one listing page, three details) are served as they are by
:func:`serve_fixtures`; :class:`Tenant` generates larger boards (facets, the result cap) from a list of jobs with
texts of our own, in the same format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tests.crawling import FIXTURES
from tests.http_server import FixtureServer, Response

WORKDAY = FIXTURES / "workday"
BOARD = "umbrella/wd5/UmbrellaCareers"


def cxs_path(board: str = BOARD) -> str:
    """The mirror path of a board's CXS root: ``/{tenant}/{wdN}/{site}/wday/cxs/{tenant}/{site}``."""
    tenant, _, site = board.split("/")
    return f"/{board}/wday/cxs/{tenant}/{site}"


def serve_fixtures(server: FixtureServer, board: str = BOARD) -> None:
    """The recorded-format board: one listing page of three jobs and their details."""
    server.add(f"{cxs_path(board)}/jobs", WORKDAY / "umbrella_jobs.json")
    for item in json.loads((WORKDAY / "umbrella_jobs.json").read_text())["jobPostings"]:
        name = item["externalPath"].rsplit("/", 1)[-1]
        server.add(f"{cxs_path(board)}{item['externalPath']}", WORKDAY / f"{name}.json")


@dataclass
class Job:
    number: int
    team: str  # the jobFamilyGroup facet value
    places: tuple[str, ...] = ("Austin",)  # the locations facet values (a job can have several)

    @property
    def path(self) -> str:
        return f"/job/{self.places[0]}/Engineer-{self.number}_JR{self.number}"


@dataclass
class Tenant:
    jobs: list[Job]
    cap: int = 2000
    #: listing requests that fail: (facet value or None, offset) -> HTTP status
    failing: dict[tuple[str | None, int], int] = field(default_factory=dict)
    board: str = BOARD

    def install(self, server: FixtureServer) -> None:
        root = cxs_path(self.board)
        server.add_handler(f"{root}/jobs", self.listing)
        for job in self.jobs:
            server.add(f"{root}{job.path}", Response(json.dumps(self.detail(job))))

    def facets(self, jobs: list[Job]) -> list[dict]:
        def values(key) -> list[dict]:
            counts: dict[str, int] = {}
            for job in jobs:
                for value in key(job):
                    counts[value] = counts.get(value, 0) + 1
            return [{"descriptor": v.title(), "id": f"id-{v}", "count": c} for v, c in sorted(counts.items())]

        return [
            {"facetParameter": "jobFamilyGroup", "descriptor": "Job Category", "values": values(lambda j: [j.team])},
            {
                "facetParameter": "locationMainGroup",
                "values": [
                    {"facetParameter": "locations", "descriptor": "Locations", "values": values(lambda j: j.places)}
                ],
            },
        ]

    def listing(self, method: str, path: str, body: bytes) -> Response:
        if method != "POST":
            return Response(b'{"errorCode": "HTTP_405"}', status=405)
        query = json.loads(body)
        if query["limit"] > 20:
            return Response(b'{"errorCode": "HTTP_400"}', status=400)
        applied = query.get("appliedFacets") or {}
        jobs = [job for job in self.jobs if self.matches(job, applied)]
        value = next((ids[0] for ids in applied.values()), None)
        if (status := self.failing.get((value, query["offset"]))) is not None:
            return Response(b"{}", status=status)
        offset, limit = query["offset"], query["limit"]
        page = jobs[offset : min(offset + limit, self.cap)] if offset < self.cap else []
        answer = {
            "total": len(jobs) if offset == 0 else 0,  # later pages report 0, as real tenants do
            "jobPostings": [
                {
                    "title": f"Engineer {j.number}",
                    "externalPath": j.path,
                    "locationsText": j.places[0] if len(j.places) == 1 else f"{len(j.places)} Locations",
                    "postedOn": "Posted Today",
                    "bulletFields": [f"JR{j.number}"],
                }
                for j in page
            ],
            "userAuthenticated": False,
        }
        if offset == 0:
            answer["facets"] = self.facets(jobs)
        return Response(json.dumps(answer))

    @staticmethod
    def matches(job: Job, applied: dict[str, list[str]]) -> bool:
        for name, ids in applied.items():
            have = [job.team] if name == "jobFamilyGroup" else list(job.places)
            if not any(f"id-{v}" in ids for v in have):
                return False
        return True

    def detail(self, job: Job) -> dict:
        name = job.path.rsplit("/", 1)[-1]
        return {
            "jobPostingInfo": {
                "id": f"{job.number:032x}",
                "title": f"Engineer {job.number}",
                "jobDescription": f"<p>Build services for team {job.team}.</p>",
                "location": job.places[0],
                "additionalLocations": list(job.places[1:]),
                "postedOn": "Posted Today",
                "startDate": "2026-11-30",
                "timeType": "Full time",
                "jobReqId": f"JR{job.number}",
                "jobPostingId": name,
                "externalUrl": f"https://umbrella.wd5.myworkdayjobs.com/UmbrellaCareers{job.path}",
            },
            "hiringOrganization": {"name": "Umbrella Corp", "url": ""},
            "similarJobs": [],
            "userAuthenticated": False,
        }


def listing_queries(server: FixtureServer, board: str = BOARD) -> list[dict]:
    """The JSON bodies of the listing requests the server received, in order."""
    jobs = f"{cxs_path(board)}/jobs"
    return [json.loads(body) for path, body in server.bodies if urlsplit(path).path == jobs]
