// One simulated resident's HTTP client: the real API over loopback, with the added latency of their speed
// class (an older phone, a poor network), every request recorded for the report.
import { Pool } from 'undici';

export const SPEEDS = {
  fast: { share: 0.5, latencyMs: 0 },
  medium: { share: 0.3, latencyMs: 250 },
  slow: { share: 0.2, latencyMs: 900 },
} as const;
export type Speed = keyof typeof SPEEDS;

export interface Sample {
  /** ms since the simulation started, when the answer came */
  at: number;
  ms: number;
  status: number;
  what: string;
  /** the resident who sent it (their index) */
  who: number;
}

export class Recorder {
  readonly samples: Sample[] = [];
  readonly started = Date.now();
  now() {
    return Date.now() - this.started;
  }
}

// Each resident's requests go on connections of their own, kept alive, as a phone's do: 64 pools of up to 128
// connections an origin (8,192 in all; 20,000 descriptors a process here), resident n always on pool n % 64, so an
// arrival's first request opens a connection, as a phone arriving does. Until 2026-12-04 the crowd shared 256 warm
// connections (and held pre-queue looks a pool of their own): that hid the connections an opening brings, which
// overflowed the service's accept queue once each phone had its own (26,559 SYNs dropped in one run, 559 requests
// failed; src/http/listen.ts). Several pools, not one of 8,192: undici's Pool looks for a free connection by walking
// its list from the start, past every busy one, on each request. undici's Pool, not node's http.request: in a
// loopback micro-benchmark (256 at once, a small JSON answer) it took 44 us of client CPU a request against 68 us,
// and the simulated crowd shares the service's two cores.
const POOLS = 64;
const CONNECTIONS = 8192;
const pools = new Map<string, Pool>();
/** The pool of the n-th resident's connections. */
const poolOf = (origin: string, n: number) => {
  const key = `${n % POOLS} ${origin}`;
  let pool = pools.get(key);
  if (!pool) {
    pool = new Pool(origin, {
      connections: CONNECTIONS / POOLS,
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    pools.set(key, pool);
  }
  return pool;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the API's answers are read field by field
  json: any;
  location: string | null;
  /** ms since start when the service's answer arrived, before the return half of the added latency */
  at: number;
}

/** The `n`-th resident's client: their token, their speed's added latency, their connections. */
export function clientFor(base: string, token: string, speed: Speed, rec: Recorder, n: number) {
  const lag = SPEEDS[speed].latencyMs;
  return async function call(
    method: 'GET' | 'POST',
    path: string,
    what: string,
    o: {
      json?: unknown;
      form?: Record<string, string>;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Reply> {
    // Half the added latency on the way there, half on the way back: a slow network, not a slow server.
    if (lag) await sleep(lag / 2);
    const t0 = Date.now();
    const headers: Record<string, string> = {
      'x-resident-token': token,
      accept: 'application/json',
      ...o.headers,
    };
    let body: string | undefined;
    if (o.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.json);
    } else if (o.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(o.form).toString();
    }
    let status = 0;
    let json: unknown;
    let location: string | null = null;
    try {
      const res = await send(base + path, method, headers, body, n);
      status = res.status;
      location = res.location;
      try {
        json = JSON.parse(res.text);
      } catch {
        json = undefined;
      }
    } catch {
      status = 0; // the connection failed: counted as an error, never as a 5xx
    }
    const at = rec.now();
    rec.samples.push({ at, ms: Date.now() - t0, status, what, who: n });
    if (lag) await sleep(lag / 2);
    return { status, json, location, at };
  };
}

export function speedOf(i: number, n: number): Speed {
  const x = i / n;
  return x < SPEEDS.fast.share ? 'fast' : x < SPEEDS.fast.share + SPEEDS.medium.share ? 'medium' : 'slow';
}

/**
 * One request on the kept-alive connections (undici's request: fetch cost a client several times its CPU) of the
 * `by`-th resident (the first's when not said).
 */
export async function send(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
  by = 0,
) {
  const u = new URL(url);
  const res = await poolOf(u.origin, by).request({
    path: u.pathname + u.search,
    method: method as 'GET',
    headers,
    body,
  });
  const location = res.headers.location;
  return {
    status: res.statusCode,
    text: await res.body.text(),
    location: typeof location === 'string' ? location : null,
  };
}

export async function closeClients() {
  await Promise.all([...pools.values()].map((p) => p.destroy()));
  pools.clear();
}
