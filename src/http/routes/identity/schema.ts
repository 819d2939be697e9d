// Requests that verify a resident: a one-time code by SMS or email, or an OpenID Connect ID token.
import { z } from 'zod';

export const codeRequestSchema = z
  .object({
    channel: z.enum(['sms', 'email']).default('sms'),
    phone: z.string().trim().max(40).optional(),
    email: z.string().trim().max(254).optional(),
    birth_date: z.string({ error: 'validation.required' }).trim().min(1, 'validation.required').max(20),
    lang: z.enum(['ko', 'en']).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.channel === 'sms' && !v.phone)
      ctx.addIssue({ code: 'custom', path: ['phone'], message: 'validation.required' });
    if (v.channel === 'email' && !v.email)
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'validation.required' });
  })
  .meta({
    id: 'CodeRequest',
    description: 'Ask for a 6-digit code by SMS (phone) or email, with the birth date',
  });

export const codeVerifySchema = z
  .object({
    challenge_id: z.uuid('validation.code_request_unknown'),
    code: z
      .string({ error: 'validation.required' })
      .trim()
      .regex(/^\d{6}$/, 'validation.code_digits'),
  })
  .meta({ id: 'CodeVerify' });

export const oidcTokenSchema = z
  .object({
    id_token: z.string().min(10).max(8000),
    nonce_proof: z.string().min(10).max(2000),
  })
  .meta({
    id: 'OidcSignIn',
    description: 'An ID token whose nonce was issued by POST /api/identity/oidc/nonce',
  });

export const sessionReplySchema = z
  .object({
    token: z.string(),
    expires_at: z.string(),
    identity: z.object({
      method: z.enum(['sms', 'email', 'oidc', 'portone']),
      birth_date: z.string().nullable(),
      birth_date_source: z.enum(['provider', 'declared']).nullable(),
    }),
  })
  .meta({ id: 'ResidentSession' });

export const codeSentSchema = z
  .object({
    challenge_id: z.uuid(),
    channel: z.enum(['sms', 'email']),
    sent_to: z.string(),
    expires_at: z.string(),
    resend_after_seconds: z.number().int(),
  })
  .meta({ id: 'CodeSent' });
