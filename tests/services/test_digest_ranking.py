"""The digest ranks its board and top streaks a slice at a time, exactly as one `heapq` pass.

`_smallest` takes the smallest of each slice merged with those found so far, yielding to the
event loop in between; here it is compared with `heapq.nsmallest` (the board) and, through
`_descending`, with `heapq.nlargest` (the top streaks) over keys with many ties, whose order
among equals is the items' own.
"""

from __future__ import annotations

import asyncio
import heapq

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.digests import _descending, _smallest

# (key, position): few distinct keys, so that many items tie; the position tells equals apart.
items_strategy = st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3)), max_size=60).map(
    lambda keys: [(key, index) for index, key in enumerate(keys)]
)


@settings(max_examples=400)
@given(items_strategy, st.integers(1, 12), st.integers(1, 70))
def test_the_smallest_by_slices_are_heapqs(
    items: list[tuple[tuple[int, int], int]], size: int, every: int
) -> None:
    found = asyncio.run(_smallest(size, items, key=lambda item: item[0], every=every))
    assert found == heapq.nsmallest(size, items, key=lambda item: item[0])


@settings(max_examples=400)
@given(items_strategy, st.integers(1, 12), st.integers(1, 70))
def test_the_smallest_of_descending_keys_are_heapqs_largest(
    items: list[tuple[tuple[int, int], int]], size: int, every: int
) -> None:
    found = asyncio.run(_smallest(size, items, key=lambda item: _descending(item[0]), every=every))
    assert found == heapq.nlargest(size, items, key=lambda item: item[0])


def test_a_slice_at_a_time_lets_the_loop_in() -> None:
    async def ranked_with_a_neighbour() -> tuple[list[int], int]:
        turns = 0

        async def neighbour() -> None:
            nonlocal turns
            while True:
                turns += 1
                await asyncio.sleep(0)

        task = asyncio.create_task(neighbour())
        await asyncio.sleep(0)
        before = turns
        found = await _smallest(3, list(range(100, 0, -1)), key=lambda n: n, every=10)
        task.cancel()
        return found, turns - before

    found, turns = asyncio.run(ranked_with_a_neighbour())
    assert found == [1, 2, 3]
    # Ten slices, a yield before each: the neighbour ran in between.
    assert turns >= 9
