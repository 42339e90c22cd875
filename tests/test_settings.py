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
