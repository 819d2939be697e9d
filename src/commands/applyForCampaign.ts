// Apply once per person per campaign: the unique key decides duplicates and the database clock decides the
// window, both inside the one INSERT statement; the receipt notice is enqueued in the same transaction.
// Over 300 lines on purpose: one use case whose checks web, API, SMS and proxy share, in the order they run.

import { appendAudit } from '../audit/log.js';
import type { Trx } from '../db/knex.js';
import {
  type Application,
  findApplication,
  insertApplicationIfOpen,
  type NewApplication,
  type WindowCheck,
} from '../db/repos/applications.js';
import { isOnGroupList } from '../db/repos/groupMembers.js';
import { setIdentityRegion } from '../db/repos/identities.js';
import { takeProxyUse } from '../db/repos/proxies.js';
import { inTransaction } from '../db/transaction.js';
import {
  type ApplicationChannel,
  type ApplicationRequest,
  publicIdFromBytes,
  validateRequest,
  weightFor,
} from '../domain/application.js';
import { groupLabel, type VerificationMethod } from '../domain/campaign.js';
import { contactParams } from '../domain/contact.js';
import { checkEligibility, methodRefusal, notEligible } from '../domain/eligibility.js';
import { DomainError, validationFailed } from '../domain/errors.js';
import { type BirthDateSource, type GroupSource, groupStanding } from '../domain/facts.js';
import { formatIn, when } from '../i18n/when.js';
import { decryptText, encryptText } from '../identity/crypto.js';
import { enqueueNotice, prepareMessage } from '../notify/enqueue.js';
import type { NoticeRequest } from '../notify/notice.js';
import type { CampaignRules } from './campaignRules.js';
import { BIRTH_DATE_AAD } from './counterFacts.js';
import { type IntakeContext, uuidFrom } from './intakeContext.js';
import { formatAmount, type Receipt, receiptOf, windowRefusal } from './receipt.js';
import { residentPageUrl } from './residentLinks.js';

/** The verified person on whose behalf the write happens. */
export interface Applicant {
  identity_id: string;
  /** how they proved who they are this time; the campaign must allow it */
  method: VerificationMethod;
  birth_date: string | null;
  birth_date_source: BirthDateSource | null;
  contact_channel: 'sms' | 'email' | null;
  contact_enc: string | null;
  lang: 'ko' | 'en';
}

export interface ApplyInput {
  campaign_id: string;
  request: ApplicationRequest;
  /** declared district or city of residence (asked when the campaign is limited to regions) */
  region?: string | undefined;
  channel: ApplicationChannel;
  /** a registered helper applying for the applicant */
  proxy?: { proxy_id: string; helper_identity_id: string } | undefined;
  /** the channel answers with the receipt itself (an SMS reply), so no separate receipt notice */
  receiptInReply?: boolean;
}

export interface Applied {
  receipt: Receipt;
  /** false when a withdrawn application was taken up again */
  created: boolean;
}

/** Rules that need no database: verification method, request shape and eligibility, in plain words. */
export function checkApplication(rules: CampaignRules, who: Applicant, input: ApplyInput, now: Date): void {
  if (rules.campaign.mode === 'instant') {
    // first come, first served through the waiting room: an application would be a receipt for nothing
    const id = rules.campaign.id;
    throw new DomainError('use_sale_queue', 'This is a first-come sale: join its queue instead of applying', {
      details: { queue: `/campaigns/${id}/queue`, queue_api: `/api/campaigns/${id}/queue` },
    });
  }
  const wrongMethod = methodRefusal(rules.campaign.verification_methods, who.method);
  if (wrongMethod) throw wrongMethod;
  const fields = validateRequest(rules.campaign, rules.siteIds, input.request);
  if (Object.keys(fields).length > 0) throw validationFailed(fields);
  const refusal = checkEligibility(
    rules.campaign,
    { birth_date: who.birth_date ?? undefined, region: input.region },
    now,
  );
  if (refusal) throw notEligible(refusal, rules.campaign);
}

/**
 * How the claimed group is established, or a refusal in plain words: a list group asks the database whether one
 * of the person's verified keys was imported; an age group reads the birth date.
 */
