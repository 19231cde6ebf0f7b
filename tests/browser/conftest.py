"""Browser fixtures: the example site served over http on 127.0.0.1, and Debian's Chromium.

One server and one browser for the whole session; each test gets a fresh tab that records
console errors and refuses any request to another host (the site must work offline).
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT  # tests/conftest.py: this folder is a package, so the name is free

CHROMIUM = Path("/usr/bin/chromium")
# Never `playwright install`: Debian's Chromium, with no first-run, sync or update traffic.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = ROOT / "tests" / "artifacts"
WIDTHS = {"phone": 360, "desktop": 1280}


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built example site over http: Pagefind's scripts do not run from file:// pages."""
    handler = functools.partial(QuietHandler, directory=str(built_site / "output"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/install-browser.sh (./run test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # Playwright gives every launch a fresh temporary profile (user-data-dir).
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        yield chromium
        chromium.close()


@dataclass
class Tab:
    """A browser tab and what went wrong in it."""

    page: object  # playwright.sync_api.Page
    base: str  # the site's address, ending in /
    width: str  # a key of WIDTHS
    errors: list[str] = field(default_factory=list)

    def open(self, path: str):
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None and response.ok, f"{path}: HTTP {response and response.status}"
        return self.page

    def screenshot(self, name: str) -> Path:
        """A full-page picture in tests/artifacts/, to look at (CI keeps them)."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}-{WIDTHS[self.width]}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def open_tab(browser, base: str, width: str) -> Tab:
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 800}, locale="en-GB")
    page = context.new_page()
    tab = Tab(page, base, width)
    own_host = urlsplit(base).netloc

    def only_this_site(route):
        if urlsplit(route.request.url).netloc == own_host:
            route.continue_()
        else:
            tab.errors.append(f"request to another host: {route.request.url}")
            route.abort()

    page.route("**/*", only_this_site)
    page.on("console", lambda message: tab.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: tab.errors.append(f"uncaught: {error}"))
    return tab


@pytest.fixture(params=list(WIDTHS), ids=list(WIDTHS))
def any_tab(request, browser, site_url):
    """A tab at a phone's width, then at a desktop's."""
    tab = open_tab(browser, site_url, request.param)
    yield tab
    tab.page.context.close()


@pytest.fixture
def tab(browser, site_url):
    tab = open_tab(browser, site_url, "desktop")
    yield tab
    tab.page.context.close()


@dataclass(frozen=True)
class Post:
    fields: dict[str, str]  # the metadata lines at the top: Seed, Title, Slug, …
    body: str


def posts(site: Path) -> list[Post]:
    """The Markdown posts a build wrote: what each story page should show."""
    found = []
    for path in sorted((site / "content" / "stories").glob("*.md")):
        header, _, body = path.read_text(encoding="utf-8").partition("\n\n")
        fields = dict(line.split(": ", 1) for line in header.splitlines() if ": " in line)
        found.append(Post(fields, body))
    return found


def story_path(site: Path, seed: str) -> str:
    """The page of the story made from an example seed."""
    for post in posts(site):
        if post.fields.get("Seed") == seed:
            return f"stories/{post.fields['Slug']}/"
    raise LookupError(f"no story from seed {seed}")


# The example seeds: 000 is the Hindi story of Invest UP and Moscow (parties India and Russia).
HINDI_STORY_SEED = "000_26a257bc879db21e.txt"


@pytest.fixture(scope="session")
def pages(built_site) -> dict[str, str]:
    """The pages every test reads, by name: site-relative paths."""
    return {
        "home": "",
        "story": story_path(built_site, HINDI_STORY_SEED),
        "country": "countries/india/",
        "feeds": "feeds/",
    }
