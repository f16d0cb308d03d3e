// The share function's own pages: the one answer for every unavailable link, and the
// generic error pages. The resume page itself is _shared/resume/html.ts.
import { escapeHtml, htmlPage } from "../_shared/resume/html.ts";

const defaultNotice = `
body { margin: 0; background: #f3f4f6; color: #1f2937; font: 16px/1.5 system-ui, sans-serif; }
main { max-width: 640px; margin: 2rem auto; padding: 2rem; background: #fff; border-top: 6px solid #334155; }
h1 { margin: 0 0 .5rem; font-size: 1.5rem; color: #334155; }`;

const notice = (heading: string, message: string) =>
  htmlPage(heading, defaultNotice, `<main><h1>${escapeHtml(heading)}</h1><p>${escapeHtml(message)}</p></main>`);

// One page for unknown, revoked, expired and malformed tokens: a visitor (or someone
// guessing tokens) cannot tell which case applies.
export function renderNotFoundPage(): string {
  return notice(
    "This share link is not available",
    "The link may be mistyped, or its owner may have revoked it or let it expire. Ask them for a new one.",
  );
}

export function renderErrorPage(): string {
  return notice("Something went wrong", "We could not load this page. Please try again in a moment.");
}

export function renderMethodNotAllowedPage(): string {
  return notice("Method not allowed", "This page can only be read (GET or HEAD).");
}

// A request this page cannot answer as asked (an unknown format or paper size).
export function renderBadRequestPage(message: string): string {
  return notice("This page cannot be shown that way", message);
}
