// The data API's fair use (docs/fair-use.md): a signed-in user has at most 3 requests in
// flight at PostgREST; one more is answered 429 with Retry-After. The live app's pages
// fire more than that at once (getProfile alone reads five lists in parallel after the
// profile row; a profile page adds the stats and the subscription), so the module keeps
// its own requests within the share and queues the rest here, in the client, where a
// waiting request costs nothing. A 429 that still arrives (another tab, the extension)
// is sent again after Retry-After, a bounded number of times.
import { fairUseShares } from '../../../supabase/functions/_shared/fair-use-shares.ts';

/** Requests in flight per client: the database's share for a signed-in user (private.fair_use_shares()). */
export const userShare = fairUseShares.signedInUser;
/** Times a request refused with 429 is sent again before the 429 is the answer. */
export const retriesAfter429 = 3;
/** Longest wait one Retry-After may ask for, in seconds. */
const longestWait = 5;

type Fetch = typeof fetch;

export interface FairUseOptions {
  /** Requests in flight at once (default: a signed-in user's share). */
  share?: number;
  /** Times a 429 is sent again (default retriesAfter429). */
  retries?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** fetch, at most `share` requests in flight (the rest queue), a 429 sent again after Retry-After. */
export function fairUseFetch(inner: Fetch, { share = userShare, retries = retriesAfter429 }: FairUseOptions = {}): Fetch {
  let inFlight = 0;
  const waiting: Array<() => void> = [];
  const acquire = async () => {
    if (inFlight < share) {
      inFlight++;
      return;
    }
    // The releasing request hands its place over (inFlight stays counted).
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else inFlight--;
  };
  return async (input, init) => {
    for (let attempt = 0; ; attempt++) {
      await acquire();
      let response: Response;
      try {
        response = await inner(input, init);
      } finally {
        release();
      }
      if (response.status !== 429 || attempt >= retries) return response;
      const seconds = Number(response.headers.get('retry-after'));
      if (!Number.isFinite(seconds) || seconds < 0 || seconds > longestWait) return response;
      await response.body?.cancel();
      // Jittered within the asked wait's last half, so a burst does not return at once.
      await sleep(seconds * 1000 * (0.5 + 0.5 * Math.random()));
    }
  };
}

const wrapped = Symbol.for('jobstalker.live-app.fair-use');

/**
 * Routes the client's PostgREST requests (from(), rpc(), schema()) through fairUseFetch.
 * supabase-js hands its PostgrestClient's fetch to every query builder it makes, so
 * replacing that one fetch covers every later call; done once per client.
 */
export function applyFairUse(client: unknown): void {
  const rest = (client as { rest?: { fetch?: Fetch; [wrapped]?: true } } | null)?.rest;
  if (!rest || typeof rest.fetch !== 'function' || rest[wrapped]) return;
  rest.fetch = fairUseFetch(rest.fetch.bind(rest) as Fetch);
  rest[wrapped] = true;
}
