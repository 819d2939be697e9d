// The composition root: the web app over every context the commands need (src/contexts.ts), built once from
// the validated configuration. main.ts builds through it, and so does the tests' app (test/helpers/app.ts), so a
// test runs the wiring production runs; what a test replaces (a stepped clock, roomy limits) is an Overrides key.
import type Koa from 'koa';
import type { Config } from './config.js';
import { type Contexts, composeContexts, type Overrides } from './contexts.js';
import type { Db } from './db/knex.js';
import { createApp } from './http/app.js';
import type { AppDeps } from './http/deps.js';
import type { Logger } from './logger.js';

export type { Contexts, Overrides };

/** The web app and the contexts behind it (the reconciler's steps use the same ones). */
export function composeApp(
  config: Config,
  db: Db,
  o: Overrides & { logger: Logger },
): { app: Koa; deps: AppDeps; contexts: Contexts } {
  const contexts = composeContexts(config, db, o);
  const deps: AppDeps = { config, ...contexts };
  return { app: createApp(deps), deps, contexts };
}
