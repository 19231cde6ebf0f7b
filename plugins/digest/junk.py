"""Web-page junk that comes along when an editor copies an article: named rules, each lines -> lines.

The rules run in order on the stripped lines of a seed (blank lines kept as ""), so each one can
look at its neighbours; a rule removes lines and never rewrites them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from .patterns import Pattern


Lines = list[str]

_REACTION_HEADER = Pattern(
    r"(?i)^(?:what'?s|what is)\s+your\s+reaction\??$|^आपकी\s+प्रतिक्रिया\s+क्या\s+है\??$|^ваша\s+реакция\??$"
)
_REACTION_WORDS = frozenset(
    "like dislike love funny angry sad wow haha care lol omg cry".split()
)

_SOCIAL = r"(?:instagram|twitter|x\.com|facebook|telegram|youtube|whatsapp|linkedin|threads|vk|вконтакте|дзен|फेसबुक|ट्विटर|इंस्टाग्राम|टेलीग्राम|यूट्यूब|व्हाट्सएप)"
_SOCIAL_PROMPT = Pattern(
    rf"""(?ix)
    ^(?:follow|join|subscribe\s+to|like)\b.{{0,80}}{_SOCIAL}
    | ^(?:подписывайтесь|подпишитесь|читайте\s+нас)\b.{{0,80}}{_SOCIAL}
    | {_SOCIAL}.{{0,60}}(?:फॉलो|फ़ॉलो|सब्सक्राइब|जुड़ें|ज्वाइन)
    | ^(?:share\s+(?:this|on)|поделиться|शेयर\s+करें)\b.{{0,60}}$
    """
)
_COMMENT_COUNTER = Pattern(
    r"(?i)^(?:comments?|комментари[йиея]*|टिप्पणि(?:यां|याँ|यों)?|टिप्पणी)\s*[(:]?\s*\d*\s*\)?$"
)
_ROLE = r"(?:editor|sub-editor|reporter|correspondent|staff\s+writer|staff|bureau|desk|संपादक|संवाददाता|ब्यूरो|редактор|корреспондент|обозреватель)"
_BYLINE = Pattern(
    rf"""(?ix)
    ^(?:by|posted\s+by|written\s+by|автор|текст|रिपोर्ट|लेखक)\s*:?\s+[\p{{L}}\p{{M}}_.' -]{{2,50}}$
    | ^[\p{{L}}\p{{M}}_.' -]{{2,50}}\s+{_ROLE}$
    | ^{_ROLE}\s*:\s*[\p{{L}}\p{{M}}_.' -]{{2,50}}$
    """
)
_STRAY_COUNTER = Pattern(r"^\d{1,3}$")
_READ_MORE = Pattern(
    r"(?i)^(?:read\s+more|also\s+read|related(?:\s+news)?|advertisement|читайте\s+также|реклама|यह\s+भी\s+पढ़ें|ये\s+भी\s+पढ़ें|विज्ञापन)\s*:?.{0,120}$"
)


MAX_JUNK_WORDS = 30  # no rule takes a longer line for junk
BYLINE_WORDS = 7  # a name with a role or a "By"; a longer line is text


@lru_cache(maxsize=256)
def _words_up_to_max(line: str) -> int:
    """The line's number of words, or MAX_JUNK_WORDS + 1 for a longer line: a paragraph is not
    cut into all its words only to be told it is too long. Each rule asks of the same lines, so
    they are counted once (a seed has about thirty)."""
    return len(line.split(maxsplit=MAX_JUNK_WORDS))


def _drop_matching(pattern: Pattern, max_words: int = MAX_JUNK_WORDS) -> Callable[[Lines], Lines]:
    assert max_words <= MAX_JUNK_WORDS

    def rule(lines: Lines) -> Lines:
        return [line for line in lines if not (line and _words_up_to_max(line) <= max_words and pattern.search(line))]

    return rule


def drop_reaction_widget(lines: Lines) -> Lines:
    """'What's Your Reaction?' and the one-word buttons under it."""
    kept: Lines = []
    in_widget = False
    for line in lines:
        if _REACTION_HEADER.match(line):
            in_widget = True
            continue
        if in_widget and (not line or line.casefold() in _REACTION_WORDS):
            continue
        in_widget = False
        kept.append(line)
    return kept


drop_social_prompts = _drop_matching(_SOCIAL_PROMPT)
drop_comment_counters = _drop_matching(_COMMENT_COUNTER, max_words=3)
drop_bylines = _drop_matching(_BYLINE, max_words=BYLINE_WORDS)
drop_stray_counters = _drop_matching(_STRAY_COUNTER, max_words=1)
drop_read_more = _drop_matching(_READ_MORE, max_words=20)

RULES: Sequence[Callable[[Lines], Lines]] = (
    drop_reaction_widget,
    drop_social_prompts,
    drop_comment_counters,
    drop_bylines,
    drop_stray_counters,
    drop_read_more,
)


def remove_junk(lines: Lines) -> Lines:
    for rule in RULES:
        lines = rule(lines)
    return lines


def is_byline(line: str) -> bool:
    """A line drop_bylines removes. Its words are counted first: most lines are paragraphs,
    where the pattern would try every name length up to its limit before failing."""
    return _words_up_to_max(line) <= BYLINE_WORDS and _BYLINE.match(line) is not None


def is_social_prompt(line: str) -> bool:
    return bool(_SOCIAL_PROMPT.search(line))
