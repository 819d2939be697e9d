// An inbound SMS (already signature-checked): record it once by MessageSid, run the command, queue the reply.
// The record, the application and the reply commit together, so a repeated delivery creates nothing new and a
// crash half-way lets the provider's retry do the whole thing once.
import type { Trx } from '../db/knex.js';
import { listApplicationsByPhoneHash } from '../db/repos/applications.js';
import { recordInboundSms, setInboundOutcome } from '../db/repos/smsInbound.js';
import { inTransaction } from '../db/transaction.js';
import { type Campaign, cancelMessageIn } from '../domain/campaign.js';
import { contactParams } from '../domain/contact.js';
import { DomainError } from '../domain/errors.js';
import { normaliseBirthDate, normalisePhone } from '../domain/identity.js';
import { parseSmsCommand, type SmsCommand } from '../domain/smsCommand.js';
import { translator } from '../i18n/catalogue.js';
import { noDayLeft, refusalWords } from '../i18n/refusal.js';
import { formatIn } from '../i18n/when.js';
import { contactHash, encryptText, verifiedKey } from '../identity/crypto.js';
import { enqueueNotice } from '../notify/enqueue.js';
import { applyWithin, checkOrDuplicate } from './applyForCampaign.js';
import type { IntakeContext } from './intakeContext.js';
import { formatAmount, type Receipt } from './receipt.js';
import { residentPageUrl } from './residentLinks.js';
import { residentResult } from './residentResult.js';
import { birthDateOf, resolveIdentity } from './resolveIdentity.js';
import { resultLine } from './resultText.js';
import { withdrawWithin } from './withdrawApplication.js';

export interface InboundSms {
  messageSid: string;
  from: string;
  body: string;
}

export type SmsOutcome = { replayed: true } | { replayed: false; command: SmsCommand['kind']; reply: string };

export async function handleInboundSms(ctx: IntakeContext, m: InboundSms): Promise<SmsOutcome> {
  const phone = normalisePhone(m.from);
  const cmd = parseSmsCommand(m.body);
  const fromHash = contactHash(ctx.secrets, phone ?? m.from);
  return inTransaction(ctx.db, async (trx) => {
    if (
      !(await recordInboundSms(trx, { message_sid: m.messageSid, from_hash: fromHash, command: cmd.kind }))
    ) {
      return { replayed: true };
    }
    if (!phone) {
      // Nobody to answer (a short code or a foreign landline): keep the record, send nothing.
      await setInboundOutcome(trx, m.messageSid, 'unreplyable_sender');
      return { replayed: false, command: cmd.kind, reply: '' };
    }
    const t = translator(cmd.lang);
    const named = await campaignNamed(ctx, cmd);
    let reply: string;
    let outcome: string;
    try {
      // A savepoint: a refused command rolls back its own writes but keeps the inbound record and the reply.
      reply = await trx.transaction((sp) => runCommand(ctx, sp, cmd, phone, fromHash));
      outcome = 'ok';
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      reply = errorReply(ctx, err, cmd.lang, named);
      outcome = err.code;
    }
    if (!reply) reply = t('sms.help');
    const campaignId = named?.id;
    await enqueueNotice(
      trx,
      {
        kind: 'sms_reply',
        channel: 'sms',
        to: phone,
        lang: cmd.lang,
        params: { text: reply },
        dedupeKey: `sms_reply:${m.messageSid}`,
        ...(campaignId ? { campaignId } : {}),
      },
      ctx.secrets.dataKey,
    );
    await setInboundOutcome(trx, m.messageSid, outcome);
    return { replayed: false, command: cmd.kind, reply };
  });
}

function receiptLine(r: Receipt, lang: 'ko' | 'en'): string {
  const t = translator(lang);
  return t('sms.receipt_line', {
    code: r.campaign_code,
    public_id: r.public_id,
    amount: formatAmount(r.amount, r.unit, lang),
    status: t(`sms.status_${r.status}`),
  });
}

/** The campaign's phone in the words its notices' SMS end with ("문의: 02-3396-4000"); none without a phone. */
function askLine(c: Campaign, lang: 'ko' | 'en'): string | undefined {
  const phone = contactParams(c, lang).help_phone;
  return phone ? translator(lang)('sms.contact', { phone }) : undefined;
}

/** A refused command's reply; `c`: the campaign it named, whose phone a refusal that leaves nothing to do names. */
function errorReply(
  ctx: IntakeContext,
  err: DomainError,
  lang: 'ko' | 'en',
  c: Campaign | undefined,
): string {
  const t = translator(lang);
  if (err.code === 'use_sale_queue' && c)
    return t('sms.use_sale_queue', { url: residentPageUrl(ctx.publicUrl, c.id, 'queue', lang) });
  if (err.code === 'duplicate_application') {
    const receipt = err.details?.receipt as Receipt | undefined;
    return t('sms.duplicate', { receipt: receipt ? receiptLine(receipt, lang) : '' });
  }
  if (err.code === 'not_eligible') {
    // the words the application page shows (i18n/refusal.ts): for the weekday rule, the next time within the
    // window, or that this campaign has no day for them and whom to ask
    const d = err.details ?? {};
    const ask = noDayLeft(d) && c ? askLine(c, lang) : undefined;
    return [refusalWords(t, lang, d), ask].filter(Boolean).join(' ');
  }
  if (err.code === 'validation_failed') {
    const field = Object.keys(err.fields ?? {})[0] ?? '';
    return t(`sms.invalid_${field === 'sites' ? 'sites' : 'amount'}`);
  }
  const key = `errors.${err.code}`;
  return t(key) === key ? err.message : t(key);
}

