"""Checks of a built site that no single page can make: internal links resolve, feeds are valid.

Plain functions over an output folder, returning readable problems (empty when all is well):
`invoke check` runs them on every strict build, and tests run them on the sites they build.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import feedparser
from lxml import etree

FEEDS_DIR = "feeds"
# Any host would do: it only lets urljoin resolve "../x/" against a page's own address.
_BASE = "http://site.invalid/"
_LINK_ATTRIBUTES = frozenset({"href", "src"})


class _Links(HTMLParser):
    """Every address a page refers to: href, src and each candidate of a srcset."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if not value:
                continue
            if name in _LINK_ATTRIBUTES:
                self.urls.append(value)
            elif name == "srcset":
                self.urls.extend(part.split()[0] for part in value.split(",") if part.strip())

    handle_startendtag = handle_starttag


def links_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.urls


def html_pages(output_dir: Path) -> list[Path]:
    return sorted(Path(output_dir).rglob("*.html"))


def feed_files(output_dir: Path) -> list[Path]:
    return sorted((Path(output_dir) / FEEDS_DIR).rglob("*.xml"))


def internal_target(page: str, url: str, site_url: str | None = None) -> str | None:
    """The site path (`stories/x/index.html`) a link on `page` points to; None when it leaves the site.

    External http(s) addresses, other schemes (mailto:, tel:, data:) and bare #fragments are not
    the site's; with `site_url`, absolute addresses under it are. "…/" means "…/index.html".
    """
    url = url.strip()
    if not url or url.startswith("#"):
        return None
    root = site_url.rstrip("/") + "/" if site_url else None
    if root and (url + "/").startswith(root):
        url = "/" + url[len(root):]
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    path = unquote(urlsplit(urljoin(_BASE + page, url)).path).lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path


def broken_internal_links(output_dir: Path, site_url: str | None = None) -> list[str]:
    """One line per link of an HTML page that points inside the site at no file."""
    output_dir = Path(output_dir)
    files = {p.relative_to(output_dir).as_posix() for p in output_dir.rglob("*") if p.is_file()}
    broken = []
    for page in html_pages(output_dir):
        name = page.relative_to(output_dir).as_posix()
        for url in dict.fromkeys(links_in(page.read_text(encoding="utf-8", errors="replace"))):
            target = internal_target(name, url, site_url)
            # A folder link without its slash ("stories/x") is redirected by every server.
            if target is not None and target not in files and f"{target}/index.html" not in files:
                broken.append(f"{name}: {url} -> {target} does not exist")
    return broken


def invalid_feeds(output_dir: Path) -> list[str]:
    """One line per feed under feeds/ that is not well-formed XML or that feedparser finds fault with."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    problems = []
    for path in feed_files(output_dir):
        name = path.relative_to(output_dir).as_posix()
        data = path.read_bytes()
        try:
            etree.fromstring(data, parser)
        except etree.XMLSyntaxError as error:
            problems.append(f"{name}: not well-formed XML ({error})")
            continue
        parsed = feedparser.parse(data)
        if parsed.bozo:
            problems.append(f"{name}: {type(parsed.bozo_exception).__name__}: {parsed.bozo_exception}")
        elif not parsed.version:
            problems.append(f"{name}: neither an Atom nor an RSS feed")
    return problems
