"""Tests that read the built site in a real browser (Chromium driven by Playwright)."""
