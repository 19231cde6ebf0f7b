"""sitemap.xml: every page at its public address, and none that a search engine should skip."""

from types import SimpleNamespace

from digest import sitemap


def test_pages_become_addresses_and_special_pages_stay_out():
    files = ["index.html", "404.html", "search/index.html", "stories/a/index.html", "theme/css/digest.css",
             "countries/india/page/2/index.html", "pagefind/en/x.html", "feeds/india.atom.xml"]
    assert sitemap.page_urls(files) == ["", "stories/a/", "countries/india/page/2/"]


def test_addresses_are_escaped_in_the_xml():
    xml = sitemap.sitemap_xml("https://example.org", ["a&b/"])
    assert "<loc>https://example.org/a&amp;b/</loc>" in xml


def test_no_public_address_no_sitemap(tmp_path):
    pages = ["index.html"]
    sitemap.write_at_end(SimpleNamespace(settings={"SITEURL": ""}, output_path=str(tmp_path)), pages)
    assert not (tmp_path / "sitemap.xml").exists()
    sitemap.write_at_end(SimpleNamespace(settings={"SITEURL": "https://example.org/"}, output_path=str(tmp_path)), pages)
    assert "<loc>https://example.org/</loc>" in (tmp_path / "sitemap.xml").read_text()
