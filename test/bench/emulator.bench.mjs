// Throughput of the emulator's Graph pipeline: GET /v1.0/me with a bearer token.
// Run after the build:  npm run build && node test/bench/emulator.bench.mjs [seconds] [clients]
// The emulator runs in a worker thread so the load generator does not share its event loop.
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { URLSearchParams } from 'node:url';
import { Agent, request } from 'undici';

const DURATION_MS = Number(process.argv[2] ?? 5) * 1000;
const CLIENTS = Number(process.argv[3] ?? 16);
const REDIRECT_URI = 'http://localhost:3999/bench/callback';

if (isMainThread) await runBench();
else await runEmulator();

async function runEmulator() {
  const { startM365Emulator } = await import('../../dist/sandbox/emulator.js');
  const emulator = await startM365Emulator({ seed: 'default' });
  parentPort.postMessage({ baseUrl: emulator.baseUrl, caCertPem: emulator.caCertPem });
  parentPort.once('message', async () => {
    await emulator.close();
    process.exit(0);
  });
}

async function runBench() {
  const worker = new Worker(new URL(import.meta.url));
  const { baseUrl, caCertPem } = await new Promise((resolve) => worker.once('message', resolve));
  const agent = new Agent({ connect: { ca: caCertPem }, connections: CLIENTS, pipelining: 1 });
  const token = await signIn(baseUrl, agent);
  const headers = { authorization: `Bearer ${token}` };
  let ok = 0;
  let failed = 0;
  const deadline = Date.now() + DURATION_MS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < deadline) {
        const res = await request(`${baseUrl}/v1.0/me`, { headers, dispatcher: agent });
        await res.body.dump();
        if (res.statusCode === 200) ok++;
        else failed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `GET /v1.0/me: ${ok} ok, ${failed} failed in ${seconds.toFixed(2)} s with ${CLIENTS} concurrent clients`,
  );
  console.log(`throughput: ${Math.round(ok / seconds)} requests/s`);
  await agent.close();
  worker.postMessage('stop');
}

/** Delegated sign-in over HTTP: authorize → pick Adele → Accept → redeem the code. */
async function signIn(baseUrl, agent) {
  const { SANDBOX_APP, ADELE } = await import('../../dist/sandbox/default-seed.js');
  const query = new URLSearchParams({
    client_id: SANDBOX_APP.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid User.Read',
    state: 'bench',
  });
  const page = await text(
    await request(`${baseUrl}/organizations/oauth2/v2.0/authorize?${query}`, { dispatcher: agent }),
  );
  const interaction = /name="interaction" value="([^"]+)"/.exec(page)[1];
  const consent = await post(baseUrl, agent, '/organizations/login', {
    interaction,
    user_id: ADELE.id,
  });
  await text(consent);
  const redirect = await post(baseUrl, agent, '/organizations/consent/set', {
    interaction,
    decision: 'accept',
  });
  await text(redirect);
  const code = new URL(redirect.headers.location).searchParams.get('code');
  const tokens = await post(baseUrl, agent, '/organizations/oauth2/v2.0/token', {
    grant_type: 'authorization_code',
    client_id: SANDBOX_APP.clientId,
    client_secret: SANDBOX_APP.clientSecret,
    code,
    redirect_uri: REDIRECT_URI,
  });
  return JSON.parse(await text(tokens)).access_token;
}

async function post(baseUrl, agent, path, form) {
  return request(`${baseUrl}${path}`, {
    method: 'POST',
    dispatcher: agent,
    body: new URLSearchParams(form).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

async function text(res) {
  return res.body.text();
}
