import assert from "node:assert/strict";
import { databaseFailure } from "./database-errors.ts";
import { HttpError } from "./http.ts";

const withCode = (code: string, message = "boom", name = "Error") => Object.assign(new Error(message), { code, name });

Deno.test("database errors: no connection is 503 database_unavailable with Retry-After", () => {
  for (
    const error of [
      withCode("ECONNREFUSED"),
      withCode("CONNECTION_CLOSED"),
      withCode("CONNECT_TIMEOUT"),
      withCode("57P01", "terminating connection due to administrator command"),
      withCode("57P03", "the database system is starting up"),
      withCode("08006"),
      withCode("53300", "too many connections"),
      Object.assign(new Error("wrapped"), { cause: withCode("ECONNRESET") }),
      Object.assign(new Error("refused"), { name: "ConnectionRefused" }),
    ]
  ) {
    const mapped = databaseFailure(error);
    assert.equal(mapped?.status, 503, String(error.message));
    assert.equal(mapped?.code, "database_unavailable");
    assert.equal(mapped?.headers["Retry-After"], "5");
  }
});

Deno.test("database errors: a statement timeout is 504 database_timeout; lock and deadlock are 503 database_busy", () => {
  assert.equal(databaseFailure(withCode("57014", "canceling statement due to statement timeout"))?.status, 504);
  assert.equal(
    databaseFailure(withCode("57014", "canceling statement due to statement timeout"))?.code,
    "database_timeout",
  );
  for (const code of ["55P03", "40P01", "40001"]) {
    const mapped = databaseFailure(withCode(code));
    assert.equal(mapped?.status, 503);
    assert.equal(mapped?.code, "database_busy");
    assert.equal(mapped?.headers["Retry-After"], "1");
  }
});

Deno.test("database errors: anything else is left alone", () => {
  assert.equal(databaseFailure(withCode("23505")), undefined);
  assert.equal(databaseFailure(withCode("57014", "canceling statement due to user request")), undefined);
  assert.equal(databaseFailure(new TypeError("x is undefined")), undefined);
  assert.equal(databaseFailure(new HttpError(404, "not_found", "Not found.")), undefined);
  assert.equal(databaseFailure(null), undefined);
});
