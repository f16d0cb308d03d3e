// Reading a request body (http.ts readBodyText), below the pipeline's body guard.
import assert from "node:assert/strict";
import { readBodyText } from "./http.ts";

Deno.test("a chunked body without Content-Length is cut off at the limit, without pulling the rest", async () => {
  const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < 10) controller.enqueue(chunk);
      else controller.close();
    },
  });
  await assert.rejects(
    readBodyText(new Request("http://x/ai/skills", { method: "POST", body: stream }), 64 * 1024),
    (error: { status?: number }) => error.status === 413,
  );
  assert.ok(sent < 10, "reading stopped before the whole stream was pulled");
});

Deno.test("invalid UTF-8 is 400", async () => {
  await assert.rejects(
    readBodyText(new Request("http://x", { method: "POST", body: new Uint8Array([0x7b, 0xff, 0xfe]) }), 1024),
    (error: { status?: number }) => error.status === 400,
  );
});
