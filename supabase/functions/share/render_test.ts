import assert from "node:assert/strict";
import { renderNotFoundPage } from "./render.ts";

Deno.test("the not-found page says the link is not available and leaks nothing", () => {
  const html = renderNotFoundPage();
  assert.match(html, /<h1>This share link is not available<\/h1>/);
  assert.match(html, /<meta name="robots" content="noindex">/);
});
