// RFC 5545 text for the tracker's calendar events, as get_calendar_feed and
// interview_calendar_event answer them. Timed events are written in UTC (a "Z" time):
// an instant is then right in every calendar whatever daylight-saving rules its zone
// has, with no VTIMEZONE to keep in step with the tz database; the zone the interview
// was arranged in is named in its description. Follow-ups and deadlines are all-day
// (VALUE=DATE). Lines end in CRLF and are folded at 75 octets without splitting a
// UTF-8 character (3.1); text values are escaped (3.3.11).

export interface CalendarEvent {
  uid: string;
  kind: "interview" | "follow_up" | "deadline";
  summary: string;
  description?: string | null;
  location?: string | null;
  url?: string | null;
  // Timed events.
  starts_at?: string;
  ends_at?: string;
  // All-day events: YYYY-MM-DD.
  date?: string;
  status: "CONFIRMED" | "CANCELLED";
  sequence: number;
  created_at: string;
  last_modified: string;
}

export interface CalendarDocument {
  time_zone: string;
  events: CalendarEvent[];
}

const encoder = new TextEncoder();

export function escapeText(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r\n|\r|\n/g, "\\n");
}

// Folds one content line: at most 75 octets per physical line, continuation lines start
// with one space (which counts toward their 75).
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = "";
  let currentBytes = 0;
  let limit = 75;
  for (const char of line) {
    const bytes = encoder.encode(char).length;
    if (currentBytes + bytes > limit) {
      parts.push(current);
      current = "";
      currentBytes = 0;
      limit = 74;
    }
    current += char;
    currentBytes += bytes;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

// 2027-03-15T17:00:00+00:00 → 20270315T170000Z
export function utcStamp(instant: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) throw new Error(`not an instant: ${instant}`);
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}

function dateValue(day: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a date: ${day}`);
  return day.replace(/-/g, "");
}

function nextDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

// Only http(s) links become URL properties.
const safeUrl = (value: string | null | undefined) => (value && /^https?:\/\/[^\s]+$/i.test(value) ? value : null);

function eventLines(event: CalendarEvent): string[] {
  const lines = [
    "BEGIN:VEVENT",
    `UID:${escapeText(event.uid)}`,
    // DTSTAMP = when this version of the event was written, so an unchanged feed is
    // byte-for-byte the same (and a changed one says so with LAST-MODIFIED and SEQUENCE).
    `DTSTAMP:${utcStamp(event.last_modified)}`,
  ];
  if (event.date) {
    lines.push(`DTSTART;VALUE=DATE:${dateValue(event.date)}`, `DTEND;VALUE=DATE:${dateValue(nextDay(event.date))}`);
  } else if (event.starts_at && event.ends_at) {
    lines.push(`DTSTART:${utcStamp(event.starts_at)}`, `DTEND:${utcStamp(event.ends_at)}`);
  } else {
    throw new Error(`event ${event.uid} has neither a date nor a start and end`);
  }
  lines.push(`SUMMARY:${escapeText(event.summary)}`);
  if (event.description) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
  if (event.location) lines.push(`LOCATION:${escapeText(event.location)}`);
  const url = safeUrl(event.url);
  if (url) lines.push(`URL:${url}`);
  lines.push(
    `STATUS:${event.status === "CANCELLED" ? "CANCELLED" : "CONFIRMED"}`,
    `SEQUENCE:${Math.max(0, Math.trunc(event.sequence))}`,
    `CREATED:${utcStamp(event.created_at)}`,
    `LAST-MODIFIED:${utcStamp(event.last_modified)}`,
    `CATEGORIES:${event.kind === "interview" ? "Interview" : event.kind === "follow_up" ? "Follow-up" : "Deadline"}`,
    "TRANSP:" + (event.date ? "TRANSPARENT" : "OPAQUE"),
    "END:VEVENT",
  );
  return lines;
}

export function renderCalendar(document: CalendarDocument, name = "JobStalker"): string {
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//JobStalker//Tracker//EN",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(name)}`,
    // How often a subscribing app should poll (RFC 7986 and the common X- form).
    "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
    "X-PUBLISHED-TTL:PT1H",
    ...document.events.flatMap(eventLines),
    "END:VCALENDAR",
  ];
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
