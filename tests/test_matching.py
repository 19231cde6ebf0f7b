"""Words and countries found the Unicode-correct way, in all three languages."""

import pytest

from digest.countries import gazetteer
from digest.matching import Entry, Memo, build_table, tokenize


def codes_in(text: str) -> list[str]:
    return sorted({m.entry.payload.code for m in gazetteer().find(text)} - {"-"})


def test_devanagari_words_stay_whole():
    assert tokenize("मॉस्को में बैठक").texts == ["मॉस्को", "में", "बैठक"]


@pytest.mark.parametrize(
    "text, codes",
    [
        ("Romania signed", ["RO"]),
        ("Somalia and Kenya", ["KE", "SO"]),
        ("Nigeria's oil", ["NG"]),
        ("Indiana farmers", ["US"]),  # a US state, never India
        ("India and Russia", ["IN", "RU"]),
        ("मॉस्को में बैठक", ["RU"]),
        ("मास्को में बैठक", ["RU"]),
        ("सहयोग को लेकर रूस से बात", ["RU"]),
        ("сотрудничество с Россией", ["RU"]),
        ("визит в Индию и переговоры с Китаем", ["CN", "IN"]),
        ("в Узбекистане и Казахстане", ["KZ", "UZ"]),
        ("Sino-Russian ties", ["CN", "RU"]),
        ("Indo-Russian ties", ["IN", "RU"]),
        ("साइनो-रूसी संबंध", ["CN", "RU"]),
        ("the UAE and the US", ["AE", "US"]),
        ("let us meet", []),
        ("यूएई जैसे देशों में", ["AE"]),
        ("Uzbek and Russian business councils", ["RU", "UZ"]),
        ("रूसी प्रतिनिधियों और भारतीय उद्यमियों", ["IN", "RU"]),
        ("российско-индийский форум", ["IN", "RU"]),
    ],
)
def test_country_forms(text, codes):
    assert codes_in(text) == codes


def found(table, text: str) -> list[tuple[str, str]]:
    return [(text[m.start : m.end], m.entry.payload) for m in table.find(text)]


def test_the_longest_phrase_wins_and_phrases_do_not_overlap():
    table = build_table([("New", Entry("new")), ("New Delhi", Entry("city")), ("Delhi", Entry("city"))])
    assert found(table, "New Delhi and Delhi") == [("New Delhi", "city"), ("Delhi", "city")]


_NAMES_THAT_START_LONGER_ONES = build_table([
    ("Jordan", Entry("JO", capitalised=True)), ("Jordan River", Entry("river")),
    ("भारत", Entry("IN")), ("भारत सरकार", Entry("government")),
])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on the Jordan River", [("Jordan River", "river")]),
        ("on the jordan river", [("jordan river", "river")]),
        ("talks in Jordan today", [("Jordan", "JO")]),
        ("talks in Jordan", [("Jordan", "JO")]),
        ("michael jordan today", []),  # the name alone must be capitalised, the river need not be
        ("भारत सरकार ने कहा", [("भारत सरकार", "government")]),
        ("भारत और रूस", [("भारत", "IN")]),
        ("रूस और भारत", [("भारत", "IN")]),
    ],
)
def test_a_name_that_starts_longer_names_is_found_alone_when_the_next_word_ends_them(text, expected):
    assert found(_NAMES_THAT_START_LONGER_ONES, text) == expected


def test_phrases_of_the_same_length_at_one_word_are_all_found():
    table = build_table([("Georgia", Entry("GE")), ("Georgia", Entry("US"))])
    assert found(table, "in Georgia") == [("Georgia", "GE"), ("Georgia", "US")]


def test_a_final_star_matches_any_ending_alone_or_after_words():
    table = build_table([("нефт*", Entry("oil")), ("атомная станц*", Entry("nuclear"))])
    assert found(table, "нефтяные атомной станции") == [("нефтяные", "oil"), ("атомной станции", "nuclear")]


def test_a_phrase_added_after_a_look_up_is_found():
    table = build_table([("Indo", Entry("prefix"))])
    assert found(table, "Indo Pacific") == [("Indo", "prefix")]
    table.add("Indo Pacific", Entry("region"))
    assert found(table, "Indo Pacific") == [("Indo Pacific", "region")]


def test_a_memo_works_each_key_out_once_and_starts_afresh_when_full():
    asked = []
    lengths = Memo(lambda word: asked.append(word) or len(word), limit=2)
    assert [lengths[w] for w in ("भारत", "Russia", "भारत")] == [4, 6, 4]
    assert asked == ["भारत", "Russia"]
    assert lengths["Индия"] == 5 and len(lengths) == 1  # full: emptied before the third key
    assert lengths["भारत"] == 4 and asked == ["भारत", "Russia", "Индия", "भारत"]
