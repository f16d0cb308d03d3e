import assert from "node:assert/strict";
import { htmlToText } from "./page-text.ts";

Deno.test("htmlToText: block ends become lines, list items bullets, inline tags spaces", () => {
  assert.equal(
    htmlToText("<h1>SRE &amp; Ops</h1><p>Globex is <b>hiring</b>.</p><ul><li>Terraform</li><li>Go</li></ul>a<br/>b"),
    "SRE & Ops\nGlobex is hiring .\n\n- Terraform\n\n- Go\n\na\nb",
  );
});

Deno.test("htmlToText: comments, scripts, styles and doctype are dropped, in any letter case", () => {
  assert.equal(
    htmlToText(
      "<!DOCTYPE html><SCRIPT type=x>steal()</Script><style>.x{}</STYLE><!-- hidden -->Text<svg><text>no</text></svg>",
    ),
    "Text",
  );
});

Deno.test("htmlToText: a '<' that opens no tag is text", () => {
  assert.equal(htmlToText("Salary < 100k & more <3"), "Salary < 100k & more <3");
});

Deno.test("htmlToText: what is unclosed at the end runs to the end, as in a browser", () => {
  assert.equal(htmlToText("Before<!-- never closed <p>after</p>"), "Before");
  assert.equal(htmlToText("Before<script>never closed <p>after</p>"), "Before");
  assert.equal(htmlToText("Before<p class='x'"), "Before");
});

// The inputs that made the regular-expression version quadratic (15 s for 508 KB of
// "<!--"): each is answered, and answered the same way a browser would read it.
Deno.test("htmlToText: pathological pages of half a megabyte give the expected text", () => {
  const size = 512 * 1024;
  assert.equal(htmlToText("Job<!--".padEnd(size, "<!--")), "Job");
  assert.equal(htmlToText("Job<script>".padEnd(size, "<script>")), "Job");
  assert.equal(htmlToText("Job ".padEnd(size, "<")), "Job " + "<".repeat(size - 4));
  assert.equal(htmlToText("Job<li".padEnd(size, "<li")), "Job");
  assert.equal(htmlToText("Job".padEnd(size, "&amp")).slice(0, 7), "Job&amp");
  assert.equal(htmlToText("Job<x>".padEnd(size, "<x>")), "Job");
});

Deno.test("htmlToText: a hidden <code> (LinkedIn's embedded JSON) is data, a visible one is text", () => {
  assert.equal(
    htmlToText(
      '<p>Role</p><code style="display: none" id="bpr-guid-1">{&quot;data&quot;:1}</code>' +
        '<CODE hidden>{"x":2}</CODE><p>Use <code>kubectl</code> daily</p>',
    ),
    "Role\nUse kubectl daily",
  );
});
