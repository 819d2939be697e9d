// The catalogue of stable error codes. The domain throws a code; http/errors.ts maps it to a status once.

/** The counter's own refusals: the counter page carries a message for each (http/routes/counter/pages.ts). */
export const COUNTER_ERROR_CODES = [
  'already_collected',
  'wrong_site',
  'not_won',
  'claim_expired',
  'award_refused',
  'pickup_not_started',
  'claim_code_unknown',
  'claim_token_invalid',
] as const;

export const ERROR_CODES = [
  // request shape
  'validation_failed',
  'invalid_json',
  'payload_too_large',
  'unsupported_media_type',
  'not_found',
  'method_not_allowed',
  // staff and sessions
  'unauthenticated',
  'forbidden',
  'invalid_credentials',
  'invalid_token',
  'csrf_failed',
  'rate_limited',
  // campaigns
  'campaign_not_editable',
  'invalid_transition',
  'campaign_not_open',
  'campaign_closed',
  'duplicate_code',
  'conflict',
  'busy',
  // identity-verified intake
  'duplicate_application',
  'not_eligible',
  'code_invalid',
  'code_expired',
  'code_exhausted',
  'invalid_signature',
  'not_a_proxy',
  'proxy_cap_reached',
  'oidc_unavailable',
  'verification_not_allowed',
  'identity_verification_failed',
  // the service's own set-up: a provider refused its credentials
  'provider_misconfigured',
  // the draw
  'beacon_too_early',
  'beacon_already_recorded',
  'award_already_collected',
  'award_not_collectable',
  // payments
  'award_not_payable',
  'order_already_open',
  'idempotency_key_reused',
  'payment_unavailable',
  ...COUNTER_ERROR_CODES,
  // the instant sale
  'admission_invalid',
  'admission_used',
  'already_purchased',
  'sold_out',
  /** an application to an instant sale: nobody applies, one joins its queue */
  'use_sale_queue',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** Field path (dotted) -> what is wrong with it, in plain words. */
export type FieldErrors = Record<string, string>;

/**
 * One fault of one field: a stable key of the validation catalogue (templates/i18n/<lang>/validation.json, without
 * its `validation.` area) and the values its words name. The edge puts it in the reader's language (pages) or in
 * English (the API's `fields`); a field may have several.
 */
export interface Problem {
  /** the dotted field path ("closes_at", "slots.2.capacity"); "_" for the request as a whole */
  field: string;
  key: string;
  params?: Record<string, string | number>;
}

export const problem = (field: string, key: string, params?: Problem['params']): Problem =>
  params ? { field, key, params } : { field, key };

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldErrors | undefined;
  readonly details: Record<string, unknown> | undefined;
  /** every fault found, as keys: the edge words them (and fills in `fields` for the API when not given) */
  readonly problems: Problem[] | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    extra: { fields?: FieldErrors; details?: Record<string, unknown>; problems?: Problem[] } = {},
  ) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.fields = extra.fields;
    this.details = extra.details;
    this.problems = extra.problems;
  }
}

export function validationFailed(faults: FieldErrors | Problem[]): DomainError {
  return new DomainError(
    'validation_failed',
    'Some fields are not valid',
    Array.isArray(faults) ? { problems: faults } : { fields: faults },
  );
}
