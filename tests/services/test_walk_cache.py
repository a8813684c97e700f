"""The walk cache: exact under writes, including a write that lands during a board's read."""

from __future__ import annotations

from datetime import date

from bot.domain.models import Challenge, Participant
from bot.domain.rules import PRESETS
from bot.domain.tally import Tally
from bot.services.progress import tally_of
from bot.services.standings import walk_member
from bot.services.walk_cache import Checked, WalkCache
from storage import Stamp

TODAY = date(2026, 3, 10)
CHALLENGE = Challenge(
    id=1, guild_id=1, name="ML", rules=PRESETS["x-days-of-ml-code"], timezone="UTC"
)
ADA = Participant(id=11, challenge_id=1, user_id=101, timezone="UTC", start_day=date(2026, 3, 1))
RAJ = Participant(id=12, challenge_id=1, user_id=102, timezone="UTC", start_day=date(2026, 3, 1))


def walk(participant: Participant) -> Tally:
    return tally_of(CHALLENGE, walk_member(CHALLENGE, participant, TODAY, {}, None))


def test_walks_are_kept_until_a_change_names_them() -> None:
    cache = WalkCache()
    cache.put(CHALLENGE, [walk(ADA), walk(RAJ)], cache.generation(1))
    cached = cache.get(CHALLENGE)
    assert cached is not None
    assert set(cached.tallies) == {11, 12}
    cache.sync(1, Stamp(1, 0, frozenset({11})))  # Ada's days changed at version 1
    assert set(cached.tallies) == {12}
    cache.sync(1, Stamp(2, 2, frozenset()))  # a membership change resets the whole challenge
    assert cache.get(CHALLENGE) is None


def test_a_board_read_overlapping_a_write_is_not_stored() -> None:
    cache = WalkCache()
    seen = cache.generation(1)
    cache.put(CHALLENGE, [walk(ADA), walk(RAJ)], seen)
    cached = cache.get(CHALLENGE)
    assert cached is not None
    cached.tallies.clear()
    # A second board starts reading, then a post by Ada commits before it stores its walks.
    seen = cache.generation(1)
    cache.sync(1, Stamp(1, 0, frozenset({11})))
    cache.update(1, [walk(ADA)], seen)
    assert cached.tallies == {}


def test_changed_settings_or_a_reset_empty_the_cache() -> None:
    cache = WalkCache()
    cache.put(CHALLENGE, [walk(ADA)], cache.generation(1))
    edited = Challenge(
        id=1, guild_id=1, name="ML", rules=PRESETS["66-days-of-data"], timezone="UTC"
    )
    assert cache.get(edited) is None
    cache.put(CHALLENGE, [walk(ADA)], cache.generation(1))
    cache.sync(1, Stamp(1, 1, frozenset()))  # e.g. a member forgotten: reset at version 1
    assert cache.get(CHALLENGE) is None


def test_the_cache_keeps_a_tally_per_member_in_joining_order() -> None:
    cache = WalkCache()
    cache.put(CHALLENGE, [walk(RAJ), walk(ADA)], cache.generation(1))
    cached = cache.get(CHALLENGE)
    assert cached is not None
    assert cached.members == (12, 11)
    # Ints only: no walk, state, summary or participant is kept alive by the cache.
    assert cached.tallies[11] == walk(ADA)
    assert cached.tallies[11].today == TODAY.toordinal()


def test_a_full_check_is_kept_until_a_change_or_a_fresher_walk() -> None:
    cache = WalkCache()
    seen = cache.generation(1)
    members = [walk(ADA), walk(RAJ)]
    cache.put(CHALLENGE, members, seen)
    cache.check(1, Checked(seen, {"UTC": TODAY.toordinal()}, members))
    cached = cache.get(CHALLENGE)
    assert cached is not None
    assert cached.checked is not None
    cache.update(1, [walk(ADA)], seen)  # a member walked again: the check is outdated
    assert cached.checked is None
    cache.check(1, Checked(seen, {"UTC": TODAY.toordinal()}, members))
    cache.sync(1, Stamp(1, 0, frozenset({12})))
    assert cached.checked is None
    # A check read before a write committed is not kept.
    cache.check(1, Checked(seen, {"UTC": TODAY.toordinal()}, members))
    assert cached.checked is None


def test_a_sync_forgets_the_members_whose_days_changed_since_the_version_held() -> None:
    cache = WalkCache()
    cache.put(CHALLENGE, [walk(ADA), walk(RAJ)], cache.generation(1), version=5)
    seen = cache.generation(1)
    assert cache.held(1) == 5
    assert cache.sync(1, Stamp(7, 2, frozenset({11})))
    cached = cache.get(CHALLENGE)
    assert cached is not None
    assert set(cached.tallies) == {12}
    assert cache.held(1) == 7
    # A board that read before the sync stores nothing over it.
    cache.update(1, [walk(ADA)], seen)
    assert set(cached.tallies) == {12}


def test_a_sync_past_a_reset_drops_the_challenge() -> None:
    cache = WalkCache()
    cache.put(CHALLENGE, [walk(ADA), walk(RAJ)], cache.generation(1), version=5)
    assert cache.sync(1, Stamp(6, 6, frozenset()))
    assert cache.get(CHALLENGE) is None
    assert cache.held(1) is None


def test_a_read_in_an_older_snapshot_than_the_cache_does_not_use_it() -> None:
    cache = WalkCache()
    cache.put(CHALLENGE, [walk(ADA), walk(RAJ)], cache.generation(1), version=5)
    assert not cache.sync(1, Stamp(4, 0, frozenset({12})))
    cached = cache.get(CHALLENGE)
    assert cached is not None
    assert set(cached.tallies) == {11, 12}  # untouched: the newer cache is still exact at 5
    assert cache.held(1) == 5
