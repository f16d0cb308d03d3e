// What the live browser extension sends, for tests/api/extension-*.test.ts.
// - linkedInJobPage(): a generated LinkedIn job page of realistic size and make-up (not
//   copied from LinkedIn): a full outerHTML is 1-3 MB, most of it scripts, styles, SVG
//   icons, hidden <code> elements of JSON and the list of other jobs; the posting itself
//   is a few kilobytes.
// - sidePanelJobData() and backgroundPayload(): the bodies the extension builds, field
//   for field and in its key order (its side panel builds the job data, its background
//   worker turns it into the LinkedIn or the other-site request), re-written from a
//   reading of barbarakkk/Jobstalker2's extension/.
export interface JobPage {
  html: string;
  canonicalUrl: string | null;
  title: string;
  company: string;
  location: string;
  // Text that is only in hidden data, never in the visible posting.
  hiddenMarker: string;
  // Text that is only in the posting's description.
  descriptionMarker: string;
}

// A fixed pseudo-random sequence, so every run builds the same page.
function sequence(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const words = ('platform team service customer data pipeline reliability growth design review ship measure ' +
  'mentor scale cloud secure product launch quality deliver support analytics remote hybrid office').split(' ');

export function linkedInJobPage(options: { jobId?: string; targetBytes?: number; canonical?: boolean; seed?: number } = {}): JobPage {
  const jobId = options.jobId ?? '4012345678';
  const target = options.targetBytes ?? 1_600_000;
  const random = sequence(options.seed ?? 7);
  const pick = () => words[Math.floor(random() * words.length)];
  const sentence = (n: number) => Array.from({ length: n }, pick).join(' ');
  const title = 'Senior Site Reliability Engineer';
  const company = 'Globex Logistics';
  const location = 'Berlin, Germany (Hybrid)';
  const hiddenMarker = 'HIDDEN-TRACKING-ONLY';
  const descriptionMarker = 'Own the on-call rotation for the parcel routing platform';
  const canonicalUrl = options.canonical === false ? null : `https://www.linkedin.com/jobs/view/${jobId}/`;
  const icon = (i: number) =>
    `<svg role="none" aria-hidden="true" xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" data-supported-dps="24x24" data-token-id="${i}"><path d="M${Array.from({ length: 40 }, () => (random() * 24).toFixed(2)).join(' ')}z"></path></svg>`;
  const jobCard = (i: number) =>
    `<li class="jobs-search-results__list-item occludable-update p0 relative scaffold-layout__list-item" id="ember${300 + i}" data-occludable-job-id="${4000000000 + i}">` +
    `<div class="job-card-container relative job-card-list"><div class="flex-grow-1 artdeco-entity-lockup__content">` +
    `<a class="disabled ember-view job-card-container__link" href="/jobs/view/${4000000000 + i}/?trk=list">${icon(i)}<strong>${sentence(3)} engineer</strong></a>` +
    `<div class="artdeco-entity-lockup__subtitle"><span>${sentence(2)} Inc.</span></div>` +
    `<ul class="job-card-container__metadata-wrapper"><li>${sentence(2)}, Germany</li></ul>` +
    `<ul class="job-card-list__footer-wrapper"><li>${icon(i + 1000)}<span>Promoted</span></li><li><span>Easy Apply</span></li></ul></div></div></li>`;
  const scripts = Array.from({ length: 30 }, (_, i) =>
    `<script type="text/javascript" nonce="n${i}">(function(){var c${i}=${JSON.stringify(Array.from({ length: 60 }, () => sentence(8)))};window.__lix${i}=c${i}.map(function(x){return x.length});})();</script>`).join('');
  const style = `<style>${Array.from({ length: 1500 }, (_, i) => `.ember${i}{margin:${i % 7}px;padding:${i % 5}px;color:#${(i * 2654435761 % 16777216).toString(16).padStart(6, '0')}}`).join('')}</style>`;
  const hiddenData = (i: number, size: number) => {
    const payload = JSON.stringify({
      data: { entityUrn: `urn:li:fs_normalized_jobPosting:${4000000000 + i}`, marker: hiddenMarker },
      included: Array.from({ length: Math.ceil(size / 200) }, (_, k) => ({ $type: 'com.linkedin.voyager.dash.jobs.JobPosting', title: `Decoy Staff Engineer ${k}`, text: sentence(12) })),
    });
    const escaped = payload.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    return `<code style="display: none" id="bpr-guid-${1000 + i}">${escaped}</code>`;
  };
  const description =
    `<div class="jobs-description__content jobs-description-content"><div class="jobs-box__html-content" id="job-details">` +
    `<h2 class="text-heading-large">About the job</h2><p>${company} moves two million parcels a day across Europe. ${descriptionMarker}, ` +
    `and make our services faster and safer to change.</p><p><strong>What you will do</strong></p><ul>` +
    Array.from({ length: 12 }, () => `<li>${sentence(14)}.</li>`).join('') +
    `</ul><p><strong>What you bring</strong></p><ul><li>6+ years running production systems on Kubernetes</li>` +
    `<li>Terraform, Go or Python, PostgreSQL</li><li>Calm incident leadership</li></ul>` +
    `<p><strong>Compensation</strong>: €85,000 - €105,000 a year, 30 days of holiday.</p>` +
    Array.from({ length: 6 }, () => `<p>${sentence(40)}.</p>`).join('') + `</div></div>`;
  const details =
    `<div class="jobs-search__job-details--wrapper"><div class="jobs-details__main-content jobs-details__main-content--single-pane full-width">` +
    `<div class="job-details-jobs-unified-top-card__container--two-pane"><div class="t-24 job-details-jobs-unified-top-card__job-title">` +
    `<h1 class="t-24 t-bold inline"><a href="/jobs/view/${jobId}/">${title}</a></h1></div>` +
    `<div class="job-details-jobs-unified-top-card__company-name"><a href="https://www.linkedin.com/company/globex/life">${company}</a></div>` +
    `<div class="job-details-jobs-unified-top-card__primary-description-container"><span class="tvm__text">${location}</span>` +
    `<span class="tvm__text"> · 3 days ago · </span><span class="tvm__text">Over 100 applicants</span></div>` +
    `<button class="jobs-apply-button artdeco-button">${icon(5000)}<span>Easy Apply</span></button></div>${description}</div></div>`;
  const nav = `<header id="global-nav" class="global-nav"><nav><ul>${Array.from({ length: 8 }, (_, i) => `<li><a href="/feed/">${icon(9000 + i)}<span>${['Home', 'My Network', 'Jobs', 'Messaging', 'Notifications', 'Me', 'For Business', 'Premium'][i]}</span></a></li>`).join('')}</ul></nav></header>`;
  const head =
    `<head><meta charset="UTF-8"><title>${title} | ${company} | LinkedIn</title>` +
    (canonicalUrl ? `<link rel="canonical" href="${canonicalUrl}">` : '') + style + scripts + `</head>`;
  let body = `<body class="render-mode-BIGPIPE nav-v2 ember-application">${nav}<div class="application-outlet"><main class="scaffold-layout__main">` +
    `<div class="scaffold-layout__list"><ul class="scaffold-layout__list-container">${Array.from({ length: 25 }, (_, i) => jobCard(i)).join('')}</ul></div>` +
    `<div class="scaffold-layout__detail">${details}</div></main></div>`;
  let html = `<html lang="en" class="theme theme--mercado">${head}${body}`;
  // Hidden data fills the page to its size, as LinkedIn's embedded JSON does.
  let i = 0;
  while (html.length < target - 2000) {
    const chunk = hiddenData(i++, Math.min(120_000, target - html.length));
    html += chunk;
  }
  html += `<footer class="global-footer"><ul>${Array.from({ length: 20 }, (_, k) => `<li><a href="/legal/${k}">${sentence(2)}</a></li>`).join('')}</ul></footer></body></html>`;
  return { html, canonicalUrl, title, company, location, hiddenMarker, descriptionMarker };
}

// The job data the side panel builds from a page and its form (stage select, star rating).
export function sidePanelJobData(page: JobPage | { html: string | null; canonicalUrl: string | null }, form: {
  jobLink?: string;
  stage?: string;
  rating?: number;
  fallback?: Record<string, string | null>;
}) {
  const pageData = {
    html_content: page.html,
    fallback_data: form.fallback ?? { job_title: 'Unknown Job Title', company: 'Unknown Company', location: null, salary: null, description: null },
    canonical_url: page.canonicalUrl,
  };
  const preferredUrl = pageData.canonical_url || form.jobLink;
  return {
    url: preferredUrl,
    canonical_url: pageData.canonical_url || null,
    stage: form.stage ?? 'Bookmarked',
    excitement: form.rating ?? 1,
    html_content: pageData.html_content,
    fallback_data: pageData.fallback_data,
  };
}

export type SidePanelJobData = ReturnType<typeof sidePanelJobData>;

// The request body the background worker sends for that job data: the LinkedIn body for a
// linkedin.com URL, the other-site body otherwise.
export function backgroundPayload(data: SidePanelJobData) {
  const isLinkedIn = (data.url || '').includes('linkedin.com');
  return isLinkedIn
    ? {
        url: data.url,
        canonical_url: data.canonical_url,
        stage: data.stage,
        excitement: data.excitement,
        html_content: data.html_content,
        fallback_data: data.fallback_data,
      }
    : {
        html: data.html_content || '',
        source_url: data.url || data.canonical_url || '',
        url: data.url || data.canonical_url || '',
        canonical_url: data.canonical_url,
        stage: data.stage || 'Bookmarked',
        excitement: data.excitement || 0,
        fallback_data: data.fallback_data,
      };
}
