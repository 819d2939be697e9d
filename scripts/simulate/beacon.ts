// The public randomness the simulator records for its lottery, in the format the campaign's beacon source names
// (src/domain/beacon.ts): recordBeacon refuses a value that does not fit it, as it would an operator's typo.
import { createHash } from 'node:crypto';
import { beaconFormatOf } from '../../src/domain/beacon.js';

export function simulatedBeacon(source: string, saleCode: string): string {
  const digest = createHash('sha256').update(`simulated beacon ${saleCode}`).digest();
  switch (beaconFormatOf(source)) {
    case 'drand': // a round's randomness: 64 lower-case hex digits
      return digest.toString('hex');
    case 'numbers': // six lottery numbers, one space apart
      return [...digest.subarray(0, 6)].map((b) => (b % 45) + 1).join(' ');
    default:
      return `simulated beacon ${saleCode}`;
  }
}
