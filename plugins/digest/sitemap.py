"""sitemap.xml and robots.txt: every page of the built site at its public address.

Made from the pages the build wrote (every page Pelican asked for goes through the page plan,
see pages.py) rather than from Pelican's objects, so that no kind of page (story, listing, matrix
cell, month, page of a long listing) can be forgotten; and not from the output folder, which a
rebuild only updates (see publish.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

# Not pages a search engine should list: the not-found page, the search page and Pagefind's files.
LEFT_OUT = ("404.html", "search/", "pagefind/")


def page_urls(files: Iterable[str]) -> list[str]:
    """Site-relative URLs of the pages among a site's files: `stories/x/index.html` -> `stories/x/`."""
    urls = [name.removesuffix("index.html") for name in files if name.endswith(".html")]
    return sorted((url for url in urls if not url.startswith(LEFT_OUT)), key=lambda url: (url.count("/"), url))


def sitemap_xml(siteurl: str, urls: list[str]) -> str:
    entries = "".join(f"  <url><loc>{escape(f'{siteurl}/{url}')}</loc></url>\n" for url in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )


def write_sitemap(site: Path, siteurl: str, files: Iterable[str]) -> None:
    site = Path(site)
    siteurl = siteurl.rstrip("/")
    (site / "sitemap.xml").write_text(sitemap_xml(siteurl, page_urls(files)), encoding="utf-8")
    (site / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {siteurl}/sitemap.xml\n", encoding="utf-8")


def write_at_end(pelican, files: Iterable[str]) -> None:
    """`finalized`: a sitemap needs the public address; without SITEURL there is none to write."""
    siteurl = pelican.settings.get("SITEURL") or ""
    if siteurl.startswith(("http://", "https://")):
        write_sitemap(Path(pelican.output_path), siteurl, files)
