"""Related stories for every story at once, in time that grows linearly with the number of stories.

Comparing each story with every other one is quadratic: 10,000 stories make 100 million
comparisons. A related story shares at least two tags, so it is in the list of stories holding
some pair of this story's tags. Each story is indexed under every pair of its tags (lists kept
newest first), and only the newest WINDOW stories of each of its pairs are compared with it. That
is exact while every list is shorter than WINDOW; on a large site a story older than the newest
WINDOW of each of the pairs it shares can be passed over for a newer one sharing as many pairs.
Stories with the same tags have the same candidates, so they are ranked once per set of tags.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from itertools import combinations

WINDOW = 32  # stories compared per pair of tags


def related_positions(tags: Sequence[frozenset[Hashable]], limit: int) -> list[list[int]]:
    """For each position, up to `limit` other positions sharing at least two tags with it (any
    story met through a pair shares two): most shared tags first, lower positions (newer
    stories) first among equals."""
    bits: dict[Hashable, int] = {}
    numbers = [tuple(sorted(bits.setdefault(tag, len(bits)) for tag in own)) for own in tags]
    masks = [sum(1 << number for number in own) for own in numbers]
    pairs: dict[tuple[int, int], list[int]] = defaultdict(list)
    for position, own in enumerate(numbers):
        for pair in combinations(own, 2):
            pairs[pair].append(position)  # positions come in order: each list is newest first
    newest = {pair: holders[: WINDOW + 1] for pair, holders in pairs.items()}
    ranked: dict[tuple[int, ...], list[int]] = {}  # by set of tags
    found = []
    for position, own in enumerate(numbers):
        best = ranked.get(own)
        if best is None:
            mask = masks[position]
            pool = sorted(set().union(*map(newest.__getitem__, combinations(own, 2))))
            # Most shared tags first; the sort is stable, so newer first among equals.
            pool.sort(key=lambda other: (mask & masks[other]).bit_count(), reverse=True)
            # One more than asked: the story itself may be among the candidates, and is left out.
            best = ranked[own] = pool[: limit + 1]
        found.append([other for other in best if other != position][:limit])
    return found
