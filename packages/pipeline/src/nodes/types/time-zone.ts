/**
 * Whether `name` is an IANA time zone (UTC, Europe/Berlin), as the JavaScript runtime knows them; checked where the
 * config is (browser and server alike), so a typo is an issue on the field, not a DuckDB error while running.
 * Abbreviations and offsets ("CET", "+02:00") are refused: a name must say where, so that daylight saving follows.
 */
export function isTimeZone(name: string): boolean {
  if (name !== "UTC" && !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)+$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