/**
 * The campaign a command names by its code, if any: its reply is counted with the campaign's notices (the SMS a
 * city pays for), not apart from them. A code that names none: undefined.
 */
async function campaignNamed(ctx: IntakeContext, cmd: SmsCommand): Promise<Campaign | undefined> {
  if (!('code' in cmd) || !cmd.code) return undefined;
  try {
    return (await ctx.rules.byCode(ctx.db, cmd.code)).campaign;
  } catch (err) {
    if (err instanceof DomainError) return undefined;
    throw err;
  }
}

async function runCommand(
  ctx: IntakeContext,
  trx: Trx,
  cmd: SmsCommand,
  phone: string,
  phoneHash: string,
): Promise<string> {
  const t = translator(cmd.lang);
  const now = ctx.clock.now();
  switch (cmd.kind) {
    case 'help':
      return t('sms.help');
    case 'unknown':
      return t(cmd.problem === 'bad_apply' ? 'sms.bad_apply' : 'sms.unknown');
    case 'apply': {
      const birth = normaliseBirthDate(cmd.birthDate, now);
      if (!birth) return t('sms.bad_birth_date');
      const rules = await ctx.rules.byCode(ctx.db, cmd.code);
      // Site ids typed on a phone keypad come in any case.
      const byUpper = new Map([...rules.siteIds].map((id) => [id.toUpperCase(), id]));
      const sites = cmd.sites.map((s) => byUpper.get(s.toUpperCase()) ?? s);
      const contact_enc = encryptText(ctx.secrets, phone, 'contact');
      const input = {
        campaign_id: rules.campaign.id,
        request: { amount: cmd.amount, sites, group: '' },
        channel: 'sms' as const,
        receiptInReply: true,
      };
      // The sender's number is what the provider proved: the key, whatever date the text carries. A refusal
      // below rolls this savepoint back, identity and all.
      const identity = await resolveIdentity(ctx, trx, {
        keys: [verifiedKey.phone(ctx.secrets, phone)],
        method: 'sms',
        phone_enc: contact_enc,
        phone_hash: phoneHash,
        lang: cmd.lang,
      });
      const who = {
        identity_id: identity.id,
        method: 'sms' as const,
        ...birthDateOf(ctx, identity, birth),
        contact_channel: 'sms' as const,
        contact_enc,
        lang: cmd.lang,
      };
      await checkOrDuplicate(ctx, trx, rules, who, input);
      const applied = await applyWithin(ctx, trx, rules, who, input);
      const c = rules.campaign;
      return t('sms.applied', {
        campaign: cmd.lang === 'ko' ? c.title_ko : c.title_en,
        receipt: receiptLine(applied.receipt, cmd.lang),
        draw: formatIn(c.draw_at, c.time_zone, cmd.lang, 'MM-dd HH:mm'),
      });
    }
    case 'status': {
      const campaignId = cmd.code ? (await ctx.rules.byCode(ctx.db, cmd.code)).campaign.id : undefined;
      const apps = await listApplicationsByPhoneHash(trx, phoneHash, campaignId, { withCancelled: true });
      if (apps.length === 0) return t('sms.status_none');
      let drawn = '';
      const lines = await Promise.all(
        apps.map(async (a) => {
          const rules = await ctx.rules.byId(ctx.db, a.campaign_id);
          // whom to ask about it, after what it says of the application, as the notices' SMS end
          const ask = askLine(rules.campaign, cmd.lang);
          // After the draw the outcome, as the result page says it; before it, the receipt.
          const result = await residentResult(ctx, rules, a);
          if (result) {
            drawn ||= residentPageUrl(ctx.publicUrl, a.campaign_id, 'application', cmd.lang);
            return [resultLine(result, rules.campaign, cmd.lang), ask].filter(Boolean).join('\n');
          }
          const line = t('sms.receipt_line', {
            code: a.code,
            public_id: a.public_id,
            amount: formatAmount(Number(a.request), rules.campaign.unit, cmd.lang),
            // a cancelled campaign's application stands for nothing: say so, not "received"
            status: t(
              a.campaign_state === 'cancelled' ? 'sms.status_campaign_cancelled' : `sms.status_${a.status}`,
            ),
          });
          // and why, when the operator said: the one who missed the cancel's SMS asks here
          const note = a.campaign_state === 'cancelled' ? cancelMessageIn(a, cmd.lang) : undefined;
          return [line, note && t('sms.cancel_note', { note }), ask].filter(Boolean).join('\n');
        }),
      );
      return [...lines, ...(drawn ? [t('sms.details', { url: drawn })] : [])].join('\n');
    }
    case 'cancel': {
      const campaignId = cmd.code ? (await ctx.rules.byCode(ctx.db, cmd.code)).campaign.id : undefined;
      // A phone is one person, with one application a campaign: the code alone picks it. A birth date sent
      // after it, as replies used to ask, is accepted and not needed.
      const candidates = (await listApplicationsByPhoneHash(trx, phoneHash, campaignId)).filter(
        (a) => a.status === 'active',
      );
      if (candidates.length === 0) return t('sms.cancel_none');
      if (candidates.length > 1) return t('sms.cancel_which');
      const target = candidates[0]!;
      const rules = await ctx.rules.byId(ctx.db, target.campaign_id);
      const receipt = await withdrawWithin(trx, rules, target.identity_id);
      return t('sms.cancelled', { receipt: receiptLine(receipt, cmd.lang) });
    }
  }
}
