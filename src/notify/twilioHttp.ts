// The HTTP client the twilio client sends through: node's http/https with a keep-alive agent, in place of the
// library's default axios RequestClient. The twilio client still builds every request (URL, form fields,
// auth, headers) and reads every answer (its errors, its JSON); this only carries the bytes. Measured: the
// axios path was about a fifth of the worker's CPU per message.
import http from 'node:http';
import https from 'node:https';

/** What twilio's BaseTwilio hands to an httpClient (a subset of its RequestClient.RequestOptions). */
export interface TwilioHttpRequest {
  method: string;
  uri: string;
  username?: string;
  password?: string;
  authStrategy?: { getAuthString(): Promise<string> };
  headers?: Record<string, string>;
  params?: Record<string, unknown>;
  data?: Record<string, unknown>;
  timeout?: number;
}

export interface TwilioHttpResponse {
  statusCode: number;
  /** the raw text: twilio's Version parses JSON bodies itself */
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** Twilio's form and query encoding: arrays repeat the key (qs arrayFormat 'repeat'), undefined is left out. */
function encode(fields: Record<string, unknown>): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v) out.append(k, String(x));
    else out.append(k, v instanceof Date ? v.toISOString() : String(v));
  }
  return out.toString();
}

export class KeepAliveTwilioHttpClient {
  private readonly agents: { http: http.Agent; https: https.Agent };
  private readonly target: URL | undefined;

  constructor(
    private readonly opts: {
      timeoutMs: number;
      /** sockets kept per host: about the number of sends in flight at once */
      maxSockets: number;
      /** the origin that replaces https://api.twilio.com (a stand-in), or none */
      baseUrl?: string | undefined;
    },
  ) {
    const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets, maxFreeSockets: opts.maxSockets };
    this.agents = { http: new http.Agent(agentOpts), https: new https.Agent(agentOpts) };
    this.target = opts.baseUrl ? new URL(opts.baseUrl) : undefined;
  }

  async request(req: TwilioHttpRequest): Promise<TwilioHttpResponse> {
    const url = new URL(req.uri);
    if (this.target) {
      url.protocol = this.target.protocol;
      url.host = this.target.host;
    }
    if (req.params) {
      const q = encode(req.params);
      if (q) url.search = url.search ? `${url.search}&${q}` : q;
    }
    const headers: Record<string, string> = { ...req.headers, Connection: 'keep-alive' };
    if (req.username && req.password)
      headers.Authorization = `Basic ${Buffer.from(`${req.username}:${req.password}`).toString('base64')}`;
    else if (req.authStrategy) headers.Authorization = await req.authStrategy.getAuthString();
    let body: string | undefined;
    if (req.data && req.method.toLowerCase() !== 'get') {
      body = headers['Content-Type'] === 'application/json' ? JSON.stringify(req.data) : encode(req.data);
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const isHttps = url.protocol === 'https:';
    const timeout = req.timeout ?? this.opts.timeoutMs;
    return new Promise<TwilioHttpResponse>((resolve, reject) => {
      const r = (isHttps ? https : http).request(
        url,
        { method: req.method.toUpperCase(), headers, agent: isHttps ? this.agents.https : this.agents.http },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              statusCode: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              headers: res.headers,
            }),
          );
          res.on('error', reject);
        },
      );
      // No answer in time: the request may have been acted on (ETIMEDOUT is classified as in doubt).
      r.setTimeout(timeout, () =>
        r.destroy(Object.assign(new Error(`timeout of ${timeout} ms exceeded`), { code: 'ETIMEDOUT' })),
      );
      r.on('error', reject);
      r.end(body);
    });
  }

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }
}
