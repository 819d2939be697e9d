// The instant-sale use cases' context, from the app's deps: the intake's randomness, the secrets, the payments.
import type { InstantContext } from '../commands/instant/context.js';
import type { AppDeps } from './deps.js';
import { intakeOf } from './intake.js';
import { paymentContextOf } from './routes/payments/resident.js';

const built = new WeakMap<AppDeps, InstantContext>();

export function instantOf(deps: AppDeps): InstantContext {
  let ctx = built.get(deps);
  if (!ctx) {
    ctx = {
      db: deps.db,
      clock: deps.clock,
      random: intakeOf(deps).ctx.random,
      secrets: deps.config.secrets,
      publicUrl: deps.config.publicUrl,
      payment: deps.payments ? paymentContextOf(deps) : undefined,
    };
    built.set(deps, ctx);
  }
  return ctx;
}
