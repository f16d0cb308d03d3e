// The gateway's side of fair use (docs/fair-use.md). The database's pre-request check
// (private.check_fair_use) is the bound that holds on hosted Supabase: a caller beyond its
// share of PostgREST's 10 connections is refused with 429 before its query runs. But a
// refusal still costs a pooled connection, a round trip and PostgREST's work, so a client
// that ignores Retry-After and keeps 100 requests open turns refusals into a flood that
// slows everyone's turn at the pool. The local gateway therefore lets each caller have at
// most its database share of /rest/v1 requests in flight and holds the rest here, where a
// waiting request costs a promise: at most 256 waiting per caller, each for at most 10 s,
// then 429 with Retry-After: 1, as the database answers.
//   caller: a signed-in user (the verified token's sub), else the connecting address;
//   service_role is not paced (as the database does not limit it).
import { jwtVerify } from "jose";
import { fairUseShares } from "../supabase/functions/_shared/fair-use-shares.ts";

/** The database's shares (private.fair_use_shares(), exported by npm run gen:types). */
export const restShares = { user: fairUseShares.signedInUser, anonymousClient: fairUseShares.anonymousClient } as const;
export const maxWaiting = 256;
export const maxWaitMs = 10_000;

export interface RestCaller {
  key: string;
  share: number;
}

/** Who a /rest/v1 request counts against, or null when it is not paced (service_role). */
export async function restCallerOf(req: Request, secret: Uint8Array, address: string): Promise<RestCaller | null> {
  // As the proxy does: without an Authorization bearer, the apikey is the bearer.
  const token = /^Bearer\s+(\S+)$/i.exec(req.headers.get("Authorization") ?? "")?.[1] ?? req.headers.get("apikey");
  if (token) {
    try {
      const { payload } = await jwtVerify(token, secret, { algorithms: ["HS256"] });
      if (payload.role === "service_role") return null;
      if (payload.role === "authenticated" && typeof payload.sub === "string") return { key: `user:${payload.sub}`, share: restShares.user };
    } catch { /* an unverified token is refused by PostgREST; count it by address */ }
  }
  return { key: `anon:${address}`, share: restShares.anonymousClient };
}

export function tooManyRequests(share: number): Response {
  return new Response(
    JSON.stringify({
      code: "PT429",
      message: "Too many requests at once: retry in a second.",
      details: `Fair use: at most ${share} requests at once per caller, and ${maxWaiting} waiting.`,
      hint: "Wait for the Retry-After seconds, then send the request again.",
    }),
    { status: 429, headers: { "Content-Type": "application/json; charset=utf-8", "Retry-After": "1", "Access-Control-Allow-Origin": "*" } },
  );
}

interface Lane {
  inFlight: number;
  waiting: Array<() => void>;
}

export class RestPacing {
  #lanes = new Map<string, Lane>();

  /** Requests of this caller in flight and waiting (for tests). */
  load(key: string): { inFlight: number; waiting: number } {
    const lane = this.#lanes.get(key);
    return { inFlight: lane?.inFlight ?? 0, waiting: lane?.waiting.length ?? 0 };
  }

  async run(caller: RestCaller | null, work: () => Promise<Response>, waitMs = maxWaitMs): Promise<Response> {
    if (!caller) return await work();
    let lane = this.#lanes.get(caller.key);
    if (!lane) this.#lanes.set(caller.key, lane = { inFlight: 0, waiting: [] });
    if (lane.inFlight >= caller.share) {
      if (lane.waiting.length >= maxWaiting) return tooManyRequests(caller.share);
      const admitted = await new Promise<boolean>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          lane!.waiting.splice(lane!.waiting.indexOf(wake), 1);
          resolve(false);
        }, waitMs);
        lane!.waiting.push(wake);
      });
      if (!admitted) return tooManyRequests(caller.share);
      // A woken request takes over the place of the one that finished (inFlight unchanged).
    } else {
      lane.inFlight++;
    }
    try {
      return await work();
    } finally {
      const next = lane.waiting.shift();
      if (next) next();
      else if (--lane.inFlight === 0) this.#lanes.delete(caller.key);
    }
  }
}
