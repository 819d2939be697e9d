// Which adapter carries each channel, from configuration: the provider when its credentials are set,
// otherwise the development outbox (or, in production, a channel that fails loudly).
import type { Config } from '../config.js';
import { type ChannelAdapter, disabledChannel, outboxChannel } from './channel.js';
import type { Channel } from './notice.js';
import { smtpChannel } from './smtpChannel.js';
import { twilioChannel } from './twilioChannel.js';
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
      ? twilioChannel({
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
