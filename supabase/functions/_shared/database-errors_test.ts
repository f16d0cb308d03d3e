import assert from "node:assert/strict";
import * as sqlErrors from "./database-errors.ts";
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

Deno.test("a SQL refusal's message keeps a short excerpt of what the client sent and names no internal table", () => {
  const { sqlError, safeMessage } = sqlErrors;
  const long = "y".repeat(100_000);
  const echoed = sqlError(withCode("22P02", `invalid input syntax for type uuid: "${long}"`, "PostgresError"))!;
  assert.equal(echoed.status, 400);
  assert.equal(echoed.message, `Invalid input syntax for type uuid: "${"y".repeat(40)}…".`);
  assert.equal(safeMessage('Key (user_id) is not present in table auth.users'), "Key (user_id) is not present in table an internal table");
  assert.equal(safeMessage('stack depth limit exceeded. Increase the configuration parameter "max_stack_depth".'), "stack depth limit exceeded.");
  assert.equal(sqlError(withCode("PT409", "wizard session is not active", "PostgresError"))!.message, "Wizard session is not active.");
});
