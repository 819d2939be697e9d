// PortOne's typed refusals, read the same way by its two adapters (identity verification and payments).
import { DomainError } from '../domain/errors.js';
import type { PortOneSdk } from './sdk.js';

/** The error type PortOne answered with (PAYMENT_NOT_FOUND, UNAUTHORIZED, ...), if it answered one. */
export function portOneErrorType(sdk: PortOneSdk, err: unknown): string | undefined {
  if (!(err instanceof sdk.PortOneError)) return undefined;
  return (err as { data?: { type?: string } }).data?.type;
}

/**
 * PortOne refused the service's own credentials (a wrong or revoked API secret, or one without this store): the
 * operator's configuration to fix, never a resident's "not found" nor a "try again later".
 */
export function refusedCredentials(sdk: PortOneSdk, err: unknown, what: string): DomainError | undefined {
  const type = portOneErrorType(sdk, err);
  if (type !== 'UNAUTHORIZED' && type !== 'FORBIDDEN') return undefined;
  return new DomainError(
    'provider_misconfigured',
    `PortOne refused this service's API secret (${type}) for ${what}`,
  );
}
