// The calendar handler with a stand-in database. Threats covered:
// - token guessing costing database work → malformed tokens never reach the database;
// - telling unknown, revoked and malformed tokens apart → one 404;
// - the feed read with more than anon's rights → every feed lookup runs as anon;
// - an interview file without a session → 401; another user's → the RPC's 404.
import assert from "node:assert/strict";
import type { CallerClaims } from "../_shared/auth.ts";
import { AuthError } from "../_shared/auth.ts";
import type { Sql } from "../_shared/db.ts";
import { createCalendarHandler } from "./handler.ts";

const token = "AbCdEfGhIjKlMnOpQrStUvWxYz012345";
const interviewId = "c4000000-0000-4000-8000-000000000021";
const feed = {
  time_zone: "UTC",
  events: [{
    uid: `interview-${interviewId}@jobstalker`,
    kind: "interview",
    summary: "Hr interview (round 1): Engineer at Acme",
    starts_at: "2027-03-28T08:00:00+00:00",
    ends_at: "2027-03-28T09:00:00+00:00",
    status: "CONFIRMED",
    sequence: 0,
    created_at: "2027-03-01T08:00:00+00:00",
    last_modified: "2027-03-01T08:00:00+00:00",
  }],
};
const owner = { sub: "11111111-1111-4111-8111-111111111111", role: "authenticated" } as CallerClaims;

function fakeDatabase(answer: unknown, failure?: Error) {
  const statements: { text: string; values: unknown[]; claims: string }[] = [];
  let claims = "";
  const tx = (strings: TemplateStringsArray, ...values: unknown[]) => {
    const text = strings.join("?");
    if (text.includes("set_config")) {
      claims = String(values.find((v) => typeof v === "string" && v.includes("role")) ?? claims);
      return Promise.resolve([]);
    }
    statements.push({ text, values, claims });
    if (failure) return Promise.reject(failure);
    return Promise.resolve([{ feed: answer, event: answer }]);
  };
  const sql = { begin: (work: (t: typeof tx) => Promise<unknown>) => work(tx) } as unknown as Sql;
  return { sql, statements };
}

function handler(answer: unknown, failure?: Error) {
  const db = fakeDatabase(answer, failure);
  const verifyCaller = (authorization: string | null) =>
    authorization === "Bearer owner" ? Promise.resolve(owner) : Promise.reject(new AuthError("bad token"));
  return { handle: createCalendarHandler({ database: () => db.sql, verifyCaller }), db };
}

Deno.test("calendar: a live token gives text/calendar read as anon, with no caching by others", async () => {
  const { handle, db } = handler(feed);
  const res = await handle(
    new Request(`http://x/calendar/${token}.ics`, { headers: { Authorization: "Bearer owner" } }),
  );
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "text/calendar; charset=utf-8");
  assert.equal(res.headers.get("cache-control"), "private, no-cache");
  assert.equal(res.headers.get("x-robots-tag"), "noindex");
  const body = await res.text();
  assert.match(body, /UID:interview-c4000000-0000-4000-8000-000000000021@jobstalker/);
  assert.equal(db.statements.length, 1);
  assert.deepEqual(db.statements[0].values, [token]);
  assert.match(db.statements[0].claims, /"role":"anon"/, "a bearer sent along does not change who reads the feed");
  const again = await handle(
    new Request(`http://x/calendar/${token}.ics`, { headers: { "If-None-Match": res.headers.get("etag")! } }),
  );
  assert.equal(again.status, 304);
});

Deno.test("calendar: unknown and malformed tokens get the same 404; malformed ones never reach the database", async () => {
  const { handle, db } = handler(null);
  const unknown = await handle(new Request(`http://x/calendar/${token}.ics`));
  const malformed = await handle(new Request("http://x/calendar/short.ics"));
  assert.equal(unknown.status, 404);
  assert.equal(malformed.status, 404);
  assert.deepEqual(await unknown.json(), await malformed.json());
  assert.equal(db.statements.length, 1);
});

Deno.test("calendar: an interview file needs a session and is read as the caller", async () => {
  const { handle, db } = handler(feed);
  const anon = await handle(new Request(`http://x/calendar/interviews/${interviewId}.ics`));
  assert.equal(anon.status, 401);
  assert.equal(db.statements.length, 0);
  const mine = await handle(
    new Request(`http://x/calendar/interviews/${interviewId}.ics`, { headers: { Authorization: "Bearer owner" } }),
  );
  assert.equal(mine.status, 200);
  assert.equal(mine.headers.get("content-disposition"), `attachment; filename="interview-${interviewId}.ics"`);
  assert.match(db.statements[0].claims, /11111111-1111-4111-8111-111111111111/);
});

Deno.test("calendar: another user's interview is the RPC's 404", async () => {
  const refusal = Object.assign(new Error("Interview not found."), { name: "PostgresError", code: "PT404" });
  const { handle } = handler(null, refusal);
  const res = await handle(
    new Request(`http://x/calendar/interviews/${interviewId}.ics`, { headers: { Authorization: "Bearer owner" } }),
  );
  assert.equal(res.status, 404);
});
