"""Related stories for every story at once, in time that grows linearly with the number of stories.

Comparing each story with every other one is quadratic: 10,000 stories make 100 million
comparisons. A related story shares at least two tags, so it is in the list of stories holding
some pair of this story's tags. Each story is indexed under every pair of its tags (lists kept
newest first), and only the newest WINDOW stories of each of its pairs are compared with it. That
is exact while every list is shorter than WINDOW; on a large site a story older than the newest
WINDOW of each of the pairs it shares can be passed over for a newer one sharing as many pairs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from itertools import combinations, islice

WINDOW = 32  # stories compared per pair of tags


def related_positions(tags: Sequence[frozenset[Hashable]], limit: int) -> list[list[int]]:
    """For each position, up to `limit` other positions sharing at least two tags with it (any
    story met through a pair shares two): most shared tags first, lower positions (newer
    stories) first among equals."""
    bits: dict[Hashable, int] = {}
    numbers = [sorted(bits.setdefault(tag, len(bits)) for tag in own) for own in tags]
    masks = [sum(1 << number for number in own) for own in numbers]
    pairs: dict[tuple[int, int], list[int]] = defaultdict(list)
    for position, own in enumerate(numbers):
        for pair in combinations(own, 2):
            pairs[pair].append(position)  # positions come in order: each list is newest first
    found = []
    for position, (own, mask) in enumerate(zip(numbers, masks)):
        pool = {other for pair in combinations(own, 2) for other in islice(pairs[pair], WINDOW + 1)}
        pool.discard(position)
        scored = sorted((-(mask & masks[other]).bit_count(), other) for other in pool)
        found.append([other for _, other in scored[:limit]])
    return found
