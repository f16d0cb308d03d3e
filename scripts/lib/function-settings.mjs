// The settings our edge functions read, with their defaults and meaning: the single
// list behind supabase/functions/.env.example, the README table, and the test stack's
// isolation (npm test starts its gateway with exactly its own values for these).

export const functionSettings = [
  { name: 'OPENAI_API_KEY', default: '', meaning: 'key for the model API; without it every AI action answers 503 saying to set it' },
  { name: 'OPENAI_BASE_URL', default: '', meaning: "any OpenAI-compatible server (Azure, OpenRouter, vLLM, Ollama's http://127.0.0.1:11434/v1); unset means OpenAI" },
  { name: 'AI_MODEL', default: 'gpt-4o-mini', meaning: 'model name sent with each request and logged in ai_events' },
  { name: 'AI_PROVIDER', default: 'openai', meaning: 'provider name logged in ai_events' },
  { name: 'AI_TIMEOUT_MS', default: '30000', meaning: 'per model call, in milliseconds; past it the action answers 504' },
  { name: 'AI_RATE_LIMIT_PER_MINUTE', default: '30', meaning: 'model calls per user in any 60 s, admitted atomically in the database before any work (a repair turn is a second call); 0 turns the limit off' },
  { name: 'AI_DAILY_TOKEN_BUDGET', default: '1000000', meaning: 'input + output tokens per user per UTC day; each call reserves an estimate first and settles with its real usage; 0 turns the budget off' },
  { name: 'AI_CONTEXT_TOKENS', default: '128000', meaning: 'the model\'s context window in tokens; a prompt that cannot fit it with its answer is refused with 413 before the model is called' },
  { name: 'PLATFORM_API_URL', default: '', meaning: 'where the account function finds the Storage and Auth APIs; unset means SUPABASE_URL (only the tests change it, to their recording double)' },
];

// Given by Supabase to every function (and by the local gateway); never set in .env.
export const platformSettings = [
  { name: 'SUPABASE_URL', meaning: "the project's API URL" },
  { name: 'SUPABASE_ANON_KEY', meaning: 'the anon key' },
  { name: 'SUPABASE_SERVICE_ROLE_KEY', meaning: 'the service_role key' },
  { name: 'SUPABASE_DB_URL', meaning: 'the database; functions connect to it and act as the caller' },
  { name: 'SUPABASE_JWKS', meaning: 'newer projects: the JSON Web Key Set tokens are verified against' },
  { name: 'JWT_SECRET', meaning: 'HS256 secret; the local gateway sets it, on a hosted project with a legacy secret set it with `supabase secrets set`' },
];

// The developer's own model settings, for `npm start` (as `supabase functions serve
// --env-file` reads them). `npm test` never passes it.
export const functionsEnvFile = 'supabase/functions/.env';

// An environment without any of our settings (and without the env-file pointer), so a
// gateway started from it sees only what it is given explicitly.
export function withoutFunctionSettings(env) {
  const names = new Set([...functionSettings.map((s) => s.name), 'FUNCTIONS_ENV_FILE']);
  return Object.fromEntries(Object.entries(env).filter(([name]) => !names.has(name)));
}

// How npm test starts its gateway: pointed at the scripted model server and the
// recording Storage/Auth double, with no env file and nothing of the developer's
// settings inherited.
export function testGatewaySettings(modelServerPort, platformDoublePort = String(Number(modelServerPort) - 1)) {
  return {
    env: {
      OPENAI_API_KEY: 'test-key-for-the-scripted-model-server',
      OPENAI_BASE_URL: `http://127.0.0.1:${modelServerPort}/v1`,
      AI_TIMEOUT_MS: '2000',
      PLATFORM_API_URL: `http://127.0.0.1:${platformDoublePort}`,
    },
    options: { envFile: null, isolated: true },
  };
}
