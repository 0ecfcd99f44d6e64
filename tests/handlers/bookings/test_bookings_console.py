"""The booking flows in the console, as a user pipes them into ``cedbot chat``."""

from __future__ import annotations

from pathlib import Path

from tests.bot.test_cli import run

SESSION = """\
/courses
1
1
Anna Berg
Acme Cluster
anna@acme
anna@acme.dk
1
/mybookings
1
1
/mybookings
/advice
2
We are preparing for the Silver label next year.
1
1
/mybookings
"""


def test_book_cancel_and_meet_an_adviser_in_the_console(tmp_path: Path) -> None:
    result = run(["chat", "--user", "anna"], SESSION.encode())
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[1] Tue 19 Jan, 09:00 · Introduction to cluster management" in out  # the sample catalogue
    assert "24 of 24 free" in out
    assert "is not a valid e-mail address" in out
    assert "Your seat on Introduction to cluster management is booked" in out
    assert "Introduction to cluster management, Tue 19 Jan 2027, 09:00–16:00; Wed 20 Jan 2027, 09:00–15:00: seat" in out
    assert "Your booking on Introduction to cluster management is cancelled." in out
    assert "You have no upcoming bookings" in out
    assert "Your meeting is booked: Tue 12 Jan 2027, 10:00–11:00, Mette Lund, online" in out
    assert "Adviser meeting on Cluster excellence labels" in out
    saved = sorted(p.name for p in (tmp_path / "cedbot-files").iterdir())
    # the seat's invite, its cancellation, and the meeting's invite
    assert saved == ["ced-course-CM-INTRO-27-1.ics", "ced-course-CM-INTRO-27.ics", "ced-meeting-1.ics"]
    assert "BEGIN:VCALENDAR" in (tmp_path / "cedbot-files" / "ced-meeting-1.ics").read_text()
    assert "Traceback" not in result.stderr
