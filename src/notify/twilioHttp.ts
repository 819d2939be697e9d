// The HTTP client the twilio client sends through: node's http/https with a keep-alive agent, in place of the
// library's default axios RequestClient. The twilio client still builds every request (URL, form fields,
// auth, headers) and reads every answer (its errors, its JSON); this only carries the bytes. Measured: the
// axios path was about a fifth of the worker's CPU per message.
import http from 'node:http';
import https from 'node:https';

/**
 * What twilio's BaseTwilio hands to an httpClient for the two calls we make (messages.create: a POST with a
 * form; messages.list: a GET with a query), the subset of its RequestClient.RequestOptions they use. Both come
 * with the account's sid and token (we give the client no other credential), no timeout of their own (ours
 * applies), and fields the generated code has already turned into strings or numbers, undefined ones left out.
 * A call that used more (arrays such as MediaUrl, JSON bodies, other auth) would need this client to learn it.
 */
export interface TwilioHttpRequest {
  method: string;
  uri: string;
  username: string;
  password: string;
  headers?: Record<string, string>;
  params?: Record<string, string | number>;
  data?: Record<string, string | number>;
}

export interface TwilioHttpResponse {
  statusCode: number;
  /** the raw text: twilio's Version parses JSON bodies itself */
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** Twilio's form and query encoding, for fields of strings and numbers. */
function encode(fields: Record<string, string | number>): string {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) out.append(k, String(v));
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
    // messages.list's query (To, PageSize); its URI has none of its own
    if (req.params) url.search = encode(req.params);
    const headers: Record<string, string> = {
      ...req.headers,
      Connection: 'keep-alive',
      Authorization: `Basic ${Buffer.from(`${req.username}:${req.password}`).toString('base64')}`,
    };
    let body: string | undefined;
    // messages.create's form (twilio sets its Content-Type); a GET has no data
    if (req.data) {
      body = encode(req.data);
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const isHttps = url.protocol === 'https:';
    const timeout = this.opts.timeoutMs;
    return new Promise<TwilioHttpResponse>((resolve, reject) => {
      const r = (isHttps ? https : http).request(
        url,
        { method: req.method.toUpperCase(), headers, agent: isHttps ? this.agents.https : this.agents.http },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              statusCode: res.statusCode!, // always set on a client's response
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
