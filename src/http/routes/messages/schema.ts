// Request bodies of the notice routes: the admin's retry, and Twilio's delivery status callback.
import { z } from 'zod';

/** Retry these failed notices, or (no ids) every failed notice of the campaign. */
export const retrySchema = z
  .object({ ids: z.array(z.uuid()).min(1).max(10_000).optional() })
  .strict()
  .default({});

/** A delivery status callback: the message and its status (older callbacks say Sms*); Twilio sends more, all signed. */
export const twilioStatusSchema = z
  .object({
    MessageSid: z.string().min(1).optional(),
    SmsSid: z.string().min(1).optional(),
    MessageStatus: z.string().min(1).optional(),
    SmsStatus: z.string().min(1).optional(),
    ErrorCode: z.string().optional(),
  })
  .loose()
  .superRefine((p, ctx) => {
    if (!(p.MessageSid ?? p.SmsSid))
      ctx.addIssue({ code: 'custom', path: ['MessageSid'], message: 'MessageSid is required' });
    if (!(p.MessageStatus ?? p.SmsStatus))
      ctx.addIssue({ code: 'custom', path: ['MessageStatus'], message: 'MessageStatus is required' });
  });
