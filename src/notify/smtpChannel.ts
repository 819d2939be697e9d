// Email through nodemailer over a pooled SMTP connection, with a text and an HTML part.
import nodemailer from 'nodemailer';
import { type ChannelAdapter, networkTemporaryError, PermanentError, TemporaryError } from './channel.js';

export interface SmtpOptions {
  url: string;
  from: string;
  poolSize: number;
  timeoutMs: number;
  /** the domain in Message-IDs, from PUBLIC_URL */
  messageIdDomain: string;
}

export function classifySmtpError(err: unknown): Error {
  const e = err as { responseCode?: number; code?: string; message?: string };
  const network = networkTemporaryError(err);
  if (network) return network;
  if (typeof e?.responseCode === 'number') {
    const label = `smtp_${e.responseCode}`;
    // 4xx is "try again later" in SMTP (greylisting, mailbox busy); 5xx is a refusal.
    if (e.responseCode >= 400 && e.responseCode < 500) return new TemporaryError(label, e.message ?? label);
    return new PermanentError(label, e.message ?? label);
  }
  if (e?.code === 'EENVELOPE' || e?.code === 'EMESSAGE')
    return new PermanentError(e.code.toLowerCase(), e.message ?? e.code);
  if (e?.code === 'EAUTH') return new TemporaryError('smtp_auth', e.message ?? 'authentication failed');
  return err instanceof Error ? err : new Error(String(err));
}

export function smtpChannel(opts: SmtpOptions): ChannelAdapter {
  const transport = nodemailer.createTransport({
    url: opts.url,
    pool: true,
    maxConnections: opts.poolSize,
    // without a cap a pooled connection is recycled every 100 messages
    maxMessages: Number.POSITIVE_INFINITY,
    connectionTimeout: opts.timeoutMs,
    greetingTimeout: opts.timeoutMs,
    socketTimeout: opts.timeoutMs,
  });
  return {
    provider: 'smtp',
    async send(message) {
      // A Message-ID derived from our id: if a crash makes us send again, mail systems that de-duplicate
      // by Message-ID (and every client's threading) see one message.
      const messageId = `<${message.id}@${opts.messageIdDomain}>`;
      try {
        const info = await transport.sendMail({
          from: opts.from,
          to: message.to,
          subject: message.subject ?? '',
          text: message.body,
          ...(message.html ? { html: message.html } : {}),
          messageId,
          headers: { 'Content-Language': message.lang },
        });
        // nodemailer reports the Message-ID it sent: ours
        return { providerId: info.messageId };
      } catch (err) {
        throw classifySmtpError(err);
      }
    },
    async close() {
      transport.close();
    },
  };
}
