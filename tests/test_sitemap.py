"""sitemap.xml: every page at its public address, and none that a search engine should skip."""

from types import SimpleNamespace

from digest import sitemap


def touch(site, *paths):
    for path in paths:
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text("<!DOCTYPE html>", encoding="utf-8")


def test_pages_become_addresses_and_special_pages_stay_out(tmp_path):
    touch(tmp_path, "index.html", "404.html", "search/index.html", "stories/a/index.html",
          "countries/india/page/2/index.html", "pagefind/en/x.html")
    assert sitemap.page_urls(tmp_path) == ["", "stories/a/", "countries/india/page/2/"]


def test_addresses_are_escaped_in_the_xml():
    xml = sitemap.sitemap_xml("https://example.org", ["a&b/"])
    assert "<loc>https://example.org/a&amp;b/</loc>" in xml


def test_no_public_address_no_sitemap(tmp_path):
    touch(tmp_path, "index.html")
    sitemap.write_at_end(SimpleNamespace(settings={"SITEURL": ""}, output_path=str(tmp_path)))
    assert not (tmp_path / "sitemap.xml").exists()
    sitemap.write_at_end(SimpleNamespace(settings={"SITEURL": "https://example.org/"}, output_path=str(tmp_path)))
    assert "<loc>https://example.org/</loc>" in (tmp_path / "sitemap.xml").read_text()
