"""The one calendar writer: UTC times, stable UIDs, optional method and name."""

from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from eig_portal.common.ics import CalendarEntry, ics_bytes, uid_for

PARIS = ZoneInfo("Europe/Paris")


def _entry(**overrides):
    values = {
        "uid": "event-1@example",
        "summary": "Semaine de lancement",
        "starts_at": datetime(2027, 9, 13, 9, 0, tzinfo=PARIS),
        "ends_at": datetime(2027, 9, 13, 17, 30, tzinfo=PARIS),
        "stamp": datetime(2027, 6, 1, 12, 0, tzinfo=PARIS),
        "place": "20 avenue de Ségur, Paris",
    }
    return CalendarEntry(**{**values, **overrides})


def test_times_are_written_in_utc_from_paris_time():
    text = ics_bytes([_entry()], prodid="-//Test//FR").decode()
    assert "DTSTART:20270913T070000Z" in text  # 9:00 in Paris in summer is 7:00 UTC
    assert "DTEND:20270913T153000Z" in text


def test_method_and_name_only_when_given():
    plain = ics_bytes([_entry()], prodid="-//Test//FR").decode()
    assert "METHOD" not in plain and "X-WR-CALNAME" not in plain
    invitation = ics_bytes([_entry()], prodid="-//Test//FR", method="REQUEST", name="EIG 8")
    assert "METHOD:REQUEST" in invitation.decode() and "X-WR-CALNAME:EIG 8" in invitation.decode()


def test_every_entry_is_readable_back_with_its_uid_and_place():
    data = ics_bytes(
        [_entry(), _entry(uid="event-2@example", url="https://visio.example")], prodid="-//T//FR"
    )
    events = Calendar.from_ical(data).walk("VEVENT")
    assert [str(e["UID"]) for e in events] == ["event-1@example", "event-2@example"]
    assert str(events[0]["LOCATION"]) == "20 avenue de Ségur, Paris"
    assert str(events[1]["URL"]) == "https://visio.example"


def test_uid_uses_the_site_host(settings):
    settings.SITE_URL = "https://eig.example.gouv.fr:8443/portail"
    assert uid_for("interview", "abc") == "interview-abc@eig.example.gouv.fr"
