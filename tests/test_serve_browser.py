"""``jobscout serve`` in a real browser: Debian's headless Chromium, driven by Selenium through chromium-driver
(bench/browser.py), against the app served on a loopback port. Search, filter with the form and with a facet, open
a posting and read its apply link, page through results, and check from a screenshot that the page renders.
Skipped with the reason when Chromium, its driver or Selenium is missing (``.ci/run`` installs them)."""

from __future__ import annotations

import io
from urllib.parse import parse_qsl, urlsplit

import pytest

from bench.browser import missing_browser

if (why := missing_browser()) is not None:
    pytest.skip(f"browser tests need headless Chromium: {why}", allow_module_level=True)
pytest.importorskip("fastapi", reason='the web extra is not installed: pip install -e ".[web]"')

from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.wait import WebDriverWait

from bench.browser import chromium, live_server
from crawler.web.app import create_app
from storage.db import open_database, read_only_session_factory
from tests.databases import database_url
from tests.serve_data import build_catalog, build_many


def _serve(tmp_path, build):
    with database_url("sqlite", tmp_path) as url:
        build(url)
        engine, _ = open_database(url)
        with live_server(create_app(read_only_session_factory(engine), dialect="sqlite")) as base:
            yield base


@pytest.fixture(scope="module")
def catalog_site(tmp_path_factory):
    yield from _serve(tmp_path_factory.mktemp("catalog"), build_catalog)


@pytest.fixture(scope="module")
def many_site(tmp_path_factory):
    yield from _serve(tmp_path_factory.mktemp("many"), lambda url: build_many(url, 45))


@pytest.fixture(scope="module")
def browser():
    with chromium() as driver:
        yield driver


def replaced(old):
    """A wait condition: ``old`` (an element of the page being left) is no longer in the document. Chromium answers
    for a node of a page halfway through being replaced with "Node with given id does not belong to the document"
    (an unknown error, not a stale element): that is gone too (``expected_conditions.staleness_of`` raised it)."""

    def gone(_driver) -> bool:
        try:
            old.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as exc:
            if "does not belong to the document" in str(exc):
                return True
            raise
        return False

    return gone


def follow(driver, element) -> None:
    """Click ``element`` and wait for the page it leads to (a click returns before the navigation ends)."""
    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 30).until(replaced(old))
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")


def count(driver) -> int:
    return int(driver.find_element(By.ID, "result-count").get_attribute("data-count"))


def titles(driver) -> list[str]:
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#results .result a.title")]


def query(driver) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(driver.current_url).query)


def test_search_lists_open_backend_postings(browser, catalog_site):
    browser.get(catalog_site + "/")
    assert browser.title == "jobscout: all open backend postings"
    assert count(browser) == 4
    expected = ["Platform Engineer", "Data Platform Engineer", "API Developer", "Site Reliability Engineer"]
    assert titles(browser) == expected
    assert browser.find_element(By.ID, "result-count").text.startswith("4 postings")


def test_filter_with_the_form(browser, catalog_site):
    browser.get(catalog_site + "/")
    browser.find_element(By.NAME, "skill").send_keys("go")
    browser.find_element(By.CSS_SELECTOR, "input[name=workplace][value=remote]").click()
    follow(browser, browser.find_element(By.ID, "apply-filters"))
    assert ("skill", "go") in query(browser) and ("workplace", "remote") in query(browser)
    assert count(browser) == 1 and titles(browser) == ["Platform Engineer"]
    # the form shows the search it ran
    assert browser.find_element(By.NAME, "skill").get_attribute("value") == "go"
    assert browser.find_element(By.CSS_SELECTOR, "input[name=workplace][value=remote]").is_selected()


