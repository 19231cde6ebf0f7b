"""The month archives: every month's stories, for its page and the archives index.

Pelican's own period archives filter all the stories once per month, which at 10,000 stories
costs most of a second on every build; here the stories are grouped in one pass. Pelican's are
switched off (pelican.conf sets no MONTH_ARCHIVE_SAVE_AS) and the digest writes the same pages.
"""

from __future__ import annotations

import calendar
from collections import defaultdict


def month_archives(articles: list, url: str, save_as: str) -> list[dict]:
    """Every month that has stories, newest first, shaped as Pelican's `period_archives["month"]`
    entries (the theme and the page keys read them so), each month's stories in the order of
    `articles`: the site's newest first, so they are Pelican's `dates` as well. `url` and
    `save_as` are formatted with the month's first story's `date`."""
    by_month: dict[tuple[int, int], list] = defaultdict(list)
    for article in articles:
        by_month[(article.date.year, article.date.month)].append(article)
    months = []
    for (year, month), stories in sorted(by_month.items(), reverse=True):
        date = stories[0].date
        months.append({
            "period": (year, calendar.month_name[month]),
            "period_num": (year, month),
            "articles": stories,
            "dates": stories,
            "url": url.format(date=date),
            "save_as": save_as.format(date=date),
        })
    return months
