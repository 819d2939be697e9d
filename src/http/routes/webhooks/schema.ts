import { z } from 'zod';

/** The fields of Twilio's inbound-message webhook that we read (it sends many more; all are signed). */
export const twilioInboundSchema = z
  .object({
    MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'Not a message id'),
    From: z.string().min(3).max(40),
    Body: z.string().max(1600).default(''),
  })
  .meta({ id: 'TwilioInbound' });

/** The development form at /dev/sms: a text as if sent from this phone. */
export const devSmsSchema = z.object({
  from: z.string().trim().min(3, 'Required').max(40),
  body: z.string().max(1600).default(''),
});
