// Which adapter carries each channel, from configuration: the provider when its credentials are set,
// otherwise the development outbox (or, in production, a channel that fails loudly).
import type { Config } from '../config.js';
import { type ChannelAdapter, disabledChannel, outboxChannel } from './channel.js';
import type { Channel } from './notice.js';
import { smtpChannel } from './smtpChannel.js';
import type { TwilioOptions } from './twilioChannel.js';
import { TWILIO_STATUS_PATH } from './twilioStatusPath.js';

export type NotifyConfig = Pick<
  Config,
  | 'isProduction'
  | 'publicUrl'
  | 'TWILIO_ACCOUNT_SID'
  | 'TWILIO_AUTH_TOKEN'
  | 'TWILIO_FROM'
  | 'TWILIO_MESSAGING_SERVICE_SID'
  | 'TWILIO_API_BASE_URL'
  | 'TWILIO_STATUS_CALLBACK'
  | 'SMTP_URL'
  | 'MAIL_FROM'
  | 'SMTP_POOL_SIZE'
  | 'PROVIDER_TIMEOUT_MS'
>;

export function channelsFromConfig(config: NotifyConfig): Record<Channel, ChannelAdapter> {
  const fallback = (c: Channel) => (config.isProduction ? disabledChannel(c) : outboxChannel());
  const sms =
    config.TWILIO_ACCOUNT_SID && config.TWILIO_AUTH_TOKEN
      ? lazyTwilio({
          accountSid: config.TWILIO_ACCOUNT_SID,
          authToken: config.TWILIO_AUTH_TOKEN,
          from: config.TWILIO_FROM,
          messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
          apiBaseUrl: config.TWILIO_API_BASE_URL,
          statusCallback: config.TWILIO_STATUS_CALLBACK ? config.publicUrl + TWILIO_STATUS_PATH : undefined,
          timeoutMs: config.PROVIDER_TIMEOUT_MS,
        })
      : fallback('sms');
  const email =
    config.SMTP_URL && config.MAIL_FROM
      ? smtpChannel({
          url: config.SMTP_URL,
          from: config.MAIL_FROM,
          poolSize: config.SMTP_POOL_SIZE,
          timeoutMs: config.PROVIDER_TIMEOUT_MS,
          messageIdDomain: new URL(config.publicUrl).hostname,
        })
      : fallback('email');
  return { sms, email };
}

/** One line for the start-up log: which way each channel goes (no credentials in it). */
export function describeChannels(channels: Record<Channel, ChannelAdapter>): Record<Channel, string> {
  return { sms: channels.sms.provider, email: channels.email.provider };
}

/**
 * The Twilio channel, its client loaded at the first use: the twilio package is about a third of a second of CPU at
 * every process's start, and most processes never send by Twilio (a draw worker, the outbox in development, tests).
 */
function lazyTwilio(opts: TwilioOptions): ChannelAdapter {
  let loading: Promise<ChannelAdapter> | undefined;
  const adapter = () => (loading ??= import('./twilioChannel.js').then((m) => m.twilioChannel(opts)));
  return {
    provider: 'twilio',
    send: async (message) => (await adapter()).send(message),
    findAccepted: async (message, since) => (await adapter()).findAccepted?.(message, since),
    async close() {
      if (loading) await (await loading).close?.();
    },
  };
}
