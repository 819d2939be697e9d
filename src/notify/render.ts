// Message bodies from templates/messages with eta, in the resident's language:
//   <kind>.<lang>.sms.eta    short SMS text
//   <kind>.<lang>.email.eta  plain-text email; its first line is "Subject: ..."
//   <kind>.<lang>.html.eta   the HTML part (escaped), wrapped in _layout.<lang>.html.eta
// A notice with `help` (whom to ask about its campaign, domain/contact.ts) ends its email with _help.<lang>.email.eta
// and its HTML layout's footer with the same line.
import path from 'node:path';
import { Eta } from 'eta';
import { templatesDir } from '../paths.js';
import type { NoticeKind, NoticeRequest } from './notice.js';
import { type SegmentInfo, smsSegments } from './segments.js';

const views = path.join(templatesDir, 'messages');

/**
 * Eta resolves and checks a template's file path on every render, cached template or not (JSON, path.join,
 * path.relative): ~1/3 of rendering a receipt in a profile of `npm run bench -- intake`. The answer for a
 * name (from a given including file) never changes while the views directory does not, so it is kept.
 */
function withKnownPaths(eta: Eta): Eta {
  const resolve = eta.resolvePath;
  const known = new Map<string, string>();
  eta.resolvePath = function (template, options) {
    const key = `${options?.filepath ?? ''}\n${template}`;
    let found = known.get(key);
    if (found === undefined) {
      found = resolve.call(this, template, options);
      known.set(key, found);
    }
    return found;
  };
  return eta;
}
const text = withKnownPaths(new Eta({ views, cache: true, autoEscape: false, autoTrim: false }));
const html = withKnownPaths(new Eta({ views, cache: true, autoEscape: true, autoTrim: false }));

/** What each kind's templates need; a missing one is a programming error caught at enqueue, not at send. */
export const REQUIRED_PARAMS: Record<NoticeKind, readonly string[]> = {
  otp: ['code', 'minutes'],
  receipt: ['campaign', 'public_id', 'url'],
  result_won: ['campaign', 'prize', 'site', 'pickup', 'claim_code', 'url', 'result_url'],
  result_waitlisted: ['campaign', 'rank', 'url'],
  result_lost: ['campaign', 'url'],
  pickup_reminder: ['campaign', 'prize', 'site', 'pickup', 'deadline', 'claim_code', 'url', 'result_url'],
  award_expired: ['campaign', 'url'],
  promoted: ['campaign', 'prize', 'site', 'pickup', 'claim_code', 'url', 'result_url'],
  sms_reply: ['text'],
  vouchers_issued: ['campaign', 'count', 'face_total', 'numbers', 'valid_until', 'url'],
  payment_refunded: ['campaign', 'amount', 'reason', 'url'],
  queue_turn: ['campaign', 'minutes', 'url'],
  sale_cancelled: ['campaign', 'url'],
  queue_cancelled: ['campaign', 'url'],
  application_cancelled: ['campaign', 'public_id', 'result_url'],
};

export interface RenderedMessage {
  template: string;
  subject: string | null;
  body: string;
  html: string | null;
  sms: SegmentInfo | null;
}

export class TemplateParamsError extends Error {}

/** Notices to someone holding an award; a voucher's (with a price, commands/awardNotices.ts nextStep) is paid for. */
const HELD_AWARD_KINDS: ReadonlySet<NoticeKind> = new Set(['result_won', 'promoted', 'pickup_reminder']);
const COLLECT_PARAMS: ReadonlySet<string> = new Set(['site', 'pickup', 'claim_code']);

/** What a notice must carry: a voucher award's says what to pay and by when, not where to collect or a code. */
function requiredParams(n: Pick<NoticeRequest, 'kind' | 'params'>): readonly string[] {
  const need = REQUIRED_PARAMS[n.kind];
  if (!HELD_AWARD_KINDS.has(n.kind) || n.params.price === undefined) return need;
  return [...need.filter((p) => !COLLECT_PARAMS.has(p)), 'price', 'discount', 'pay_by'];
}

export function renderNotice(
  n: Pick<NoticeRequest, 'kind' | 'channel' | 'lang' | 'params'>,
): RenderedMessage {
  const missing = requiredParams(n).filter((p) => n.params[p] === undefined || n.params[p] === '');
  if (missing.length) throw new TemplateParamsError(`notice '${n.kind}' needs ${missing.join(', ')}`);
  const it = { ...n.params, lang: n.lang };
  const base = `${n.kind}.${n.lang}`;
  if (n.channel === 'sms') {
    const body = text.render(`./${base}.sms.eta`, it).trim();
    return { template: `${base}.sms`, subject: null, body, html: null, sms: smsSegments(body) };
  }
  const full = text.render(`./${base}.email.eta`, it);
  const match = /^Subject:[ \t]*(.*)\r?\n\r?\n?/.exec(full);
  if (!match) throw new Error(`template ${base}.email must start with a "Subject:" line`);
  const subject = (match[1] as string).trim();
  const body = full.slice(match[0].length).trim();
  const help = n.params.help ? `\n\n${text.render(`./_help.${n.lang}.email.eta`, it).trim()}` : '';
  const htmlBody = html.render(`./${base}.html.eta`, { ...it, subject });
  return { template: `${base}.email`, subject, body: `${body}${help}\n`, html: htmlBody, sms: null };
}
