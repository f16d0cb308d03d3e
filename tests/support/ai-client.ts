// Calling the `ai` function the way the app does (supabase-js functions.invoke), and
// starting the scripted model server with a check that the gateway really reaches it.
import { createClient } from '@supabase/supabase-js';
import { answer, type ModelServer, startModelServer } from './model-server';
import { anonKey, newUser, stack } from './stack';

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

export async function invokeAi(
  action: string,
  body: unknown,
  token: string | null,
  options: { headers?: Record<string, string>; method?: 'GET' | 'POST' } = {},
): Promise<Reply> {
  const client = createClient(stack.apiUrl, anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
  const headers: Record<string, string> = { ...options.headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  const { data, error, response } = await client.functions.invoke(`ai/${action}`, {
    body: body as any,
    headers,
    method: options.method ?? 'POST',
  });
  if (!error) return { status: response!.status, body: data, headers: response!.headers };
  const context = (error as any).context as Response | undefined;
  if (!(context instanceof Response)) throw error;
  const text = await context.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Left as text: the assertion on the body will say what came back.
  }
  return { status: context.status, body: parsed, headers: context.headers };
}

// Fails early, with the fix, when the gateway is not pointed at this model server.
export async function startModelServerForGateway(): Promise<ModelServer> {
  const model = await startModelServer();
  const probe = await newUser('ai-probe');
  model.script(answer({ skills: ['SQL'] }));
  const reply = await invokeAi('skills', { description: 'Wrote SQL reports every single week.', context: 'resume' }, probe.token);
  if (reply.status !== 200 || model.requests.length !== 1) {
    await model.stop();
    throw new Error(
      `The gateway at ${stack.apiUrl} did not reach the scripted model server on ${model.baseUrl} ` +
        `(status ${reply.status}: ${JSON.stringify(reply.body)}). Start it with OPENAI_BASE_URL=${model.baseUrl} OPENAI_API_KEY=test-key.`,
    );
  }
  model.reset();
  return model;
}
