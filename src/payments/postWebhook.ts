// The development provider's webhook delivery: one POST on kept-alive connections. fetch opened and set up far
// more per call (an abort signal, a stream, a new connection when the last one idled out), and after an instant
// sale's sell-out it was a tenth of the service's time, in the process that also answers the buyers.
import http from 'node:http';
import https from 'node:https';

const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

/**
 * Resolves to the answer's status once its body has ended; rejects when the connection fails, the answer breaks
 * off, or it has not ended within `timeoutMs` of the call (time queued for a connection included).
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<number> {
  const u = new URL(url);
  const agent = agents[u.protocol as keyof typeof agents];
  if (!agent) return Promise.reject(new Error(`webhook address ${url} is not http(s)`));
  const send = u.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(
      u,
      {
        method: 'POST',
        agent,
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (res) => {
        res.resume(); // the answer's body is not read, only drained so the connection is reused
        res.on('end', () => done(() => resolve(res.statusCode ?? 0)));
        res.on('error', (err) => done(() => reject(err)));
        res.on('close', () => {
          if (!res.complete) done(() => reject(new Error(`webhook to ${url}: the answer broke off`)));
        });
      },
    );
    const deadline = setTimeout(
      () => req.destroy(new Error(`webhook to ${url}: no answer in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const done = (settle: () => void) => {
      clearTimeout(deadline);
      settle();
    };
    req.on('error', (err) => done(() => reject(err)));
    req.end(body);
  });
}
