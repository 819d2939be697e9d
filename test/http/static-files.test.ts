// Static files go compressed to a browser that takes it (brotli, else gzip), each coding with its own ETag and
// `Vary: Accept-Encoding`, 304 when the browser's copy is current, and as they are on disk to one that does not;
// each file is read, hashed and compressed once per content and answered from memory after that. Pages and the
// JSON API are not compressed (their bytes are made per request; compressing them would cost CPU on every one).
import fs from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import test from 'ava';
import { staticDir } from '../../src/http/routes/static/files.js';
import { startTestApp, type TestApp } from '../helpers/app.js';

let app: TestApp;
test.before(async () => {
  app = await startTestApp();
});
test.after.always(async () => {
  await app?.close();
});

/** A GET as a browser sends it, the body as it came over the wire (fetch would decode it). */
function get(
  urlPath: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${app.url}${urlPath}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      })
      .on('error', reject);
  });
}

const onDisk = (name: string) => fs.readFileSync(path.join(staticDir, name));
const varies = (h: IncomingHttpHeaders) => /\baccept-encoding\b/i.test(String(h.vary ?? ''));

test('a browser that takes gzip gets the file gzipped, and a 304 while its copy is current', async (t) => {
  const gz = await get('/static/counter.js', { 'accept-encoding': 'gzip, deflate' });
  t.is(gz.status, 200);
  t.is(gz.headers['content-encoding'], 'gzip');
  t.regex(gz.headers['content-type'] ?? '', /javascript/);
  t.true(varies(gz.headers), `Vary: ${gz.headers.vary}`);
  t.deepEqual(zlib.gunzipSync(gz.body), onDisk('counter.js'), 'decodes to the file');
  t.true(gz.body.length < onDisk('counter.js').length / 2, `${gz.body.length} bytes sent`);
  t.is(Number(gz.headers['content-length']), gz.body.length);

  const etag = gz.headers.etag!;
  const again = await get('/static/counter.js', {
    'accept-encoding': 'gzip, deflate',
    'if-none-match': etag,
  });
  t.is(again.status, 304);
  t.is(again.body.length, 0);
  t.is(again.headers.etag, etag);
  t.true(varies(again.headers), 'a 304 varies as its 200 does');
  t.regex(again.headers['cache-control'] ?? '', /public/);
});

test('brotli where the browser lists it, whatever its place in the list; each coding its own ETag', async (t) => {
  const br = await get('/static/site.css', { 'accept-encoding': 'gzip, deflate, br, zstd' });
  t.is(br.headers['content-encoding'], 'br');
  t.true(varies(br.headers));
  t.deepEqual(zlib.brotliDecompressSync(br.body), onDisk('site.css'));
  const gz = await get('/static/site.css', { 'accept-encoding': 'gzip' });
  const plain = await get('/static/site.css', { 'accept-encoding': 'identity' });
  t.is(new Set([br.headers.etag, gz.headers.etag, plain.headers.etag]).size, 3, 'three representations');
  // a copy of one coding does not answer for another
  const other = await get('/static/site.css', {
    'accept-encoding': 'br',
    'if-none-match': plain.headers.etag!,
  });
  t.is(other.status, 200);
  t.is(other.headers['content-encoding'], 'br');
  // a cache holding several sends them all
  const listed = await get('/static/site.css', {
    'accept-encoding': 'gzip',
    'if-none-match': `${plain.headers.etag}, ${gz.headers.etag}`,
  });
  t.is(listed.status, 304);
  // weights are heard: gzip asked above brotli gets gzip
  const weighed = await get('/static/site.css', { 'accept-encoding': 'br;q=0.5, gzip' });
  t.is(weighed.headers['content-encoding'], 'gzip');
});

test('a browser that does not take compression gets the file as it is, with its ETag and 304', async (t) => {
  const plainly: Record<string, string>[] = [
    {},
    { 'accept-encoding': 'identity' },
    { 'accept-encoding': 'gzip;q=0, br;q=0' },
    { 'accept-encoding': 'compress' },
  ];
  for (const headers of plainly) {
    const res = await get('/static/counter.js', headers);
    t.is(res.status, 200);
    t.is(res.headers['content-encoding'], undefined, JSON.stringify(headers));
    t.true(varies(res.headers));
    t.deepEqual(res.body, onDisk('counter.js'));
    const again = await get('/static/counter.js', { ...headers, 'if-none-match': res.headers.etag! });
    t.is(again.status, 304);
  }
  // a stale copy gets the file
  t.is((await get('/static/counter.js', { 'if-none-match': '"not-this-one"' })).status, 200);
});

test('the service worker script is served the same way, revalidated every time', async (t) => {
  const sw = await get('/counter-sw.js', { 'accept-encoding': 'gzip' });
  t.is(sw.status, 200);
  t.is(sw.headers['cache-control'], 'no-cache');
  t.is(sw.headers['content-encoding'], 'gzip');
  t.deepEqual(zlib.gunzipSync(sw.body), onDisk('counter-sw.js'));
  t.is(
    (await get('/counter-sw.js', { 'if-none-match': sw.headers.etag!, 'accept-encoding': 'gzip' })).status,
    304,
  );
});

test('unknown names are still 404, whatever the browser takes', async (t) => {
  for (const bad of ['/static/nope.js', '/static/..%2Fpackage.json', '/static/x.json', '/static/.hidden.css'])
    t.is((await get(bad, { 'accept-encoding': 'gzip, br' })).status, 404, bad);
});

test('pages and the JSON API are not compressed', async (t) => {
  const page = await get('/campaigns', { accept: 'text/html', 'accept-encoding': 'gzip, br' });
  t.is(page.status, 200);
  t.is(page.headers['content-encoding'], undefined);
  const api = await get('/api/campaigns', { accept: 'application/json', 'accept-encoding': 'gzip, br' });
  t.is(api.status, 200);
  t.is(api.headers['content-encoding'], undefined);
});

test('a file is read once per content: answered from memory, read again when it changes on disk', async (t) => {
  const name = `test-${process.pid}-${Date.now()}.txt`;
  const file = path.join(staticDir, name);
  try {
    const then = new Date('2026-01-01T00:00:00Z');
    fs.writeFileSync(file, 'first '.repeat(100));
    fs.utimesSync(file, then, then);
    const first = await get(`/static/${name}`, { 'accept-encoding': 'gzip' });
    t.is(zlib.gunzipSync(first.body).toString(), 'first '.repeat(100));
    // the same size and time on disk, other bytes: the copy in memory answers, not the disk
    fs.writeFileSync(file, 'other '.repeat(100));
    fs.utimesSync(file, then, then);
    const kept = await get(`/static/${name}`, { 'accept-encoding': 'gzip' });
    t.deepEqual(kept.body, first.body, 'served from memory');
    t.is(kept.headers.etag, first.headers.etag);
    // a rebuild (npm run build:counter while the server runs) is seen at the next request
    fs.writeFileSync(file, 'second '.repeat(100));
    const fresh = await get(`/static/${name}`, { 'accept-encoding': 'gzip' });
    t.is(zlib.gunzipSync(fresh.body).toString(), 'second '.repeat(100));
    t.not(fresh.headers.etag, first.headers.etag);
    t.is((await get(`/static/${name}`, { 'if-none-match': first.headers.etag! })).status, 200);
    fs.rmSync(file);
    t.is((await get(`/static/${name}`)).status, 404, 'and gone when the file is');
  } finally {
    fs.rmSync(file, { force: true });
  }
});
