"""The example site read in Chromium at a phone's width and a desktop's: pages load cleanly and
fit the screen, Devanagari is drawn with a real font, links lead where they say, and search
finds stories by a Hindi, a Russian and an English word.

Screenshots go to tests/artifacts/ (git-ignored): look at them after changing the theme.
"""

from urllib.parse import quote

import pytest

from .conftest import WIDTHS, open_tab, posts

pytestmark = pytest.mark.browser

PAGES = ["home", "story", "country", "feeds"]


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_without_console_errors(any_tab, pages, name):
    any_tab.open(pages[name])
    any_tab.page.wait_for_load_state("networkidle")
    any_tab.screenshot(name)
    assert any_tab.errors == []


@pytest.mark.parametrize("name", PAGES + ["search/?q=Russia", "archives/", "countries/"])
def test_page_fits_a_phone_screen(browser, site_url, pages, name):
    tab = open_tab(browser, site_url, "phone")
    try:
        page = tab.open(pages.get(name, name))
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= WIDTHS["phone"], f"{name} is {overflow} px wide: the reader must scroll sideways"
    finally:
        page.context.close()


def platform_fonts(page, selector: str) -> list[str]:
    """The fonts Chromium really drew an element's text with (not the ones CSS asked for)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return [font["familyName"] for font in fonts]


@pytest.mark.parametrize("selector", [".story h1", ".story .body p"])
def test_devanagari_is_drawn_with_a_devanagari_font(tab, pages, selector):
    page = tab.open(pages["story"])
    fonts = platform_fonts(page, selector)
    # Without a Devanagari font every letter would be an empty box (fonts-noto-core has one).
    assert any("Devanagari" in font for font in fonts), fonts


def test_country_on_a_story_leads_to_its_page(tab, pages):
    page = tab.open(pages["story"])
    page.locator(".facts").get_by_role("link", name="India").click()
    page.wait_for_url("**/countries/india/")
    assert "India" in page.locator("h1").inner_text()
    assert tab.errors == []


def test_matrix_cell_opens_the_stories_it_counts(tab):
    page = tab.open("")
    cell = page.locator("table.matrix td a").first
    count = int(cell.inner_text())
    cell.click()
    page.wait_for_load_state("load")
    assert page.locator(".card").count() == count
    assert "·" in page.locator("h1").inner_text()  # "India · Trade & Investment"


def stories_with(site, word: str) -> list[str]:
    return sorted(post.fields["Title"] for post in posts(site) if word.casefold() in post.body.casefold())


@pytest.mark.parametrize("word", [
    pytest.param("आगरा", id="hindi"),  # Agra, in one Hindi story
    pytest.param("Ореанда", id="russian"),  # the Russian agency quoted in a Hindi story
    pytest.param("Tatarstan", id="english"),
])
def test_search_finds_the_stories_with_the_word(tab, built_site, word):
    expected = stories_with(built_site, word)
    assert expected, f"no example story has {word!r}"
    page = tab.open(f"search/?q={quote(word)}")
    page.locator("#search-status").filter(has_text="found").wait_for()
    found = page.locator("#search-results h2 a").all_inner_texts()
    assert sorted(found) == expected
    assert tab.errors == []


def test_search_box_on_every_page_opens_the_results(tab, pages, built_site):
    word = "नोवोसिबिर्स्क"  # Novosibirsk, in Hindi
    page = tab.open(pages["country"])
    page.get_by_role("searchbox", name="Search stories").fill(word)
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.locator("#search-results h2 a")
    results.first.wait_for()
    assert results.all_inner_texts() == stories_with(built_site, word)
    assert results.first.get_attribute("lang") == "hi"
    results.first.click()
    page.wait_for_url("**/stories/**")
    assert tab.errors == []
