const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A timestamp from the API (ISO 8601) for people, in their locale and time zone. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

const slotFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A schedule's slot, on the clock of the schedule's time zone and naming it ("Dec 8, 2026, 9:00 AM EST"): a cron of
 * "0 9 * * *" in America/New_York reads 9:00 whatever the browser's zone, and the zone's name says when daylight
 * saving moved it. To the second when its cron has a seconds field (else "1:49 PM" would repeat for each slot).
 */
export function formatSlot(iso: string, withSeconds: boolean, timeZone?: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const key = `${withSeconds}|${timeZone ?? ""}`;
  let f = slotFormats.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions = { year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit", ...(withSeconds ? { second: "2-digit" } : {}), timeZoneName: "short" };
    try {
      f = new Intl.DateTimeFormat(undefined, { ...options, ...(timeZone ? { timeZone } : {}) });
    } catch {
      // A zone this browser does not know: its own zone, still named.
      f = new Intl.DateTimeFormat(undefined, options);
    }
    slotFormats.set(key, f);
  }
  return f.format(d);
}
