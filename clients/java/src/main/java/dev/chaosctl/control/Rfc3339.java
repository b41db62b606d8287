package dev.chaosctl.control;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Strict RFC 3339 date-time → whole milliseconds since the epoch (digits after the third dropped). */
final class Rfc3339 {
    private static final Pattern PATTERN = Pattern.compile(
        "([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]+))?(?:([Zz])|([+-])([0-9]{2}):([0-9]{2}))");

    private Rfc3339() {}

    /** Milliseconds since the epoch, or null when not an RFC 3339 date-time. */
    static Long parseMillis(Object value) {
        if (!(value instanceof String)) return null;
        Matcher m = PATTERN.matcher((String) value);
        if (!m.matches()) return null;
        int hour = Integer.parseInt(m.group(4)), minute = Integer.parseInt(m.group(5)), second = Integer.parseInt(m.group(6));
        if (hour > 23 || minute > 59 || second > 60) return null;
        long days;
        try {
            days = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        long offset = 0;
        if (m.group(9) != null) {
            int offsetHour = Integer.parseInt(m.group(10)), offsetMinute = Integer.parseInt(m.group(11));
            if (offsetHour > 23 || offsetMinute > 59) return null;
            offset = (offsetHour * 3600L + offsetMinute * 60L) * (m.group(9).equals("-") ? -1 : 1);
        }
        String fraction = m.group(7) == null ? "0" : m.group(7);
        String three = (fraction.length() >= 3 ? fraction.substring(0, 3) : (fraction + "00").substring(0, 3));
        long whole = days * 86400 + hour * 3600L + minute * 60L + second - offset;
        return whole * 1000 + Integer.parseInt(three);
    }
}
