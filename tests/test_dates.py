"""Publication dates in Hindi, English and Russian; event and history dates are not."""

import datetime as dt

import pytest

from digest.dates import date_of_line, dateline_date, find_dates
from digest.extract import extract


@pytest.mark.parametrize(
    "line, date",
    [
        ("Dec 3, 2024 - 16:25", dt.date(2024, 12, 3)),
        ("16 अक्टूबर 2025", dt.date(2025, 10, 16)),
        ("16 октября 2025 г.", dt.date(2025, 10, 16)),
        ("Updated: 12.09.2025 14:30 IST", dt.date(2025, 9, 12)),
        ("2025-03-04", dt.date(2025, 3, 4)),
        ("Monday, March 3, 2025", dt.date(2025, 3, 3)),
        ("11 जुलाई", None),
        ("15 से 18 मई, 2025 तक कज़ान में फोरम", None),
        ("2010: नई दिल्ली में आयोजित सम्मेलन", None),
    ],
)
def test_a_date_line(line, date):
    assert date_of_line(line) == date


@pytest.mark.parametrize(
    "paragraph, date",
    [
        ("लखनऊ, 16 अक्टूबर 2025: उत्तर प्रदेश में", dt.date(2025, 10, 16)),
        ("NEW DELHI, March 3, 2025 — India and Japan", dt.date(2025, 3, 3)),
        ("МОСКВА, 12 сентября 2025 г. — Россия и Китай", dt.date(2025, 9, 12)),
        ("On 5 March 2025 the two sides will meet.", None),
        ("МОСКВА, 12 сентября. /ТАСС/. Россия и Китай", None),
    ],
)
def test_a_dateline(paragraph, date):
    assert dateline_date(paragraph) == date


def test_a_day_and_month_without_a_year_never_gets_one():
    article = extract("Headline here\n\nThe mission was held on 11 July in Novosibirsk.\n")
    assert article.date is None


def test_the_publication_line_beats_an_event_date_in_the_body():
    text = "Headline\n\nDec 3, 2024 - 16:25\n\nThe forum will be held on 15 May 2025 in Kazan.\n"
    assert extract(text).date == dt.date(2024, 12, 3)


def test_history_years_are_not_dates():
    text = "भारत-रूस सम्मेलन\n\nयह सम्मेलन 2000 में शुरू हुआ।\n\n2010: नई दिल्ली में सम्मेलन हुआ।\n"
    assert extract(text).date is None


def test_devanagari_digits_count():
    assert find_dates("१६ अक्टूबर २०२५")[0][0] == dt.date(2025, 10, 16)
