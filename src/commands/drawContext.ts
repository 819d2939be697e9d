// What the draw's use cases receive besides the database and the clock: the data key, randomness, beacon settings.

import type { RandomSource } from '../crypto/random.js';
import type { IdentitySecrets } from '../identity/crypto.js';
import type { Logger } from '../logger.js';
import type { CommandContext } from './context.js';

export interface DrawMetrics {
  /** 1 while a campaign's draw is due and its beacon is missing */
  beaconMissing?: { set(labels: { campaign: string }, value: number): void };
}

export interface DrawContext extends CommandContext {
  /** dataKey (AES-256-GCM) seals operator secrets and claim keys, as identity/crypto.ts seals contacts */
  secrets: IdentitySecrets;
  random: RandomSource;
  /** where residents reach us: links in result notices */
  publicUrl: string;
  /** the beacon a campaign names when it has none of its own; `{closes_at}` is filled in */
  beaconSource: string;
  /** fetches the beacon value after the close (BEACON_URL); undefined = admins record it */
  fetchBeacon?: ((c: { id: string; closes_at: Date }) => Promise<string | undefined>) | undefined;
  logger?: Logger;
  metrics?: DrawMetrics;
}
