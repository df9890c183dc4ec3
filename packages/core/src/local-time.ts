const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * Weekday ("Mon"…), hour (00–23), minute and second of an instant in a time zone. One formatter per zone is kept:
 * building one costs far more than formatting. An unknown zone throws a RangeError.
 */
export function localTimeParts(at: Date, timeZone: string): Intl.DateTimeFormatPart[] {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f.formatToParts(at);
}
