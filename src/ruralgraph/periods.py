"""Time as sources state it: partial dates (``2016``, ``2016-09``, ``2016-09-01``) and the periods they span.

A source rarely gives a day. ``2016`` means "some time in 2016", so a partial date is a period
from its first day to its last. A relationship's time is stored in the graph as native dates
(``start_date`` is the first day its start can mean, ``end_date`` the last day its end can mean),
and its ``valid_from``/``valid_to`` are the widest interval the source allows; questions asked
``as of`` a date or ``between`` two keep the relationships whose interval overlaps (see
``TimeWindow``). ``period`` (``Timing.when``) is the readable form, with the precision the source gave.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

PARTIAL_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
_PARTIAL_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")

# The widest window: a question asked without a time keeps every relationship.
EARLIEST = dt.date(1, 1, 1)
LATEST = dt.date(9999, 12, 31)


def partial_date(value: object) -> str:
    """A date to the precision known: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (checked, precision kept).

    >>> partial_date(2017), partial_date("2017-12"), partial_date(dt.date(2021, 5, 10))
    ('2017', '2017-12', '2021-05-10')
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip() if isinstance(value, int | str) and not isinstance(value, bool) else ""
    match = _PARTIAL_DATE.match(text)
    if not match:
        raise ValueError("a date is YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in match.group("year", "month", "day"))
    assert year is not None
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError as error:
        raise ValueError(f"{text} is not a date: {error}") from None
    if not 1000 <= year <= 2100:
        raise ValueError(f"{text}: the year must be between 1000 and 2100")
    return text


def first_day(text: str) -> dt.date:
    """The first day a partial date can mean.

    >>> first_day("2016"), first_day("2016-09")
    (datetime.date(2016, 1, 1), datetime.date(2016, 9, 1))
    """
    year, month, day = _parts(text)
    return dt.date(year, month or 1, day or 1)


def last_day(text: str) -> dt.date:
    """The last day a partial date can mean.

    >>> last_day("2016"), last_day("2016-02"), last_day("2016-02-03")
    (datetime.date(2016, 12, 31), datetime.date(2016, 2, 29), datetime.date(2016, 2, 3))
    """
    year, month, day = _parts(text)
    if month is None:
        return dt.date(year, 12, 31)
    return dt.date(year, month, day or calendar.monthrange(year, month)[1])


def _parts(text: str) -> tuple[int, int | None, int | None]:
    match = _PARTIAL_DATE.match(partial_date(text))
    assert match is not None
    year, month, day = (int(part) if part else None for part in match.group("year", "month", "day"))
    assert year is not None
    return year, month, day


@dataclass(frozen=True)
class Timing:
    """A relationship's time as a source gives it: a period (``start``–``end``), a point (``date``),
    and when an amount or count was measured (``as_of``); each a partial date or None."""

    start: str | None = None
    end: str | None = None
    date: str | None = None
    as_of: str | None = None

    def problems(self) -> list[str]:
        """What makes this timing impossible (empty when it is sound)."""
        found = []
        if self.date is not None and (self.start is not None or self.end is not None):
            found.append("a relationship has a date (a point in time) or start/end (a period), not both")
        if self.start is not None and self.end is not None and first_day(self.start) > last_day(self.end):
            found.append(f"start {self.start} is after end {self.end}")
        return found

    def interval(self) -> tuple[dt.date | None, dt.date | None]:
        """The widest interval the source allows (``valid_from``, ``valid_to``); None is open.

        A period without an end is ongoing (至今); a point or an ``as_of`` alone holds for its
        own period. An undated relationship has ``(None, None)``.

        >>> Timing(start="2016").interval()
        (datetime.date(2016, 1, 1), None)
        >>> Timing(date="2021-04").interval()
        (datetime.date(2021, 4, 1), datetime.date(2021, 4, 30))
        """
        if self.start is not None or self.end is not None:
            return (
                first_day(self.start) if self.start else None,
                last_day(self.end) if self.end else None,
            )
        point = self.date or self.as_of
        if point is None:
            return None, None
        return first_day(point), last_day(point)

    def when(self) -> str | None:
        """The time in words a table can show, at the source's precision; None when undated.

        >>> Timing(start="2016").when(), Timing(start="2018", end="2021-06").when()
        ('2016–', '2018–2021-06')
        >>> Timing(date="2021-04-08").when(), Timing(as_of="2020").when(), Timing(end="2020").when()
        ('2021-04-08', 'as of 2020', '–2020')
        """
        if self.start is not None or self.end is not None:
            period = f"{self.start or ''}–{self.end or ''}"
            return period if self.as_of is None else f"{period} (as of {self.as_of})"
        if self.date is not None:
            return self.date if self.as_of is None else f"{self.date} (as of {self.as_of})"
        if self.as_of is not None:
            return f"as of {self.as_of}"
        return None

    def stored(self) -> dict[str, dt.date | str]:
        """The graph properties: native dates on both engines, the interval, and ``period``, the
        readable form (each absent if unknown)."""
        valid_from, valid_to = self.interval()
        values: dict[str, dt.date | str | None] = {
            "start_date": first_day(self.start) if self.start else None,
            "end_date": last_day(self.end) if self.end else None,
            "date": first_day(self.date) if self.date else None,
            "as_of": last_day(self.as_of) if self.as_of else None,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "period": self.when(),
        }
        return {key: value for key, value in values.items() if value is not None}


# The relationship properties that hold native dates (exports and the parity test read them).
DATE_PROPERTIES = ("start_date", "end_date", "date", "as_of", "valid_from", "valid_to")


@dataclass(frozen=True)
class TimeWindow:
    """The time a question is asked about: relationships whose interval overlaps it are kept.

    ``undated`` keeps relationships with no time at all (the default: they are marked, not lost).
    """

    start: dt.date = EARLIEST
    end: dt.date = LATEST
    undated: bool = True

    @classmethod
    def of(
        cls, *, as_of: str | None = None, between: tuple[str, str] | None = None, undated: bool = True
    ) -> TimeWindow:
        """The window of ``--as-of DATE`` or ``--between A B`` (partial dates; at most one of the two).

        >>> TimeWindow.of(as_of="2019")
        TimeWindow(start=datetime.date(2019, 1, 1), end=datetime.date(2019, 12, 31), undated=True)
        >>> TimeWindow.of(between=("2018", "2020-06")).end
        datetime.date(2020, 6, 30)
        """
        if as_of is not None and between is not None:
            raise ValueError("ask as of a date or between two dates, not both")
        if as_of is not None:
            text = partial_date(as_of)
            return cls(first_day(text), last_day(text), undated)
        if between is not None:
            low, high = (partial_date(value) for value in between)
            if first_day(low) > last_day(high):
                raise ValueError(f"between {low} and {high}: the first date is after the second")
            return cls(first_day(low), last_day(high), undated)
        return cls(undated=undated)

    @property
    def is_open(self) -> bool:
        """True when the window keeps every relationship (no time was asked about)."""
        return self.start == EARLIEST and self.end == LATEST and self.undated

    def params(self) -> dict[str, object]:
        """The query parameters that carry this window (see the ``time_*`` params of the query files)."""
        return {"time_from": self.start, "time_to": self.end, "undated": self.undated}

    def keeps(self, valid_from: dt.date | None, valid_to: dt.date | None) -> bool:
        """The overlap rule the query files apply, for graphs already in Python (maps, exports)."""
        if valid_from is None and valid_to is None:
            return self.undated
        return (valid_from or EARLIEST) <= self.end and (valid_to or LATEST) >= self.start

    def describe(self) -> str:
        """The window in words, for titles and notes."""
        if self.start == EARLIEST and self.end == LATEST:
            return "" if self.undated else "dated relationships only"
        whole_year = (self.start.month, self.start.day, self.end.month, self.end.day) == (1, 1, 12, 31)
        if self.start.year == self.end.year and whole_year:
            text = f"as of {self.start.year}"
        elif self.start == self.end:
            text = f"as of {self.start.isoformat()}"
        elif whole_year:
            text = f"between {self.start.year} and {self.end.year}"
        else:
            text = f"between {self.start.isoformat()} and {self.end.isoformat()}"
        return text if self.undated else f"{text}, dated only"
