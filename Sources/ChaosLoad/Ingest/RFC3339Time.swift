/// RFC 3339 timestamps as Go's `time.RFC3339Nano` writes them (k6's `data.time`):
/// `2026-12-03T12:29:17.265455202Z`, trailing zeros of the fraction dropped, and a numeric
/// offset (`+01:00`) when k6 runs in a local time zone. Parsed by hand on the hot path.
enum RFC3339Time {
    /// Nanoseconds since the Unix epoch, nil when the bytes are not such a timestamp.
    static func nanoseconds(_ p: UnsafePointer<UInt8>, count: Int) -> Int64? {
        guard count >= 20, p[4] == 0x2D, p[7] == 0x2D, p[10] == 0x54 || p[10] == 0x74 || p[10] == 0x20,
              p[13] == 0x3A, p[16] == 0x3A else { return nil }
        guard let year = digits(p, 0, 4), let month = digits(p, 5, 2), let day = digits(p, 8, 2),
              let hour = digits(p, 11, 2), let minute = digits(p, 14, 2), let second = digits(p, 17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        var fraction: Int64 = 0
        if i < count && p[i] == 0x2E {
            i += 1
            var scale: Int64 = 100_000_000
            let start = i
            while i < count, p[i] &- 0x30 < 10 {
                fraction += Int64(p[i] &- 0x30) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < count else { return nil }
        var offsetSeconds = 0
        if p[i] == 0x5A || p[i] == 0x7A {
            i += 1
        } else if p[i] == 0x2B || p[i] == 0x2D {
            guard i + 6 == count, p[i + 3] == 0x3A, let oh = digits(p, i + 1, 2), let om = digits(p, i + 4, 2) else { return nil }
            offsetSeconds = (oh * 3600 + om * 60) * (p[i] == 0x2D ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second - offsetSeconds)
        // Int64 nanoseconds span the years 1677 to 2262; a stamp outside is no request of ours.
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (stamp, carry) = whole.addingReportingOverflow(fraction)
        return overflow || carry ? nil : stamp
    }

    @inline(__always) private static func digits(_ p: UnsafePointer<UInt8>, _ at: Int, _ n: Int) -> Int? {
        var value = 0
        for k in at..<at + n {
            let d = p[k] &- 0x30
            guard d < 10 else { return nil }
            value = value * 10 + Int(d)
        }
        return value
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