export async function groupSourceFor(
  ctx: IntakeContext,
  rules: CampaignRules,
  who: Applicant,
  group: string,
): Promise<GroupSource | null> {
  const g = rules.campaign.groups.find((x) => x.name === group);
  if (!g) return null;
  const onList =
    g.check === 'list' && (await isOnGroupList(ctx.db, rules.campaign.id, g.name, who.identity_id));
  const standing = groupStanding(
    g,
    { birth_date: who.birth_date ?? undefined, birth_date_source: who.birth_date_source ?? undefined },
    onList,
    ctx.clock.now(),
    rules.campaign.time_zone,
  );
  if ('source' in standing) return standing.source;
  const r = standing.refusal;
  const labels =
    'group' in r ? { group_ko: groupLabel(r.group, 'ko'), group_en: groupLabel(r.group, 'en') } : {};
  throw new DomainError('not_eligible', `Not eligible: ${r.reason}`, {
    details: { reason: r.reason, ...labels, ...('min_age' in r ? { min_age: r.min_age } : {}) },
  });
}

/**
 * checkApplication, except that a person who already applied gets their existing receipt (duplicate_application)
 * rather than a refusal: coming back with another birth date must not read as anything but "you applied".
 */
export async function checkOrDuplicate(
  ctx: IntakeContext,
  db: Trx | IntakeContext['db'],
  rules: CampaignRules,
  who: Applicant,
  input: ApplyInput,
): Promise<void> {
  try {
    checkApplication(rules, who, input, ctx.clock.now());
  } catch (err) {
    if (!(err instanceof DomainError) || err.code !== 'not_eligible') throw err;
    const existing = await findApplication(db, rules.campaign.id, who.identity_id);
    if (existing?.status === 'active') throw await duplicateError(db, rules, who.identity_id);
    throw err;
  }
}

export async function duplicateError(
  trx: Trx | IntakeContext['db'],
  rules: CampaignRules,
  identityId: string,
) {
  const existing = await findApplication(trx, rules.campaign.id, identityId);
  if (!existing) return new DomainError('busy', 'Please try again');
  return new DomainError('duplicate_application', 'You have already applied to this campaign', {
    details: { receipt: receiptOf(existing, rules.campaign, rules.sites) },
  });
}

/** The receipt notice for an application, or none when the person left no contact. */
export function receiptNotice(
  ctx: IntakeContext,
  rules: CampaignRules,
  who: Applicant,
  a: Pick<Application, 'id' | 'public_id' | 'request' | 'preferences' | 'status' | 'version'>,
): NoticeRequest | undefined {
  if (!who.contact_channel || !who.contact_enc) return undefined;
  const c = rules.campaign;
  const lang = who.lang;
  const siteNames = a.preferences
    .map((id) => rules.sites.find((s) => s.id === id))
    .map((s) => (s ? (lang === 'ko' ? s.name_ko : s.name_en) : ''))
    .filter(Boolean);
  return {
    kind: 'receipt',
    channel: who.contact_channel,
    to: decryptText(ctx.secrets, who.contact_enc, 'contact'),
    lang,
    params: {
      campaign: lang === 'ko' ? c.title_ko : c.title_en,
      public_id: a.public_id,
      url: residentPageUrl(ctx.publicUrl, c.id, 'application', lang),
      amount: formatAmount(Number(a.request), c.unit, lang),
      sites: siteNames.join(', '),
      status: a.status,
      // when the result comes: in full for the email, month-day and time for the SMS (every character is paid)
      draw_at: when(c.draw_at, c.time_zone, lang),
      draw_short: formatIn(c.draw_at, c.time_zone, lang, 'MM-dd HH:mm'),
      ...contactParams(c, lang),
    },
    dedupeKey: `receipt:${a.id}:v${a.version}`,
    campaignId: c.id,
  };
}

export async function sendReceipt(
  ctx: IntakeContext,
  trx: Trx,
  rules: CampaignRules,
  who: Applicant,
  a: Application,
): Promise<void> {
  const notice = receiptNotice(ctx, rules, who, a);
  if (notice) await enqueueNotice(trx, notice, ctx.secrets.dataKey);
}

/** The row to insert, made from the rules, the person and the request; nothing is written here. */
function newApplication(
  ctx: IntakeContext,
  rules: CampaignRules,
  who: Applicant,
  input: ApplyInput,
  group_source: GroupSource | null,
): NewApplication {
  const c = rules.campaign;
  return {
    campaign_id: c.id,
    rules_version: c.rules_version,
    identity_id: who.identity_id,
    channel: input.channel,
    proxy_id: input.proxy?.proxy_id ?? null,
    request: input.request.amount,
    preferences: input.request.sites,
    group_name: input.request.group,
    weight: weightFor(c, input.request.group),
    lang: who.lang,
    contact_channel: who.contact_channel,
    contact_enc: who.contact_enc,
    region: input.region ?? null,
    birth_date_enc: who.birth_date ? encryptText(ctx.secrets, who.birth_date, BIRTH_DATE_AAD) : null,
    birth_date_source: who.birth_date ? (who.birth_date_source ?? 'declared') : null,
    group_source,
    public_id: publicIdFromBytes(ctx.random.bytes(6)),
  };
}

