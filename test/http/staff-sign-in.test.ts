// Staff password sign-in under attack: attempts are limited per account and per address (429 + Retry-After),
// an unknown email costs the same scrypt work as a known one, and a burst of wrong sign-ins does not stall
// the service (hashing is bounded).
import test from 'ava';
import { addStaff } from '../../src/commands/staffAccounts.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

const PASSWORD = 'correct horse battery staple';
let app: TestApp;

async function newStaff(a: TestApp, email: string) {
  await addStaff(
    { db: a.db, clock: a.clock },
    { kind: 'system', name: 'test' },
    { email, role: 'admin', password: PASSWORD },
  );
}

const signIn = (a: TestApp, email: string, password: string) =>
  a.request('POST', '/api/staff/session', { json: { email, password } });

test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

test.serial(
  '40 wrong passwords lock the account: the right one then gets 429 with Retry-After',
  async (t) => {
    await newStaff(app, 'target@city.example');
    const codes: number[] = [];
    for (let i = 0; i < 40; i++) codes.push((await signIn(app, 'target@city.example', `wrong ${i}`)).status);
    t.is(codes.filter((c) => c === 401).length, 10, 'ten wrong answers, then refused');
    t.true(codes.slice(10).every((c) => c === 429));
    const right = await signIn(app, 'TARGET@city.example', PASSWORD);
    t.is(right.status, 429);
    t.is(right.json.error.code, 'rate_limited');
    const retry = Number(right.headers.get('retry-after'));
    t.true(retry > 0 && retry <= 900, `Retry-After ${retry}`);
    // the HTML form answers the same way
    const form = await app.request('POST', '/staff/login', {
      form: { email: 'target@city.example', password: PASSWORD },
      headers: { accept: 'text/html' },
    });
    t.is(form.status, 429);
    t.truthy(form.headers.get('retry-after'));
  },
);

test.serial('one address trying many accounts is limited too; a good sign-in does not count', async (t) => {
  const a = await startTestApp({
    signInLimits: { perAccount: { points: 10, seconds: 900 }, perAddress: { points: 5, seconds: 900 } },
  });
  try {
    await newStaff(a, 'fine@city.example');
    for (let i = 0; i < 8; i++) t.is((await signIn(a, 'fine@city.example', PASSWORD)).status, 200);
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await signIn(a, `nobody${i}@city.example`, 'guess')).status);
    t.deepEqual(codes, [401, 401, 401, 401, 401, 429, 429]);
  } finally {
    await a.close();
  }
});

const roomy = { points: 10_000, seconds: 900 };

test.serial('an unknown email takes as long as a known one with a wrong password', async (t) => {
  const a = await startTestApp({ signInLimits: { perAccount: roomy, perAddress: roomy } });
  t.teardown(() => a.close());
  await newStaff(a, 'timing@city.example');
  await signIn(a, 'nobody@city.example', 'warm up');
  const time = async (email: string) => {
    const started = performance.now();
    const res = await signIn(a, email, 'wrong password');
    t.is(res.status, 401);
    return performance.now() - started;
  };
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
  const known: number[] = [];
  const unknown: number[] = [];
  for (let i = 0; i < 5; i++) {
    known.push(await time('timing@city.example'));
    unknown.push(await time(`ghost${i}@city.example`));
  }
  const k = median(known);
  const u = median(unknown);
  t.log(`median known ${k.toFixed(1)} ms, unknown ${u.toFixed(1)} ms`);
  t.true(u > k * 0.5 && u < k * 2, `known ${k} ms vs unknown ${u} ms`);
});

test.serial('120 parallel wrong sign-ins do not stall a GET', async (t) => {
  const a = await startTestApp({ signInLimits: { perAccount: roomy, perAddress: roomy } });
  try {
    await newStaff(a, 'burst@city.example');
    await signIn(a, 'burst@city.example', 'warm up the dummy hash');
    const burst = Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        signIn(a, i % 2 ? 'burst@city.example' : `x${i}@city.example`, 'no'),
      ),
    );
    await new Promise((r) => setTimeout(r, 50));
    const gets: number[] = [];
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      // a file read uses libuv's thread pool, which unbounded scrypt calls fill
      t.is((await a.request('GET', '/static/site.css')).status, 200);
      gets.push(performance.now() - started);
      await new Promise((r) => setTimeout(r, 20));
    }
    const replies = await burst;
    const statuses = replies.map((r) => r.status);
    t.true(replies.filter((r) => r.status === 503).every((r) => r.headers.get('retry-after') === '5'));
    const worst = Math.max(...gets);
    t.log(
      `GET /static/site.css during the burst: max ${worst.toFixed(1)} ms; answers ${JSON.stringify(count(statuses))}`,
    );
    t.true(worst < 2000, `a GET took ${worst} ms`);
    t.true(statuses.every((s) => s === 401 || s === 503));
  } finally {
    await a.close();
  }
});

function count(xs: number[]) {
  const out: Record<number, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
