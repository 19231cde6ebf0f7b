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
        ("नई दिल्ली, 27 जून 2025", dt.date(2025, 6, 27)),
        ("प्रकाशित तिथि: 07 जुलाई 2025", dt.date(2025, 7, 7)),
        ("मंगलवार, 4 मार्च 2025, 10:30 AM IST", dt.date(2025, 3, 4)),
        ("Published: 2025-05-19 09:42 | Updated: 2025-05-19 18:10", dt.date(2025, 5, 19)),
        ("August 7, 2025 at 10:20 pm", dt.date(2025, 8, 7)),
        ("Published on 2025-03-04T10:00:00+05:30", dt.date(2025, 3, 4)),
        ("Thu, 06 Mar 2025 - 14:02", dt.date(2025, 3, 6)),
        ("By Ananya Rao | Mar 3, 2025", dt.date(2025, 3, 3)),
        ("03/14/2025", dt.date(2025, 3, 14)),
        ("Thursday 16 October | 2025", dt.date(2025, 10, 16)),
        ("Астана, 21 ноября 2024 г.", dt.date(2024, 11, 21)),
        ("Опубликовано 14.02.2025 в 18:05", dt.date(2025, 2, 14)),
        ("Вторник, 4 марта 2025", dt.date(2025, 3, 4)),
        ("11 जुलाई", None),
        ("5 марта", None),
        ("Sept. 18", None),
        ("Officials met on 5 March 2025 in Delhi", None),
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
        ("नई दिल्ली, १२ मार्च २०२५। भारत, ईरान और रूस", dt.date(2025, 3, 12)),
        ("ТАШКЕНТ, 24 июня 2025 года. Министры транспорта", dt.date(2025, 6, 24)),
        ("DUBAI, Feb 12, 2025 (WAM) -- The UAE and India", dt.date(2025, 2, 12)),
        ("काठमांडू, 12 जनवरी 2025 (भाषा) नेपाल और भारत", dt.date(2025, 1, 12)),
        ("CAIRO, Sept. 18 (Xinhua) -- Egypt and China", None),
    ],
)
def test_a_dateline(paragraph, date):
    assert dateline_date(paragraph) == date


@pytest.mark.parametrize(
    "text",
    [
        "Headline here\n\nThe mission was held on 11 July in Novosibirsk.\n",
        "Egypt and China sign deals\n\nCAIRO, Sept. 18 (Xinhua) -- Egypt and China signed seven agreements.\n",
        "चीनी कंपनियाँ लगाएँगी कारख़ाने\n\nइस्लामाबाद, 22 अगस्त (भाषा) चीन-पाकिस्तान आर्थिक गलियारे के तहत समझौता हुआ।\n",
        "Новые резиденты парка\n\nМИНСК, 3 июня (БЕЛТА) – Наблюдательный совет одобрил три проекта.\n",
    ],
)
def test_a_day_and_month_without_a_year_never_gets_one(text):
    assert extract(text).date is None


def test_a_past_event_in_the_body_is_not_the_publication_date():
    text = "Australia and India sign lithium pact\n\nThe talks began on 18 November 2024 in Canberra.\n"
    assert extract(text).date is None


def test_the_publication_line_beats_an_event_date_in_the_body():
    text = "Headline\n\nDec 3, 2024 - 16:25\n\nThe forum will be held on 15 May 2025 in Kazan.\n"
    assert extract(text).date == dt.date(2024, 12, 3)


def test_history_years_are_not_dates():
    text = "भारत-रूस सम्मेलन\n\nयह सम्मेलन 2000 में शुरू हुआ।\n\n2010: नई दिल्ली में सम्मेलन हुआ।\n"
    assert extract(text).date is None


def test_devanagari_digits_count():
    assert find_dates("१६ अक्टूबर २०२५")[0][0] == dt.date(2025, 10, 16)
