// The share function's own pages: the one answer for every unavailable link (with the
// password form), the password answers, and the generic error pages. The resume page itself is _shared/resume/html.ts.
import { escapeHtml, htmlPage } from "../_shared/resume/html.ts";

const defaultNotice = `
body { margin: 0; background: #f3f4f6; color: #1f2937; font: 16px/1.5 system-ui, sans-serif; }
main { max-width: 640px; margin: 2rem auto; padding: 2rem; background: #fff; border-top: 6px solid #334155; }
h1 { margin: 0 0 .5rem; font-size: 1.5rem; color: #334155; }`;

const notice = (heading: string, message: string) =>
  htmlPage(heading, defaultNotice, `<main><h1>${escapeHtml(heading)}</h1><p>${escapeHtml(message)}</p></main>`);

const formStyle = `
form { margin-top: 1.5rem; display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; }
label { width: 100%; font-weight: 600; }
input { flex: 1 1 14rem; padding: .5rem .75rem; font: inherit; border: 1px solid #94a3b8; border-radius: 4px; }
button { padding: .5rem 1.25rem; font: inherit; color: #fff; background: #334155; border: 0; border-radius: 4px; cursor: pointer; }`;

// A notice with the password form. The form posts to the page's own URL (no action),
// so the page is the same for every token and form.
const withPasswordForm = (heading: string, message: string) =>
  htmlPage(
    heading,
    defaultNotice + formStyle,
    `<main><h1>${escapeHtml(heading)}</h1><p>${escapeHtml(message)}</p>
<form method="post">
<label for="share-password">If the owner protected this link with a password, enter it:</label>
<input id="share-password" name="password" type="password" autocomplete="current-password" required maxlength="200">
<button type="submit">Open</button>
</form></main>`,
  );

// One page for unknown, revoked, expired and malformed tokens, and for a password-protected
// link without access: a visitor (or someone guessing tokens) cannot tell which case applies.
export function renderNotFoundPage(): string {
  return withPasswordForm(
    "This share link is not available",
    "The link may be mistyped, or its owner may have revoked it or let it expire. Ask them for a new one.",
  );
}

// A wrong password, and any password for a link that is not available: the same page.
export function renderWrongPasswordPage(): string {
  return withPasswordForm(
    "This password does not open the link",
    "Check the password, or ask the owner for the link and its password again.",
  );
}

export function renderTooManyAttemptsPage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return notice(
    "Too many wrong passwords",
    `Please wait ${minutes} minute${minutes === 1 ? "" : "s"} before trying this link again.`,
  );
}

export function renderErrorPage(): string {
  return notice("Something went wrong", "We could not load this page. Please try again in a moment.");
}

export function renderMethodNotAllowedPage(): string {
  return notice("Method not allowed", "This page can only be read (GET or HEAD) or given its password (POST).");
}

// A request this page cannot answer as asked (an unknown format or paper size).
export function renderBadRequestPage(message: string): string {
  return notice("This page cannot be shown that way", message);
}
