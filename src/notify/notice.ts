// What a use case asks for when a resident must be told something; notify/ turns it into a durable message.

export const NOTICE_KINDS = [
  'otp',
  'receipt',
  'result_won',
  'result_waitlisted',
  'result_lost',
  'pickup_reminder',
  'award_expired',
  'promoted',
  'sms_reply',
  'vouchers_issued',
  'payment_refunded',
  'queue_turn',
  'sale_cancelled',
  'queue_cancelled',
  'application_cancelled',
] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Notices of money taken or given back: sent whatever became of the campaign since (a cancel withdraws the rest). */
export const MONEY_NOTICES: readonly NoticeKind[] = ['vouchers_issued', 'payment_refunded'];

/**
 * Notices someone is waiting for are sent first (their send job's priority; lower runs sooner, the rest 0): at the
 * SMS rate a backlog (10,000 lottery results at 10 a second is 17 minutes) would hold a sign-in code past its
 * minutes, a reply to a resident's text, or an instant sale's turn past its own.
 */
export const SEND_PRIORITY: Partial<Record<NoticeKind, number>> = {
  otp: -30,
  sms_reply: -20,
  queue_turn: -10,
};

export type Channel = 'sms' | 'email';

export interface NoticeRequest {
  kind: NoticeKind;
  channel: Channel;
  /** E.164 phone number or email address; stored encrypted, shown masked, never logged */
  to: string;
  lang: 'ko' | 'en';
  /** values the template fills in (code, campaign title, amount, site, pickup time, ...) */
  params: Record<string, string | number>;
  /** the same key twice sends one message (e.g. `otp:<challenge id>`, `result:<application id>`) */
  dedupeKey: string;
  campaignId?: string | null;
}
