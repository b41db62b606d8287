"""Strict RFC 3339 date-time parsing to whole milliseconds since the Unix epoch."""
import re

_PATTERN = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))")


def _days_in_month(year, month):
    if month == 2:
        return 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _days_from_civil(year, month, day):
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def parse_ms(text):
    """Milliseconds since the epoch, fraction digits after the third dropped; None if invalid."""
    if not isinstance(text, str):
        return None
    match = _PATTERN.fullmatch(text)
    if not match or not text.isascii():
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.group(1, 2, 3, 4, 5, 6))
    if not (1 <= month <= 12 and 1 <= day <= _days_in_month(year, month) and hour <= 23
            and minute <= 59 and second <= 60):
        return None
    offset = 0
    if match.group(9):
        offset_hour, offset_minute = int(match.group(10)), int(match.group(11))
        if offset_hour > 23 or offset_minute > 59:
            return None
        offset = (offset_hour * 3600 + offset_minute * 60) * (-1 if match.group(9) == "-" else 1)
    milliseconds = int((match.group(7) or "0")[:3].ljust(3, "0"))
    whole = _days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset
    return whole * 1000 + milliseconds
