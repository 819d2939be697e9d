// The Twilio stand-in in its own process, so the benchmark's worker does not share a core with it (a real
// provider is another machine). Prints {"url","stats"} on stdout; GET <stats> returns what it accepted.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTwilioStandIn } from '../../test/helpers/twilioStandIn.js';

const standIn = await startTwilioStandIn();
const stats = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  if (req.url?.includes('cpu')) {
    const c = process.cpuUsage();
    res.end(JSON.stringify({ cpu: (c.user + c.system) / 1e6 }));
    return;
  }
  res.end(
    JSON.stringify({
      requests: standIn.requests,
      accepted: standIn.accepted.map((a) => [a.to, a.dateCreated.getTime()]),
    }),
  );
});
await new Promise<void>((r) => stats.listen(0, '127.0.0.1', r));
process.stdout.write(
  `${JSON.stringify({ url: standIn.url, stats: `http://127.0.0.1:${(stats.address() as AddressInfo).port}` })}\n`,
);
process.on('SIGTERM', () => process.exit(0));
