"""Deadlines in Paris time: the window's bounds and the wording before and after them."""

from datetime import UTC, datetime, timedelta

from eig_portal.common.deadlines import countdown, deadline_wording, has_passed, window_is_open

CLOSES = datetime(2027, 3, 7, 22, 59, tzinfo=UTC)  # 23 h 59 in Paris (winter time)
OPENS = CLOSES - timedelta(days=30)


def test_the_window_includes_both_bounds():
    assert window_is_open(opens_at=OPENS, closes_at=CLOSES, at=OPENS)
    assert window_is_open(opens_at=OPENS, closes_at=CLOSES, at=CLOSES)
    assert not window_is_open(opens_at=OPENS, closes_at=CLOSES, at=CLOSES + timedelta(seconds=1))
    assert not window_is_open(opens_at=OPENS, closes_at=CLOSES, at=OPENS - timedelta(seconds=1))


def test_the_wording_is_in_paris_time_and_changes_once_the_deadline_passed():
    before, after = CLOSES - timedelta(hours=1), CLOSES + timedelta(minutes=1)
    assert deadline_wording(CLOSES, before) == "jusqu'au 7 mars 2027 à 23 h 59, heure de Paris"
    assert deadline_wording(CLOSES, CLOSES) == "jusqu'au 7 mars 2027 à 23 h 59, heure de Paris"
    assert deadline_wording(CLOSES, after) == "clos depuis le 7 mars 2027 à 23 h 59, heure de Paris"
    assert not has_passed(CLOSES, CLOSES) and has_passed(CLOSES, after)


def test_the_countdown_shows_only_in_the_last_days():
    assert countdown(CLOSES, CLOSES - timedelta(days=8)) == ""
    assert countdown(CLOSES, CLOSES - timedelta(days=3)) == "Plus que 3 jours"
    assert countdown(CLOSES, CLOSES - timedelta(hours=5)) == "Plus que 5 heures"
    assert countdown(CLOSES, CLOSES + timedelta(minutes=1)) == ""
