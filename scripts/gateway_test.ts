import assert from "node:assert/strict";
import { missingPlatformApi, readFunctionConfig } from "./gateway.ts";

Deno.test("the gateway reads enabled and verify_jwt per [functions.NAME] block, defaulting to true", () => {
  const configs = readFunctionConfig(`
[api]
enabled = false

[functions.health]
verify_jwt = true # checked

[functions.share]
verify_jwt = false

[functions.old]
enabled = false
`);
  assert.deepEqual([...configs.keys()], ["health", "share", "old"]);
  assert.deepEqual(configs.get("health"), { enabled: true, verifyJwt: true });
  assert.deepEqual(configs.get("share"), { enabled: true, verifyJwt: false });
  assert.deepEqual(configs.get("old"), { enabled: false, verifyJwt: true });
});

// What the /rest/v1 proxy hands PostgREST, seen by a recording upstream on loopback.
async function withUpstream(test: (upstream: string, seen: Request[]) => Promise<void>) {
  const seen: Request[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : await req.arrayBuffer();
    seen.push(new Request(req.url, { method: req.method, headers: req.headers, body }));
    return new Response("[]", {
      status: 206,
      headers: { "Content-Range": "0-0/7", Location: "/jobs?id=eq.1", Connection: "close", "Content-Type": "application/json" },
    });
  });
  try {
    await test(`http://127.0.0.1:${server.addr.port}`, seen);
  } finally {
    await server.shutdown();
  }
}

Deno.test("the REST proxy strips /rest/v1, hides the apikey, uses it as the bearer when none is sent, and passes headers both ways", async () => {
  const { proxyRest } = await import("./rest_proxy.ts");
  await withUpstream(async (upstream, seen) => {
    const options = { upstream, apiKeys: ["anon-key", "service-key"] };
    const response = await proxyRest(
      new Request("http://127.0.0.1:54321/rest/v1/jobs?select=id&status=eq.applied", {
        headers: { apikey: "anon-key", Prefer: "count=exact", Range: "0-0", "Accept-Profile": "public" },
      }),
      options,
    );
    assert.equal(response.status, 206);
    assert.equal(response.headers.get("content-range"), "0-0/7");
    assert.equal(response.headers.get("location"), "/jobs?id=eq.1");
    assert.equal(response.headers.get("access-control-allow-origin"), "*");
    assert.equal(response.headers.get("connection"), null);
    assert.equal(await response.text(), "[]");
    const [forwarded] = seen;
    assert.equal(new URL(forwarded.url).pathname + new URL(forwarded.url).search, "/jobs?select=id&status=eq.applied");
    assert.equal(forwarded.headers.get("apikey"), null);
    assert.equal(forwarded.headers.get("authorization"), "Bearer anon-key");
    assert.equal(forwarded.headers.get("prefer"), "count=exact");
    assert.equal(forwarded.headers.get("range"), "0-0");
    assert.equal(forwarded.headers.get("accept-profile"), "public");

    await proxyRest(
      new Request("http://127.0.0.1:54321/rest/v1/rpc/f", {
        method: "POST",
        headers: { apikey: "anon-key", Authorization: "Bearer user-token", "Content-Type": "application/json" },
        body: '{"a":1}',
      }),
      options,
    );
    assert.equal(seen[1].headers.get("authorization"), "Bearer user-token");
    assert.equal(await seen[1].text(), '{"a":1}');
  });
});

Deno.test("the REST proxy answers 401 without a known apikey and never calls PostgREST", async () => {
  const { proxyRest } = await import("./rest_proxy.ts");
  await withUpstream(async (upstream, seen) => {
    const options = { upstream, apiKeys: ["anon-key"] };
    const missing = await proxyRest(new Request("http://x/rest/v1/jobs"), options);
    assert.equal(missing.status, 401);
    assert.deepEqual(await missing.json(), { message: "No API key found in request", hint: "No `apikey` request header or url param was found." });
    const wrong = await proxyRest(new Request("http://x/rest/v1/jobs", { headers: { apikey: "forged" } }), options);
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
    const preflight = await proxyRest(
      new Request("http://x/rest/v1/jobs", { method: "OPTIONS", headers: { "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "apikey" } }),
      options,
    );
    assert.equal(preflight.status, 200);
    assert.equal(preflight.headers.get("access-control-allow-headers"), "apikey");
    assert.equal(seen.length, 0);
  });
});

Deno.test("the Storage and Auth APIs, which this stack lacks, answer 501 platform_api_missing naming the API", async () => {
  for (const [path, name] of [["/storage/v1/bucket", "Storage"], ["/auth/v1/admin/users/x", "Auth"], ["/auth/v1", "Auth"]]) {
    const response = missingPlatformApi(path)!;
    assert.equal(response.status, 501, path);
    const body = await response.json();
    assert.equal(body.code, "platform_api_missing");
    assert.match(body.message, new RegExp(`no Supabase ${name} API`));
  }
  assert.equal(missingPlatformApi("/functions/v1/health"), undefined);
  assert.equal(missingPlatformApi("/storagex/v1/bucket"), undefined);
});

Deno.test("REST pacing: a caller has at most its share in flight, the rest wait their turn (bounded), other callers pass", async () => {
  const { RestPacing } = await import("./rest_pacing.ts");
  const pacing = new RestPacing();
  const caller = { key: "user:a", share: 3 };
  let inFlight = 0;
  let peak = 0;
  const work = async () => {
    peak = Math.max(peak, ++inFlight);
    await new Promise((resolve) => setTimeout(resolve, 20));
    inFlight--;
    return new Response("ok");
  };
  const answers = await Promise.all(Array.from({ length: 12 }, () => pacing.run(caller, work)));
  assert.deepEqual(answers.map((r) => r.status), Array(12).fill(200));
  assert.equal(peak, 3);
  assert.deepEqual(pacing.load("user:a"), { inFlight: 0, waiting: 0 });

  // A request that waits longer than it may is 429 with Retry-After; another caller is not held up.
  const releases: Array<() => void> = [];
  const held = Array.from({ length: 3 }, () => pacing.run(caller, () => new Promise<Response>((resolve) => releases.push(() => resolve(new Response("ok"))))));
  const late = await pacing.run(caller, work, 50);
  assert.equal(late.status, 429);
  assert.equal(late.headers.get("retry-after"), "1");
  assert.equal((await late.json()).code, "PT429");
  assert.equal((await pacing.run({ key: "user:b", share: 3 }, work)).status, 200);
  assert.deepEqual(pacing.load("user:a"), { inFlight: 3, waiting: 0 });
  for (const release of releases) release();
  assert.deepEqual((await Promise.all(held)).map((r) => r.status), [200, 200, 200]);
  assert.deepEqual(pacing.load("user:a"), { inFlight: 0, waiting: 0 });
});
