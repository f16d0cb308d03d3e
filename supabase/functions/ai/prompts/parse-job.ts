// Job posting extraction from a web page. The page is the least trusted input we
// have: it is fenced, the model is told it holds no instructions, and the answer is
// limited to the extraction fields (what is saved is decided by code, not the model).
import { fenced, newFence, untrustedRule } from "./untrusted.ts";

export function buildParseJobPrompt(pageText: string, url: string | undefined, fence = newFence()) {
  const system = [
    "You extract the details of one job posting from the text of a web page.",
    "Rules:",
    "- Copy facts from the page; never invent a salary, location, benefit, requirement or skill.",
    "- Use null for a field the page does not state, and [] for a list it does not have.",
    "- job_title and company are required; if the page is not a job posting, still give your best reading of both.",
    "- description: the posting's description in plain text, without navigation or cookie notices.",
    '- salary: as written on the page (for example "$120,000 - $150,000").',
    "- job_type: e.g. Full-time, Part-time, Contract, Internship. experience_level: e.g. Entry, Mid, Senior.",
    "- remote_work: Remote, Hybrid or On-site, as stated.",
    "- requirements, benefits: short items; skills: at most 40 skill names.",
    untrustedRule(fence),
    "Answer with a JSON object with exactly these keys: job_title, company, location, salary, description, " +
    "job_type, experience_level, remote_work, benefits, requirements, skills.",
  ].join("\n");
  const user = [
    url ? `Page address (as reported by the browser, also untrusted): ${url}` : undefined,
    `Page text:\n${fenced(fence, "page", pageText)}`,
  ].filter(Boolean).join("\n\n");
  return { system, user };
}