/** Nothing was written: the window's refusal, or rules that changed under the request. */
function windowOrVersionRefusal(ctx: IntakeContext, rules: CampaignRules, window: WindowCheck) {
  const refusal = windowRefusal(window);
  if (refusal) return refusal;
  if (window.rules_version !== rules.campaign.rules_version) {
    ctx.rules.forget(rules.campaign.id);
    return new DomainError('conflict', 'The campaign rules changed; please submit again', {
      details: { reason: 'rules_changed' },
    });
  }
  return undefined;
}

/**
 * The common case, a person's first application, as one statement with its receipt (no transaction to
 * open, one round trip). Undefined when the person already has an application: the caller goes on to
 * applyWithin, which takes a withdrawn one up again or answers with the existing receipt.
 */
async function applyFirst(
  ctx: IntakeContext,
  rules: CampaignRules,
  who: Applicant,
  input: ApplyInput,
  groupSource: GroupSource | null,
): Promise<Applied | undefined> {
  const a = { ...newApplication(ctx, rules, who, input, groupSource), id: uuidFrom(ctx.random) };
  const notice = receiptNotice(ctx, rules, who, { ...a, status: 'active', version: 1 });
  const { inserted, window } = await ctx.firstApplication({
    a,
    region: input.region ?? null,
    receipt: notice ? prepareMessage(notice, ctx.secrets.dataKey) : null,
  });
  if (inserted) return { receipt: receiptOf(inserted, rules.campaign, rules.sites), created: true };
  const refusal = windowOrVersionRefusal(ctx, rules, window);
  if (refusal) throw refusal;
  return undefined;
}

/** The write itself, inside the caller's transaction (the SMS handler shares its transaction). */
export async function applyWithin(
  ctx: IntakeContext,
  trx: Trx,
  rules: CampaignRules,
  who: Applicant,
  input: ApplyInput,
  groupSource: GroupSource | null = null,
): Promise<Applied> {
  const c = rules.campaign;
  const { inserted, window } = await insertApplicationIfOpen(
    trx,
    newApplication(ctx, rules, who, input, groupSource),
  );
  if (!inserted) {
    throw windowOrVersionRefusal(ctx, rules, window) ?? (await duplicateError(trx, rules, who.identity_id));
  }
  if (input.region) await setIdentityRegion(trx, who.identity_id, input.region);
  if (input.proxy) {
    const used = await takeProxyUse(trx, input.proxy.proxy_id);
    if (!used)
      throw new DomainError('proxy_cap_reached', 'This helper has applied for as many people as allowed');
    await appendAudit(trx, {
      at: ctx.clock.now(),
      actor: `resident:${input.proxy.helper_identity_id}`,
      action: 'application.proxy_submitted',
      subject: `campaign:${c.id}`,
      data: { public_id: inserted.public_id, proxy_id: input.proxy.proxy_id, used: used.used, cap: used.cap },
    });
  }
  if (!input.receiptInReply) await sendReceipt(ctx, trx, rules, who, inserted);
  return { receipt: receiptOf(inserted, c, rules.sites), created: inserted.created };
}

/** A freshly drawn public id that already exists (45 random bits: about 3e-8 per application at a million). */
export function isPublicIdCollision(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'applications_public_id_unique';
}

/**
 * Applies by the rules this instance holds. Their version moves only when the rules themselves change (an admin's
 * edit), not when the campaign opens: a request judged by rules edited since is refused (rules_changed, nothing
 * written, the stale rules forgotten) and the person submits again under the new ones.
 */
export async function applyForCampaign(
  ctx: IntakeContext,
  who: Applicant,
  input: ApplyInput,
): Promise<Applied> {
  const rules = await ctx.rules.byId(ctx.db, input.campaign_id);
  await checkOrDuplicate(ctx, ctx.db, rules, who, input);
  const groupSource = await groupSourceFor(ctx, rules, who, input.request.group);
  for (let attempt = 0; ; attempt++) {
    try {
      const first = input.proxy ? undefined : await applyFirst(ctx, rules, who, input, groupSource);
      // proxies (cap and audit), withdrawn applications taken up again, and duplicates
      return (
        first ?? (await inTransaction(ctx.db, (trx) => applyWithin(ctx, trx, rules, who, input, groupSource)))
      );
    } catch (err) {
      if (attempt < 3 && isPublicIdCollision(err)) continue;
      throw err;
    }
  }
}
