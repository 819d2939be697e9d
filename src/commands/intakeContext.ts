// What the intake use cases receive besides the database and the clock: secrets, randomness, limits, rules.

import type { RandomSource } from '../crypto/random.js';
import type { Batched } from '../db/batch.js';
import type { Application, ApplicationKey } from '../db/repos/applications.js';
import type { AwardKey, CounterAward } from '../db/repos/counterAwards.js';
import type { FirstApplication, FirstOutcome } from '../db/repos/firstApplications.js';
import type { IdentitySecrets } from '../identity/crypto.js';
import type { RateLimits } from '../identity/rateLimits.js';
import type { CampaignRulesCache } from './campaignRules.js';
import type { CommandContext } from './context.js';

export interface IntakeContext extends CommandContext {
  secrets: IdentitySecrets;
  random: RandomSource;
  limits: RateLimits;
  rules: CampaignRulesCache;
  /** a person's first application with its receipt, sent together with others arriving at the same time */
  firstApplication: Batched<FirstApplication, FirstOutcome>;
  /** where residents reach us: links in receipts */
  publicUrl: string;
  /** one's own application, read together with others' reads at the same time; alone when absent */
  applications?: Batched<ApplicationKey, Application | undefined>;
  /** an award with its counter facts (a resident's result), read likewise */
  counterAwards?: Batched<AwardKey, CounterAward | undefined>;
}

/** A version-4 UUID from the passed-in random source (so tests can predict challenge ids). */
export function uuidFrom(random: RandomSource): string {
  const b = random.bytes(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
