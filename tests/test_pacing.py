"""The pacer keeps scheduled sends inside Discord's limits, on a virtual clock."""

from __future__ import annotations

import asyncio

from bot.pacing import CHANNEL_LIMIT, DIRECT_LIMIT, MARGIN, Limit, Pacer


class VirtualTime:
    """A monotonic clock that sleeping moves forward, instantly."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


async def send_times(pacer: Pacer, time: VirtualTime, bucket: str, limit: Limit, count: int):
    times = []
    for _ in range(count):
        await pacer.turn(bucket, limit)
        times.append(round(time.now, 6))
    return times


async def test_a_channel_gets_five_messages_at_once_then_five_every_five_seconds():
    time = VirtualTime()
    pacer = Pacer(monotonic=time.monotonic, sleep=time.sleep)

    times = await send_times(pacer, time, "channel:1", CHANNEL_LIMIT, 12)

    # Discord's observed bucket: 5 messages per 5 seconds per channel.
    step = 5 + MARGIN
    assert times == [0.0] * 5 + [round(step, 6)] * 5 + [round(2 * step, 6)] * 2


async def test_no_five_second_window_ever_holds_more_than_five_messages():
    time = VirtualTime()
    pacer = Pacer(monotonic=time.monotonic, sleep=time.sleep)

    times = await send_times(pacer, time, "channel:1", CHANNEL_LIMIT, 40)

    for index in range(len(times) - 5):
        assert times[index + 5] - times[index] >= 5.0


async def test_channels_are_paced_apart_but_share_the_global_limit():
    time = VirtualTime()
    pacer = Pacer(monotonic=time.monotonic, sleep=time.sleep, overall=Limit(8, 1.0))

    first = await send_times(pacer, time, "channel:1", CHANNEL_LIMIT, 5)
    second = await send_times(pacer, time, "channel:2", CHANNEL_LIMIT, 5)

    # Another channel does not wait for the first one's bucket ...
    assert first == [0.0] * 5
    # ... but the whole bot sends at most 8 a second.
    assert second == [0.0] * 3 + [round(1 + MARGIN, 6)] * 2


async def test_direct_messages_are_paced_at_five_a_second():
    time = VirtualTime()
    pacer = Pacer(monotonic=time.monotonic, sleep=time.sleep)

    times = await send_times(pacer, time, "direct", DIRECT_LIMIT, 11)

    assert times == [0.0] * 5 + [round(1 + MARGIN, 6)] * 5 + [round(2 * (1 + MARGIN), 6)]


async def test_waiting_callers_are_served_in_turns_of_arrival():
    time = VirtualTime()
    pacer = Pacer(monotonic=time.monotonic, sleep=time.sleep)
    order: list[int] = []

    async def send(n: int) -> None:
        await pacer.turn("channel:1", CHANNEL_LIMIT)
        order.append(n)

    await asyncio.gather(*(send(n) for n in range(10)))

    # The first five go at once; the next five share the next turn, whatever order they wake.
    assert sorted(order[:5]) == [0, 1, 2, 3, 4]
    assert sorted(order[5:]) == [5, 6, 7, 8, 9]


async def test_a_send_later_than_its_turn_pushes_the_next_turns_back():
    time = VirtualTime()
    pacer = Pacer(monotonic=time.monotonic, sleep=time.sleep)
    times = []
    for n in range(6):
        await pacer.turn("channel:1", CHANNEL_LIMIT)
        if n == 0:
            time.now += 0.3  # the first send's bookkeeping took 300 ms
        pacer.sent("channel:1")
        times.append(round(time.now, 6))

    # The sixth message keeps five seconds from when the first really went out.
    assert times[5] - times[0] >= 5.0
    assert times[5] == round(0.3 + 5 + MARGIN, 6)
