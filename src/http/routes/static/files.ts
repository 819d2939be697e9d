// /static/*: the stylesheet and the small progressive-enhancement scripts, served from static/.
// A tiny handler instead of a package: a fixed set of types, no directory listing, no path escapes.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type Router from '@koa/router';
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

// Plain names only (one level, no dot files): nothing outside static/ can be named.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function staticRoutes(router: Router, _deps: AppDeps): void {
  // Every page names its icon; a browser (or a feed reader) that asks the old way is sent to it, not a 404.
  router.get('/favicon.ico', (ctx) => {
    ctx.status = 301;
    ctx.redirect('/static/favicon.svg');
  });

  router.get('/static/:name', async (ctx) => {
    const name = String(ctx.params.name);
    const type = TYPES[path.extname(name)];
    if (!NAME.test(name) || name.includes('..') || !type) return; // falls through to the 404
    let data: Buffer;
    try {
      data = await fs.readFile(path.join(staticDir, name));
    } catch {
      return;
    }
    const etag = `"${createHash('sha256').update(data).digest('base64url').slice(0, 22)}"`;
    ctx.set('ETag', etag);
    // Revalidated cheaply on every visit, so a deploy never leaves an old script behind.
    ctx.set('Cache-Control', 'public, max-age=300, must-revalidate');
    if (ctx.get('if-none-match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.type = type;
    ctx.body = data;
  });
}
