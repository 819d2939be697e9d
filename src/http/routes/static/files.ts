// /static/*: the stylesheet and the small progressive-enhancement scripts, served from static/.
// A tiny handler instead of a package: a fixed set of types, no directory listing, no path escapes.
//
// Each file is read, hashed (its ETag) and compressed (brotli and gzip) once per content and kept in memory: the
// files are few and small, and a phone on mobile data gets the counter's script in a third of its bytes. A request
// costs one stat, to notice a file rebuilt while the process runs (npm run build:counter). koa-compress would
// compress again on every request, and koa-static with precompressed files would read the disk each time and keep
// .gz and .br copies beside each file; this is the little a fixed set of small files needs.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type Router from '@koa/router';
import type { Context } from 'koa';
import { rootDir } from '../../../paths.js';
import type { AppDeps } from '../../deps.js';

export const staticDir = path.join(rootDir, 'static');

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};
/** Text compresses; the images are compressed already. */
const COMPRESSIBLE = new Set(['.css', '.js', '.svg', '.txt']);

// Plain names only (one level, no dot files): nothing outside static/ can be named.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

type Coding = 'br' | 'gzip' | 'identity';
/** The codings offered, most preferred first: brotli is the smaller, gzip the one every browser has. */
const CODINGS: Coding[] = ['br', 'gzip', 'identity'];

interface Representation {
  body: Buffer;
  /** strong, and distinct per coding: a cache keeps each representation apart */
  etag: string;
}

interface StaticFile {
  type: string;
  /** the file as it was when read: a change in either reads it again */
  mtimeMs: number;
  size: number;
  /** identity always; br and gzip for text, when smaller */
  codings: Partial<Record<Coding, Representation>> & { identity: Representation };
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

async function load(file: string, ext: string, mtimeMs: number, size: number): Promise<StaticFile> {
  const data = await fs.readFile(file);
  const hash = createHash('sha256').update(data).digest('base64url').slice(0, 22);
  const codings: StaticFile['codings'] = { identity: { body: data, etag: `"${hash}"` } };
  if (COMPRESSIBLE.has(ext)) {
    const [br, gz] = await Promise.all([
      brotli(data, {
        params: {
          [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
          [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
        },
      }),
      gzip(data, { level: zlib.constants.Z_BEST_COMPRESSION }),
    ]);
    if (br.length < data.length) codings.br = { body: br, etag: `"${hash}-br"` };
    if (gz.length < data.length) codings.gzip = { body: gz, etag: `"${hash}-gz"` };
  }
  return { type: TYPES[ext]!, mtimeMs, size, codings };
}

/** By name: the file as last read (concurrent first requests share one read). */
const cache = new Map<string, Promise<StaticFile>>();

/** The static file `name` from memory, read again if it changed on disk; undefined when there is none. */
async function staticFile(name: string): Promise<StaticFile | undefined> {
  const ext = path.extname(name);
  if (!NAME.test(name) || name.includes('..') || !TYPES[ext]) return undefined;
  const file = path.join(staticDir, name);
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat?.isFile()) {
    cache.delete(name);
    return undefined;
  }
  const cached = await cache.get(name)?.catch(() => undefined);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached;
  const loading = load(file, ext, stat.mtimeMs, stat.size);
  cache.set(name, loading);
  try {
    return await loading;
  } catch {
    cache.delete(name); // removed between the stat and the read
    return undefined;
  }
}

/**
 * The coding to send: the highest q the request gives among those this file has, brotli before gzip before none
 * at equal q (browsers list gzip first and weigh both alike). `*` stands for any coding not named; identity is
 * acceptable unless refused, and sent when nothing else is (RFC 9110, 12.5.3).
 */
function chooseCoding(acceptEncoding: string, has: (c: Coding) => boolean): Coding {
  const q = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const weight = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)).find(Boolean);
    q.set(name, weight ? Number(weight[1]) : 1);
  }
  const qOf = (c: Coding) => q.get(c) ?? q.get('*') ?? (c === 'identity' ? 1 : 0);
  let best: Coding = 'identity';
  let bestQ = 0;
  for (const c of CODINGS)
    if (has(c) && qOf(c) > bestQ) {
      best = c;
      bestQ = qOf(c);
    }
  return best;
}

/**
 * Whether If-None-Match names this ETag (one of a list, `*`, compared weakly as RFC 9110, 13.1.2 asks). koa's
 * ctx.fresh would answer 200 to a request that also says `Cache-Control: no-cache`, as fetch() adds to one with
 * If-None-Match; a matching ETag has always had its 304 here.
 */
const current = (ifNoneMatch: string, etag: string) =>
  ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);

/**
 * Answers with the static file `name` (compressed when the browser takes it, 304 when its copy is current), or
 * leaves the context alone (a 404 follows) when there is no such file.
 */
export async function sendStaticFile(ctx: Context, name: string, cacheControl: string): Promise<void> {
  const file = await staticFile(name);
  if (!file) return;
  const coding = chooseCoding(ctx.get('accept-encoding'), (c) => c in file.codings);
  const chosen = file.codings[coding]!;
  if (Object.keys(file.codings).length > 1) ctx.vary('Accept-Encoding');
  ctx.set('ETag', chosen.etag);
  ctx.set('Cache-Control', cacheControl);
  if (current(ctx.get('if-none-match'), chosen.etag)) {
    ctx.status = 304;
    return;
  }
  ctx.type = file.type;
  if (coding !== 'identity') ctx.set('Content-Encoding', coding);
  ctx.body = chosen.body;
}

export function staticRoutes(router: Router, _deps: AppDeps): void {
  // Every page names its icon; a browser (or a feed reader) that asks the old way is sent to it, not a 404.
  router.get('/favicon.ico', (ctx) => {
    ctx.status = 301;
    ctx.redirect('/static/favicon.svg');
  });

  // Revalidated cheaply on every visit, so a deploy never leaves an old script behind.
  router.get('/static/:name', (ctx) =>
    sendStaticFile(ctx, String(ctx.params.name), 'public, max-age=300, must-revalidate'),
  );
}
