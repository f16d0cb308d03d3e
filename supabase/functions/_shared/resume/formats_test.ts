import assert from "node:assert/strict";
import { createResumeRenderer, RenderGate, resumeEtag, type ResumeSource } from "./formats.ts";
import { renderResumePdf } from "./pdf.ts";
import { polyglotDraft } from "./testdata/resumes.ts";
import { loadSeededTemplates } from "./testdata/seeded-templates.ts";

const templates = await loadSeededTemplates();

const source = (title: string): ResumeSource => ({
  title,
  templateSlug: "modern-professional",
  templateSchema: templates["modern-professional"],
  content: polyglotDraft,
  writtenAt: "2026-12-01T12:00:00.000Z",
});

// A task that finishes when told to, recording how many run at once.
function heldTasks() {
  let running = 0;
  let most = 0;
  const release: (() => void)[] = [];
  const task = async () => {
    running++;
    most = Math.max(most, running);
    await new Promise<void>((resolve) => release.push(resolve));
    running--;
  };
  return { task, release, most: () => most, running: () => running };
}

const ticks = () => new Promise((resolve) => setTimeout(resolve, 0));

Deno.test("render gate: at most `max` tasks at once, the rest in arrival order, a failure frees its slot", async () => {
  const gate = new RenderGate(2);
  const held = heldTasks();
  const order: number[] = [];
  const done = Array.from({ length: 5 }, (_, i) => gate.run(() => held.task().then(() => order.push(i))));
  await ticks();
  assert.equal(held.running(), 2);
  assert.equal(gate.queued, 3);
  while (held.release.length) {
    held.release.shift()!();
    await ticks();
  }
  await Promise.all(done);
  assert.equal(held.most(), 2);
  assert.deepEqual(order, [0, 1, 2, 3, 4]);
  assert.equal(gate.inFlight, 0);

  await assert.rejects(gate.run(() => Promise.reject(new Error("broken font"))), /broken font/);
  await assert.rejects(gate.run(() => Promise.reject(new Error("broken font"))), /broken font/);
  assert.equal(gate.inFlight, 0);
  assert.equal(await gate.run(() => Promise.resolve("next")), "next");
});

Deno.test("renderer: a burst of PDF requests draws at most two at once; one version waiting its turn is drawn once", async () => {
  const held = heldTasks();
  let draws = 0;
  const renderer = createResumeRenderer({
    draw: async (...args) => {
      draws++;
      await held.task();
      return await renderResumePdf(...args);
    },
  });
  const request = { format: "pdf" as const, paper: "a4" as const };
  // Six different versions and, behind them, the first one again.
  const sources = Array.from({ length: 6 }, (_, i) => source(`Version ${i}`));
  const etags = await Promise.all(sources.map((s) => resumeEtag(s, request)));
  const answers = [
    ...sources.map((s, i) => renderer.render(s, request, etags[i])),
    renderer.render(sources[0], request, etags[0]),
  ];
  await ticks();
  assert.equal(held.running(), 2, "two drawn at once, the rest wait");
  while (draws < 6 || held.release.length) {
    held.release.shift()?.();
    await ticks();
  }
  const rendered = await Promise.all(answers);
  assert.equal(held.most(), 2);
  assert.equal(draws, 6, "the repeated version was served from the cache once its turn came");
  assert.equal(rendered[6].headers["X-Render-Cache"], "hit");
  assert.deepEqual(rendered[6].body, rendered[0].body);
  for (const answer of rendered) {
    assert.equal(new TextDecoder().decode((answer.body as Uint8Array).slice(0, 5)), "%PDF-");
  }
});
