// Who issues the vouchers: the city's wallet behind an interface. A retried issue with the same key must get
// the same vouchers back, which is what makes "issue exactly once" possible across a crash.
import { createHmac } from 'node:crypto';
import { crockfordBase32 } from '../domain/crockford.js';

export interface IssueRequest {
  /** the issue's idempotency key: the same key returns the same vouchers */
  key: string;
  campaignId: string;
  /** face value of each voucher, in order */
  units: number[];
  validUntil: Date;
}

export interface IssuedVoucher {
  number: string;
  face_value: number;
}

export interface VoucherIssuer {
  readonly name: string;
  issue(req: IssueRequest): Promise<IssuedVoucher[]>;
}

/** 16 Crockford base32 characters (80 bits) from a digest, as XXXX-XXXX-XXXX-XXXX. */
export function voucherNumber(digest: Buffer): string {
  return crockfordBase32(digest, 16).match(/.{4}/g)!.join('-');
}

/**
 * The development wallet: numbers are an HMAC of the issue key and the voucher's place under a secret, so they
 * cannot be guessed, and a retry with the same key gets the same numbers without any state of its own.
 */
export function devIssuer(secret: Uint8Array, opts: { latencyMs?: number } = {}): VoucherIssuer {
  return {
    name: 'dev-wallet',
    async issue(req) {
      if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
      return req.units.map((face_value, i) => ({
        number: voucherNumber(
          createHmac('sha256', secret)
            .update(`${req.key}:${i + 1}`)
            .digest(),
        ),
        face_value,
      }));
    },
  };
}