def test_filter_with_a_facet(browser, catalog_site):
    browser.get(catalog_site + "/?skill=Go")
    assert count(browser) == 2
    follow(
        browser, browser.find_element(By.CSS_SELECTOR, ".facet[data-facet=country]").find_element(By.LINK_TEXT, "GB")
    )
    assert ("country", "GB") in query(browser) and ("skill", "Go") in query(browser)
    assert titles(browser) == ["Data Platform Engineer"]


def test_open_a_posting_and_its_apply_link(browser, catalog_site):
    browser.get(catalog_site + "/?search=platform")
    follow(browser, browser.find_element(By.LINK_TEXT, "Platform Engineer"))
    assert urlsplit(browser.current_url).path.startswith("/postings/")
    assert browser.find_element(By.ID, "posting-title").text == "Platform Engineer"
    apply = browser.find_element(By.CSS_SELECTOR, "#apply a.apply-link.primary")
    assert apply.text == "Apply" and apply.get_attribute("href") == "https://jobs.example/northwind/k1"
    description = browser.find_element(By.ID, "description")
    assert description.find_element(By.TAG_NAME, "h2").text == "Description"
    assert "payments" in description.text
    # the hostile markup is gone: nothing ran, nothing was loaded
    assert description.find_elements(By.CSS_SELECTOR, "script, img, iframe, style, [onclick], [onerror]") == []
    assert browser.title == "Platform Engineer — Northwind"
    history = browser.find_element(By.ID, "history").text
    assert "pay raised" in history


def test_paging(browser, many_site):
    browser.get(many_site + "/")
    assert count(browser) == 45 and browser.find_element(By.ID, "page-of").text == "page 1 of 3"
    assert titles(browser)[0] == "Engineer 045" and len(titles(browser)) == 20
    follow(browser, browser.find_element(By.ID, "next-page"))
    assert browser.find_element(By.ID, "page-of").text == "page 2 of 3"
    assert titles(browser)[0] == "Engineer 025" and ("page", "2") in query(browser)
    follow(browser, browser.find_element(By.ID, "next-page"))
    assert titles(browser) == [f"Engineer {i:03d}" for i in range(5, 0, -1)]
    assert browser.find_elements(By.ID, "next-page") == []
    follow(browser, browser.find_element(By.ID, "prev-page"))
    assert titles(browser)[0] == "Engineer 025"


def test_screenshot_shows_the_rendered_page(browser, many_site):
    from PIL import Image

    browser.get(many_site + "/?workplace=remote")
    assert count(browser) == 30  # every i not divisible by 3
    assert browser.find_element(By.ID, "result-count").text.startswith("30 postings")
    image = Image.open(io.BytesIO(browser.get_screenshot_as_png())).convert("RGB")
    width, height = image.size
    assert width >= 800 and height >= 400
    # Not blank: many colours, and a good part of the page is not the white background.
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50
    background = max(colours)[1]
    assert background == (255, 255, 255)
    inked = sum(n for n, rgb in colours if rgb != background) / (width * height)
    assert inked > 0.05
    # The results are drawn where the page says they are (the first result's title is not background).
    box = browser.find_element(By.CSS_SELECTOR, "#results .result a.title").rect
    scale = width / browser.execute_script("return window.innerWidth")
    crop = image.crop(
        (
            int(box["x"] * scale),
            int(box["y"] * scale),
            int((box["x"] + box["width"]) * scale),
            int((box["y"] + box["height"]) * scale),
        )
    )
    assert len(crop.getcolors(maxcolors=1 << 16) or []) > 2


def test_stats_page_draws_charts(browser, catalog_site):
    browser.get(catalog_site + "/stats?workplace=remote")
    rows = browser.find_elements(By.CSS_SELECTOR, "#chart-skills g.bar-row")
    assert {r.get_attribute("data-label"): r.get_attribute("data-count") for r in rows} == {
        "Go": "1",
        "PostgreSQL": "1",
        "Kubernetes": "1",
        "Python": "1",
    }
    assert all(r.find_element(By.CSS_SELECTOR, "rect.bar").size["width"] > 0 for r in rows)
