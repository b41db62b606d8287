// Strict RFC 3339 date-time → whole milliseconds since the epoch (fraction digits after the
// third dropped, docs/control-file.md 3.1); null when invalid.
const PATTERN = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

export function parseMillis(text: unknown): number | null {
  if (typeof text !== "string") return null;
  const m = PATTERN.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 60) {
    return null;
  }
  let offset = 0;
  if (m[9]) {
    const offsetHour = Number(m[10]), offsetMinute = Number(m[11]);
    if (offsetHour > 23 || offsetMinute > 59) return null;
    offset = (offsetHour * 3600 + offsetMinute * 60) * (m[9] === "-" ? -1 : 1);
  }
  const millis = Number((m[7] ?? "0").slice(0, 3).padEnd(3, "0"));
  // Date.UTC handles the calendar; a leap second (:60) folds into the next second.
  const whole = Date.UTC(year, month - 1, day, hour, minute, 0) / 1000 + second - offset;
  return whole * 1000 + millis;
}
