// One simulated resident's HTTP client: the real API over loopback, with the added latency of their speed
// class (an older phone, a poor network), every request recorded for the report.
import http from 'node:http';

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
}

export class Recorder {
  readonly samples: Sample[] = [];
  readonly started = Date.now();
  now() {
    return Date.now() - this.started;
  }
}

// At most 256 connections, kept alive: a city's phones share nothing, but a loopback test must stay bounded.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the API's answers are read field by field
  json: any;
  location: string | null;
}

export function clientFor(base: string, token: string, speed: Speed, rec: Recorder) {
  const lag = SPEEDS[speed].latencyMs;
  return async function call(
    method: 'GET' | 'POST',
    path: string,
    what: string,
    o: { json?: unknown; form?: Record<string, string>; headers?: Record<string, string> } = {},
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
      const res = await send(base + path, method, headers, body);
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
    rec.samples.push({ at: rec.now(), ms: Date.now() - t0, status, what });
    if (lag) await sleep(lag / 2);
    return { status, json, location };
  };
}

export function speedOf(i: number, n: number): Speed {
  const x = i / n;
  return x < SPEEDS.fast.share ? 'fast' : x < SPEEDS.fast.share + SPEEDS.medium.share ? 'medium' : 'slow';
}

/** One request on the kept-alive sockets (node's http: fetch's undici cost a client several times its CPU). */
export function send(url: string, method: string, headers: Record<string, string>, body?: string) {
  return new Promise<{ status: number; text: string; location: string | null }>((resolve, reject) => {
    const req = http.request(url, { method, headers, agent, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          text: Buffer.concat(chunks).toString('utf8'),
          location: res.headers.location ?? null,
        }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

export function closeClients() {
  agent.destroy();
}
