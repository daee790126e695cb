"""The dashboard and the reports in a real browser: Debian's chromium, headless, via Playwright.

The tests never download a browser: they drive ``/usr/bin/chromium`` (``.ci/run`` installs
it with apt) and are skipped, with the reason, only if it is absent.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from importlib import resources

import pytest
import yaml

from .conftest import CHROMIUM, CHROMIUM_ARGS, DOC_IMAGES, SCREENSHOTS, Server

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"
)

RUN_PANELS = [
    "timeline",
    "party-system",
    "genealogy",
    "hemicycle",
    "results",
    "fingerprint",
    "legitimacy",
    "society",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One headless chromium for the module."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Console:
    """Console errors and uncaught page errors seen by one page."""

    def __init__(self, page) -> None:
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))


@pytest.fixture
def page(browser):
    """A fresh page (1280×900) with its console watched."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console = Console(page)
    yield page
    context.close()


def _shot(page, name: str, selector: str | None = None, doc: bool = False) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    target = SCREENSHOTS / name
    if selector is None:
        page.screenshot(path=str(target))
    else:
        page.locator(selector).screenshot(path=str(target))
    # The docs keep a few of them; refreshed only on request, so tests do not churn the tree.
    if doc and (not (DOC_IMAGES / name).exists() or os.environ.get("POLSIM_UPDATE_DOC_IMAGES")):
        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, DOC_IMAGES / name)


def _run_from_form(page, server: Server, scenario: str, voters: str, until: str) -> None:
    page.goto(server.url + "/")
    page.select_option("#scenario", scenario)
    page.fill("#voters", voters)
    page.fill("#until", until)
    page.click("#run-button")
    page.wait_for_url("**/batches/*")
    page.wait_for_selector("#batch[data-state=done]", timeout=240_000)


def _check_report(page, expected: list[str]) -> None:
    """Every expected panel is present and every figure drew an SVG, with no console error."""
    page.wait_for_selector("section.panel")
    page.wait_for_function(
        "Array.from(document.querySelectorAll('.plotly-graph-div'))"
        ".every(d => d.classList.contains('js-plotly-plot') && d.querySelector('svg.main-svg'))",
        timeout=60_000,
    )
    present = page.eval_on_selector_all("section.panel", "els => els.map(e => e.dataset.panel)")
    assert present == expected
    for name in expected:
        figures = page.locator(f"section[data-panel='{name}'] .js-plotly-plot")
        assert figures.count() >= 1, name
    drawn = page.eval_on_selector_all(
        ".plotly-graph-div", "els => els.map(e => e.querySelectorAll('svg.main-svg').length)"
    )
    assert drawn and all(n > 0 for n in drawn)
    assert page.console.errors == []


def test_dashboard_loads(page, server: Server) -> None:
    """The dashboard's form loads with the built-in scenarios and no console error."""
    page.goto(server.url + "/")
    assert page.title() == "New run · polsim dashboard"
    options = page.eval_on_selector_all("#scenario option", "els => els.map(e => e.value)")
    assert {"kazakhstan-1990s", "toy-polity"} <= set(options)
    _shot(page, "dashboard.png", doc=True)
    assert page.console.errors == []


def test_small_run_progress_and_report(page, server: Server) -> None:
    """A small toy run started from the form reaches its last month and its report opens."""
    _run_from_form(page, server, "toy-polity", "3000", "1990-12")
    bar = page.locator("progress.job-progress").first
    assert bar.get_attribute("value") == bar.get_attribute("max") == "12"
    assert page.locator(".months").first.inner_text() == "12 / 12"
    _shot(page, "progress.png")
    page.click("a.report-link")
    page.wait_for_url("**/runs/*/report")
    _check_report(
        page, ["timeline", "hemicycle", "results", "fingerprint", "legitimacy", "society"]
    )


def test_default_run_report_has_every_panel(page, server: Server) -> None:
    """The default scenario's report (10k voters to 1996-12) has every panel, all drawn."""
    _run_from_form(page, server, "kazakhstan-1990s", "10k", "1996-12")
    page.click("a.report-link")
    page.wait_for_url("**/runs/*/report")
    _check_report(page, RUN_PANELS)
    _shot(page, "report-top.png")
    _shot(page, "report-hemicycle.png", "#panel-hemicycle", doc=True)
    _shot(page, "report-genealogy.png", "#panel-genealogy", doc=True)
    _shot(page, "report-fingerprint.png", "#panel-fingerprint")


def test_bad_upload_shows_its_message(page, server: Server) -> None:
    """An uploaded scenario that breaks the schema is refused with a message naming the field."""
    toy = resources.files("polsim.scenario.builtin") / "toy-polity.yaml"
    data = yaml.safe_load(toy.read_text(encoding="utf-8"))
    data["regime"]["repression"] = 2
    page.goto(server.url + "/")
    bad = {"name": "bad.yaml", "mimeType": "text/yaml", "buffer": yaml.safe_dump(data).encode()}
    page.set_input_files("#upload", files=[bad])
    page.click("#validate-button")
    message = page.locator("#form-error").inner_text()
    assert message.startswith("bad.yaml: regime.repression:") and "(got 2)" in message
    _shot(page, "bad-upload.png")
    broken = {"name": "broken.yaml", "mimeType": "text/yaml", "buffer": b"name: [oops\n"}
    page.set_input_files("#upload", files=[broken])
    page.click("#run-button")
    assert "broken.yaml: malformed YAML" in page.locator("#form-error").inner_text()
    # The refused form comes back as HTTP 422, which chromium logs; nothing else may be logged.
    unexpected = [e for e in page.console.errors if "status of 422" not in e]
    assert unexpected == [] and len(page.console.errors) == 2


def test_compare_two_runs(page, server: Server) -> None:
    """Two past runs picked in the catalogue open their comparison report, all drawn."""
    page.goto(server.url + "/runs")
    rows = page.locator("#runs tr[data-run]")
    if rows.count() < 2:
        pytest.skip("needs the two runs of the tests above")
    rows.nth(0).locator("input[name=a]").check()
    rows.nth(1).locator("input[name=b]").check()
    page.click("#compare-button")
    page.wait_for_url("**/compare?*")
    page.wait_for_selector("section.panel")
    present = page.eval_on_selector_all("section.panel", "els => els.map(e => e.dataset.panel)")
    assert {"manifests", "series", "hemicycles"} <= set(present)
    drawn = page.eval_on_selector_all(
        ".plotly-graph-div", "els => els.map(e => e.querySelectorAll('svg.main-svg').length)"
    )
    assert drawn and all(n > 0 for n in drawn)
    assert page.console.errors == []
