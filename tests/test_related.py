"""Related stories in linear time: the same choice as comparing every pair, on any site whose
tag pairs are each held by fewer than WINDOW stories; on larger sites, the best among the newest
stories of each pair. A rebuild that starts from the previous ranking chooses as one from nothing."""

from __future__ import annotations

import random
from itertools import combinations

import pytest

from digest.related import WINDOW, _still_ranked, related_positions


def related(tags, limit):
    return related_positions(tags, limit)[0]


def compare_every_pair(tags, limit):
    """The definition: most shared tags first (two at least), newer (lower position) first."""
    found = []
    for position, own in enumerate(tags):
        scored = [(-len(own & other), at) for at, other in enumerate(tags) if at != position and len(own & other) >= 2]
        found.append([at for _, at in sorted(scored)[:limit]])
    return found


@pytest.mark.parametrize(
    "tags, expected",
    [
        ([{"IN", "RU", "IN-RU", "energy"}, {"IN", "RU", "IN-RU", "defence"}, {"CN", "RU", "energy"}], [[1, 2], [0], [0]]),
        ([{"IN", "energy"}, {"RU", "energy"}, {"UZ", "industry"}], [[], [], []]),  # one shared tag is not enough
        ([{"RU", "energy"}, {"CN", "RU", "energy"}, {"RU", "energy", "CN"}], [[1, 2], [2, 0], [1, 0]]),
    ],
    ids=["most shared first", "two tags at least", "newest first among equals"],
)
def test_related_stories(tags, expected):
    assert related([frozenset(t) for t in tags], limit=4) == expected


@pytest.mark.parametrize("trial", range(20))
def test_the_same_as_comparing_every_pair_on_small_sites(trial):
    rng = random.Random(trial)
    vocabulary = [f"tag{i}" for i in range(rng.randint(2, 14))]
    tags = [frozenset(rng.sample(vocabulary, rng.randint(0, min(8, len(vocabulary))))) for _ in range(rng.randint(0, WINDOW))]
    limit = rng.randint(1, 5)
    assert related(tags, limit) == compare_every_pair(tags, limit)


def test_stories_with_the_same_tags_are_related_to_each_other_never_to_themselves():
    same = [frozenset({"IN", "RU", "energy"})] * 3
    assert related(same, limit=1) == [[1], [0], [0]]


def through_newest_pairs(tags, limit):
    """The definition on a large site: a story is compared with the newest WINDOW + 1 stories
    holding each pair of its tags (itself among them or not)."""
    holders = {}
    for position, own in enumerate(tags):
        for pair in combinations(sorted(own), 2):
            holders.setdefault(pair, []).append(position)
    found = []
    for position, own in enumerate(tags):
        pool = {at for pair in combinations(sorted(own), 2) for at in holders[pair][: WINDOW + 1]} - {position}
        found.append([at for _, at in sorted((-len(own & tags[at]), at) for at in pool)[:limit]])
    return found


@pytest.mark.parametrize("trial", range(5))
def test_on_large_sites_each_pair_of_tags_brings_its_newest_stories(trial):
    rng = random.Random(trial)
    vocabulary = [f"tag{i}" for i in range(rng.randint(4, 8))]
    tags = [frozenset(rng.sample(vocabulary, rng.randint(0, min(5, len(vocabulary))))) for _ in range(8 * WINDOW)]
    assert related(tags, limit=4) == through_newest_pairs(tags, limit=4)


def retag(rng, tags, keys, vocabulary):
    """One editor's change to a site: a story added, removed or retagged, or a new tag used."""
    tags, keys = list(tags), list(keys)
    change = rng.choice(["add", "remove", "retag", "new tag"])
    at = rng.randrange(len(tags) + (change == "add"))
    if change == "add":
        tags.insert(at, frozenset(rng.sample(vocabulary, rng.randint(0, 5))))
        keys.insert(at, f"new{rng.random()}")
    elif change == "remove":
        del tags[at], keys[at]
    else:
        extra = ["brand-new"] if change == "new tag" else []
        tags[at] = frozenset(rng.sample(vocabulary, rng.randint(0, 5)) + extra)
    return tags, keys


@pytest.mark.parametrize("trial", range(12))
def test_a_rebuild_starting_from_the_previous_ranking_chooses_as_one_from_nothing(trial):
    rng = random.Random(trial)
    vocabulary = [f"tag{i}" for i in range(rng.randint(5, 9))]
    count = rng.choice([10, 3 * WINDOW, 6 * WINDOW])  # pairs held by fewer stories than WINDOW, or more
    tags = [frozenset(rng.sample(vocabulary, rng.randint(0, 5))) for _ in range(count)]
    keys = [f"story{n}" for n in range(count)]
    _, ranking = related_positions(tags, 4, keys)
    for _ in range(4):
        tags, keys = retag(rng, tags, keys, vocabulary)
        found, ranking = related_positions(tags, 4, keys, previous=ranking)
        assert found == related(tags, 4)


def test_a_ranking_with_another_limit_is_not_started_from():
    tags = [frozenset({"IN", "RU", "energy"})] * 4
    _, two = related_positions(tags, 2, "abcd")
    assert related_positions(tags, 3, "abcd", previous=two)[0] == [[1, 2, 3], [0, 2, 3], [0, 1, 3], [0, 1, 2]]


@pytest.mark.parametrize("trial", range(12))
def test_new_stories_join_the_previous_ranking_as_one_from_nothing_would_rank_them(trial):
    rng = random.Random(100 + trial)
    vocabulary = [f"tag{i}" for i in range(rng.randint(5, 9))]
    count = rng.choice([3 * WINDOW, 6 * WINDOW])
    tags = [frozenset(rng.sample(vocabulary, rng.randint(2, 5))) for _ in range(count)]
    keys = [f"story{n}" for n in range(count)]
    _, ranking = related_positions(tags, 4, keys)
    for number in range(4):
        at = rng.choice([0, 1, rng.randrange(len(tags))])  # mostly among the newest, as new stories are
        tags.insert(at, frozenset(rng.sample(vocabulary, rng.randint(2, 5))))
        keys.insert(at, f"new{number}")
        found, ranking = related_positions(tags, 4, keys, previous=ranking)
        assert found == related(tags, 4)


def test_a_set_of_tags_takes_a_new_story_into_its_previous_ranking():
    old = [frozenset({"IN", "RU", "energy"}), frozenset({"IN", "RU"}), frozenset({"RU", "energy"})] * WINDOW
    _, ranking = related_positions(old, 4, range(len(old)))
    newer = [frozenset({"IN", "RU", "energy", "defence"}), *old]
    keys = ["new", *range(len(old))]
    bits: dict = {}
    numbers = [tuple(sorted(bits.setdefault(tag, len(bits)) for tag in own)) for own in newer]
    masks = [sum(1 << n for n in own) for own in numbers]
    windows = {}
    for position, own in enumerate(numbers):
        for pair in combinations(own, 2):
            windows.setdefault(pair, []).append(position)
    newest = {pair: tuple(holders[: WINDOW + 1]) for pair, holders in windows.items()}
    kept = _still_ranked(ranking, 4, bits, tuple(zip(keys, numbers)), newest, masks)
    own = numbers[1]  # {IN, RU, energy}, whose every pair the new story joined
    assert kept(own) == related_positions(newer, 4, keys)[1].best[own]
