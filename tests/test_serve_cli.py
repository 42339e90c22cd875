"""``jobscout serve``: the command in-process (options, loopback default, the warning off loopback) and for real in
a subprocess on both backends (the server answers the API over HTTP, then stops)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

pytest.importorskip("uvicorn", reason='the web extra is not installed: pip install -e ".[web]"')

from crawler.cli import main
from crawler.commands.serve import is_loopback
from tests.serve_data import build_catalog


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        *[("127.0.0.1", True), ("127.0.0.2", True), ("localhost", True), ("::1", True), ("[::1]", True)],
        *[("0.0.0.0", False), ("192.0.2.10", False), ("::", False), ("example.test", False)],
    ],
)
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


@pytest.fixture
def served(monkeypatch):
    """What uvicorn.run was asked to serve (nothing listens)."""
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.append((app, kwargs)))
    return calls


def test_serve_listens_on_loopback_by_default(isolated_env, served, capsys):
    assert main(["serve", "--db", f"sqlite:///{isolated_env}/s.db"]) == 0
    ((app, kwargs),) = served
    assert (kwargs["host"], kwargs["port"]) == ("127.0.0.1", 8000)
    from fastapi.testclient import TestClient

    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        for path in ("/", "/api/postings", "/feed", "/openapi.json"):
            assert client.get(path).status_code == 200, path
    err = capsys.readouterr().err
    assert "http://127.0.0.1:8000/" in err and "warning" not in err
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    assert any(m.cls is TrustedHostMiddleware for m in app.user_middleware)


def test_serve_warns_off_loopback(isolated_env, served, capsys):
    assert main(["serve", "--host", "0.0.0.0", "--port", "9001", "--db", f"sqlite:///{isolated_env}/s.db"]) == 0
    ((app, kwargs),) = served
    assert (kwargs["host"], kwargs["port"]) == ("0.0.0.0", 9001)
    assert "anyone who can reach it can read the database" in capsys.readouterr().err
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    assert not any(m.cls is TrustedHostMiddleware for m in app.user_middleware)


def test_serve_bad_options_are_one_line_errors(isolated_env, served, capsys):
    assert main(["serve", "--port", "70000"]) == 2
    assert "jobscout: error:" in capsys.readouterr().err
    assert main(["serve", "--db", f"{isolated_env}/no/such/dir/x.db"]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert served == []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 30.0):
    """GET ``url`` once the server is up (it is starting in another process)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.headers, exc.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_answers_over_http(db_url, isolated_env):
    ids = build_catalog(db_url)
    port = free_port()
    env = {**os.environ, "JOBSCOUT_CONFIG": str(isolated_env / "none.toml")}
    process = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "serve", "--db", db_url, "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        status, headers, body = get(f"{base}/api/postings?skill=Go")
        assert status == 200 and headers["content-type"] == "application/json"
        assert [p["id"] for p in json.loads(body)["postings"]] == [ids["k1"], ids["k3"]]
        status, headers, body = get(f"{base}/postings/{ids['k1']}")
        assert status == 200 and b"Platform Engineer" in body and "server" not in headers
        status, _, body = get(f"{base}/api/postings?workplace=moon")
        assert status == 422 and "workplace" in json.loads(body)["detail"]
        # a Host name other than the loopback's is refused (DNS rebinding)
        request = urllib.request.Request(f"{base}/api/postings", headers={"Host": "rebound.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        with refused.value:
            assert refused.value.code == 400
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in err
