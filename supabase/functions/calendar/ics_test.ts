import assert from "node:assert/strict";
import { type CalendarEvent, escapeText, foldLine, renderCalendar, utcStamp } from "./ics.ts";

const interview: CalendarEvent = {
  uid: "interview-c4000000-0000-4000-8000-000000000021@jobstalker",
  kind: "interview",
  summary: "Technical interview (round 2): Engineer, Platform; Data at Acme",
  description: "Job: Engineer at Acme\nWith: Rita Recruiter (Recruiter)",
  location: "Berlin, Mitte",
  url: "https://meet.example/abc",
  starts_at: "2027-03-28T10:00:00+02:00",
  ends_at: "2027-03-28T11:00:00+02:00",
  status: "CONFIRMED",
  sequence: 2,
  created_at: "2027-03-01T08:00:00+00:00",
  last_modified: "2027-03-02T09:30:00.123456+00:00",
};

Deno.test("ics: text values escape backslash, semicolon, comma and newlines", () => {
  assert.equal(escapeText("a\\b;c,d\ne\r\nf"), "a\\\\b\\;c\\,d\\ne\\nf");
});

Deno.test("ics: long lines fold at 75 octets without splitting a UTF-8 character", () => {
  const line = "SUMMARY:" + "Zoë Łukasiewicz-Παπαδοπούλου ".repeat(6);
  const folded = foldLine(line);
  const physical = folded.split("\r\n");
  assert.ok(physical.length > 1);
  for (const part of physical) assert.ok(new TextEncoder().encode(part).length <= 75, part);
  assert.equal(physical.map((part, i) => (i === 0 ? part : part.slice(1))).join(""), line);
});

Deno.test("ics: instants are written in UTC whatever offset they came with", () => {
  assert.equal(utcStamp("2027-03-28T10:00:00+02:00"), "20270328T080000Z");
  assert.equal(utcStamp("2027-03-02T09:30:00.123456+00:00"), "20270302T093000Z");
});

Deno.test("ics: a calendar with a timed, a cancelled and an all-day event", () => {
  const text = renderCalendar({
    time_zone: "Europe/Berlin",
    events: [
      interview,
      { ...interview, uid: "interview-2@jobstalker", status: "CANCELLED", sequence: 3, url: "javascript:alert(1)" },
      {
        uid: "deadline-1@jobstalker",
        kind: "deadline",
        summary: "Application deadline: Analyst at Globex",
        date: "2027-12-31",
        status: "CONFIRMED",
        sequence: 0,
        created_at: "2027-03-01T08:00:00Z",
        last_modified: "2027-03-01T08:00:00Z",
      },
    ],
  });
  assert.ok(text.startsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//JobStalker//Tracker//EN\r\n"));
  assert.ok(text.endsWith("END:VCALENDAR\r\n"));
  assert.ok(!/[^\r]\n/.test(text), "every line ends in CRLF");
  assert.match(text, /DTSTART:20270328T080000Z\r\nDTEND:20270328T090000Z/);
  assert.match(text, /SUMMARY:Technical interview \(round 2\): Engineer\\, Platform\\; Data at Acme/);
  assert.match(text, /UID:interview-2@jobstalker[\s\S]*?STATUS:CANCELLED\r\nSEQUENCE:3/);
  assert.equal(text.match(/URL:/g)?.length, 1, "a javascript: link is not written as a URL");
  assert.match(text, /DTSTART;VALUE=DATE:20271231\r\nDTEND;VALUE=DATE:20280101/);
  assert.match(text, /LAST-MODIFIED:20270302T093000Z/);
});
