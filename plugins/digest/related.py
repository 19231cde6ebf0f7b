"""Related stories for every story at once, in time that grows linearly with the number of stories.

Comparing each story with every other one is quadratic: 10,000 stories make 100 million
comparisons. A related story shares at least two tags, so it is in the list of stories holding
some pair of this story's tags. Each story is indexed under every pair of its tags (lists kept
newest first), and only the newest WINDOW stories of each of its pairs are compared with it. That
is exact while every list is shorter than WINDOW; on a large site a story older than the newest
WINDOW of each of the pairs it shares can be passed over for a newer one sharing as many pairs.
Stories with the same tags have the same candidates, so they are ranked once per set of tags.

A rebuild starts from the previous build's Ranking: a set of tags whose pairs all kept the same
newest stories has the same candidates as then, in the same order, so it keeps its ranking. Only
the sets of tags sharing a pair with a story added, removed or retagged are ranked again, and
the result is the one ranking every set would give.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import combinations

WINDOW = 32  # stories compared per pair of tags


@dataclass(frozen=True)
class Ranking:
    """What one build ranked, for the next to start from. Tags are numbered (`tags[n]` is tag n),
    which keeps it small and quick to load."""

    limit: int
    tags: tuple[Hashable, ...]
    stories: tuple[tuple[Hashable, tuple[int, ...]], ...]  # (key, its tags' numbers), by position
    windows: dict[tuple[int, int], tuple[int, ...]]  # a pair of tags -> its newest holders
    best: dict[tuple[int, ...], list[int]]  # a set of tags -> its candidates, best first


def related_positions(
    tags: Sequence[frozenset[Hashable]], limit: int, keys: Sequence[Hashable] | None = None,
    previous: Ranking | None = None,
) -> tuple[list[list[int]], Ranking]:
    """For each position, up to `limit` other positions sharing at least two tags with it (any
    story met through a pair shares two): most shared tags first, lower positions (newer
    stories) first among equals; and the Ranking a later call can start from, where each
    story is told by its key (its position when there are no keys) and its tags."""
    bits: dict[Hashable, int] = {}
    numbers = [tuple(sorted(bits.setdefault(tag, len(bits)) for tag in own)) for own in tags]
    masks = [sum(1 << number for number in own) for own in numbers]
    pairs: dict[tuple[int, int], list[int]] = defaultdict(list)
    for position, own in enumerate(numbers):
        for pair in combinations(own, 2):
            pairs[pair].append(position)  # positions come in order: each list is newest first
    newest = {pair: tuple(holders[: WINDOW + 1]) for pair, holders in pairs.items()}
    stories = tuple(zip(range(len(tags)) if keys is None else keys, numbers))
    kept = _still_ranked(previous, limit, bits, stories, newest, masks)
    ranked: dict[tuple[int, ...], list[int]] = {}  # by set of tags
    found = []
    for position, own in enumerate(numbers):
        best = ranked.get(own)
        if best is None:
            best = kept(own)
        if best is None:
            mask = masks[position]
            pool = sorted(set().union(*map(newest.__getitem__, combinations(own, 2))))
            # Most shared tags first; the sort is stable, so newer first among equals.
            pool.sort(key=lambda other: (mask & masks[other]).bit_count(), reverse=True)
            # One more than asked: the story itself may be among the candidates, and is left out.
            best = pool[: limit + 1]
        ranked[own] = best
        found.append([other for other in best if other != position][:limit])
    return found, Ranking(limit, tuple(bits), stories, newest, ranked)


def _still_ranked(previous: Ranking | None, limit: int, bits: dict, stories: tuple, newest: dict, masks: list[int]):
    """A look-up of a set of tags' ranking from the previous one, in today's positions; None where
    it has to be ranked again, or there is no previous ranking.

    A set keeps its ranking when each of its pairs kept the same newest stories. When the only
    change to its pairs is one new story among their newest (pushing the oldest out of a full
    list), the new story is put into the previous ranking where it belongs, unless a story
    pushed out of the set's candidates was among its best."""
    if previous is None or previous.limit != limit:
        return lambda own: None
    renumber = [bits.get(tag, -1) for tag in previous.tags]  # then -> now; -1: no story has it now

    def now(numbers: tuple[int, ...]) -> tuple[int, ...]:
        return tuple(sorted(renumber[number] for number in numbers))

    position_now = {story: position for position, story in enumerate(stories)}
    moved = [position_now.get((key, now(numbers)), -1) for key, numbers in previous.stories]
    new = set(range(len(stories))).difference(moved)  # positions of stories the previous build lacked
    unchanged: set[tuple[int, int]] = set()
    grown: dict[tuple[int, int], tuple[int, int | None]] = {}  # a pair -> (its new story, the one pushed out)
    for pair, holders in previous.windows.items():
        pair_now, then = now(pair), tuple(moved[old] for old in holders)
        window = newest.get(pair_now)
        if then == window:
            unchanged.add(pair_now)
        elif window is not None and -1 not in then:
            added = [position for position in window if position in new]
            rest = tuple(position for position in window if position not in new)
            if len(added) == 1 and rest == then[: len(rest)] and len(then) - len(rest) <= 1:
                grown[pair_now] = (added[0], then[-1] if len(rest) < len(then) else None)
    best_then = {now(own): best for own, best in previous.best.items()}

    def kept(own: tuple[int, ...]) -> list[int] | None:
        best = best_then.get(own)
        if best is None:
            return None
        pairs = list(combinations(own, 2))
        changes = [grown.get(pair) for pair in pairs if pair not in unchanged]
        best = [moved[old] for old in best]
        if not changes:
            return best
        if None in changes or len({story for story, _ in changes}) != 1:
            return None
        story = changes[0][0]
        pushed = {out for _, out in changes if out is not None}.intersection(best)
        if pushed and pushed - set().union(*map(newest.__getitem__, pairs)):
            return None  # one of the best is no longer a candidate: the next best must be found
        mask = sum(1 << number for number in own)
        score = (mask & masks[story]).bit_count()
        at = next(
            (i for i, other in enumerate(best) if (score, -story) > ((mask & masks[other]).bit_count(), -other)), len(best)
        )
        return [*best[:at], story, *best[at:]][: limit + 1]

    return kept
