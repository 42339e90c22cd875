"""crawler/settings.py: what the project's Scrapy settings guarantee."""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request
from scrapy.core.downloader.handlers import DownloadHandlers
from scrapy.exceptions import NotSupported
from scrapy.utils.python import without_none_values
from scrapy.utils.test import get_crawler

from crawler.config import resolve
from crawler.runner import scrapy_settings
from crawler.spiders.jsonld import JsonLdSpider


def project_settings(tmp_path):
    return scrapy_settings(resolve({"JOBSCOUT_CONFIG": str(tmp_path / "config.toml")}), "WARNING")


@pytest.mark.parametrize("scheme", ["file", "data", "ftp", "s3"])
def test_only_http_download_handlers_are_enabled(tmp_path, scheme):
    settings = project_settings(tmp_path)
    assert settings.getdict("DOWNLOAD_HANDLERS")[scheme] is None
    assert set(without_none_values(settings.getwithbase("DOWNLOAD_HANDLERS"))) == {"http", "https"}


@pytest.mark.parametrize("url", ["file:///etc/hostname", "data:text/plain,secret", "ftp://127.0.0.1/x"])
def test_a_request_for_another_scheme_is_not_supported(tmp_path, url):
    settings = project_settings(tmp_path)
    project = {name: settings[name] for name in ("DOWNLOAD_HANDLERS",)}
    handlers = DownloadHandlers(get_crawler(JsonLdSpider, project))
    with pytest.raises(NotSupported, match="Unsupported URL scheme"):
        asyncio.run(handlers.download_request_async(Request(url)))


# --- JOBSCOUT_NORMALIZE_PROCESSES ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "processes"), [("3", 3), (" 1 ", 1), ("0", 0), (2, 2), (0, 0)])
def test_normalize_processes_is_a_whole_number(value, processes):
    from crawler.settings import normalize_processes

    assert normalize_processes(value) == processes


@pytest.mark.parametrize("value", [None, "", "  "])
def test_normalize_processes_default_to_one_per_core(value):
    from crawler.settings import cores, normalize_processes

    assert normalize_processes(value) == cores() >= 1


@pytest.mark.parametrize("value", ["two", "-1", "1.5", "2 workers", True, 1.0])
def test_a_bad_normalize_processes_value_says_what_is_expected(value):
    from crawler.config import ConfigError
    from crawler.settings import normalize_processes

    with pytest.raises(ConfigError, match=r"JOBSCOUT_NORMALIZE_PROCESSES must be a whole number of processes >= 0"):
        normalize_processes(value)


def test_a_crawl_with_a_bad_normalize_processes_setting_fails_before_crawling(tmp_path):
    from crawler.config import ConfigError
    from crawler.pipelines import NormalizePipeline

    crawler = get_crawler(settings_dict={"JOBSCOUT_NORMALIZE_PROCESSES": "lots"})
    with pytest.raises(ConfigError, match="'lots'"):
        NormalizePipeline.from_crawler(crawler)


@pytest.mark.parametrize(
    ("parallel", "environment", "child"),
    [(1, None, None), (4, None, 1), (2, None, 1), (4, "3", None), (4, " ", 1)],
)
def test_crawls_run_side_by_side_get_one_normalize_process_each(monkeypatch, parallel, environment, child):
    from crawler.settings import child_normalize_processes

    if environment is None:
        monkeypatch.delenv("JOBSCOUT_NORMALIZE_PROCESSES", raising=False)
    else:
        monkeypatch.setenv("JOBSCOUT_NORMALIZE_PROCESSES", environment)
    assert child_normalize_processes(parallel) == child
