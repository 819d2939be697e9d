// The one small interface every way of reaching a resident implements (SMS, email, and later
// KakaoTalk business messages): send one message, or say why not, as temporary or permanent.
import type { Channel } from './notice.js';

export interface OutgoingMessage {
  id: string;
  channel: Channel;
  /** the full number or address: handed to the provider, never logged */
  to: string;
  subject: string | null;
  body: string;
  html: string | null;
  lang: 'ko' | 'en';
}

export interface SendResult {
  /** the provider's id for the message (Twilio's SM... sid, the SMTP Message-ID, or outbox:<id>) */
  providerId: string;
}

export interface ChannelAdapter {
  /** stored in messages.provider: 'twilio', 'smtp', 'outbox', 'disabled' */
  readonly provider: string;
  send(message: OutgoingMessage): Promise<SendResult>;
  /**
   * After a crash between "marked sending" and "recorded sent", asks the provider whether it already
   * accepted this message (so it is not sent twice). Channels that cannot tell leave it out.
   */
  findAccepted?(message: OutgoingMessage, since: Date): Promise<SendResult | undefined>;
  close?(): Promise<void>;
}

/** Worth trying again later: rate limited, provider down (5xx), a timeout, a refused connection. */
export class TemporaryError extends Error {
  readonly code: string;
  /** the request may have reached the provider (timeout, reset, 5xx): ask before sending again */
  readonly inDoubt: boolean;
  /** what the provider asked for (Retry-After), when it said */
  readonly retryAfterMs: number | undefined;
  constructor(code: string, message: string, opts: { inDoubt?: boolean; retryAfterMs?: number } = {}) {
    super(message);
    this.name = 'TemporaryError';
    this.code = code;
    this.inDoubt = opts.inDoubt ?? false;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** Trying again cannot help: an invalid or unsubscribed number, a rejected address. */
export class PermanentError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'PermanentError';
    this.code = code;
  }
}

/** Network failures that leave the message unsent or in doubt; both are worth a retry. */
const TEMPORARY_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEOUT',
  'ECONNECTION',
  'ESOCKET',
  'EDNS',
]);

// Failures after which the request may still have been received and acted on.
const IN_DOUBT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ETIMEOUT',
  'ESOCKET',
]);

export function networkTemporaryError(err: unknown): TemporaryError | undefined {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string' || !TEMPORARY_NETWORK_CODES.has(code)) return undefined;
  return new TemporaryError(code.toLowerCase(), `network: ${code}`, {
    inDoubt: IN_DOUBT_NETWORK_CODES.has(code),
  });
}

/** Development and tests without credentials: the record is the message; the /dev/outbox page shows it. */
export function outboxChannel(): ChannelAdapter {
  return {
    provider: 'outbox',
    async send(message) {
      return { providerId: `outbox:${message.id}` };
    },
  };
}

/** Production without credentials for a channel: fail each message permanently and visibly, never pretend. */
export function disabledChannel(channel: Channel): ChannelAdapter {
  return {
    provider: 'disabled',
    async send() {
      throw new PermanentError('channel_not_configured', `no ${channel} provider is configured`);
    },
  };
}
