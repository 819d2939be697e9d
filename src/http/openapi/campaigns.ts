// Campaigns (routes/campaigns/api.ts): public reads, the admin's writes and state changes, and the slot import
// (routes/campaigns/slotPages.ts).
import {
  campaignSchema,
  cancelSchema,
  contactSchema,
  reasonSchema,
  versionSchema,
} from '../routes/campaigns/schema.js';
import { csvBodySchema } from '../routes/sites/schema.js';
import type { Operation, Operations } from './operation.js';

const change = (summary: string, body: Operation['body'] = reasonSchema): Operation => ({
  summary,
  tag: 'campaigns',
  caller: 'staff',
  body,
  ok: { status: 200, description: '{ campaign }' },
  errors: ['invalid_transition'],
});

/** What the writes of a whole campaign say of an instant sale's fields (domain notForInstant). */
const INSTANT_FIELDS =
  'an instant sale has no draw: its draw_at, claim_opens_at, claim_closes_at (they follow closes_at), beacon_source, ' +
  'partial, unclaimed_policy, checkout_minutes and claim_period_hours are left out, null, or as a read of it shows ' +
  'them; another value is refused on its field (validation_failed, not_for_instant) and nothing is saved';

export const campaignOperations: Operations = {
  '/api/campaigns': {
    get: {
      summary: 'Campaigns the public may see (scheduled to finished)',
      tag: 'campaigns',
      caller: 'anyone',
      ok: { status: 200, description: '{ campaigns: [...] }' },
      errors: [],
    },
  },
  '/api/campaigns/{id}': {
    get: {
      summary: 'One public campaign with its pickup slots',
      tag: 'campaigns',
      caller: 'anyone',
      ok: { status: 200, description: '{ campaign }' },
      errors: [],
    },
  },
  '/api/admin/campaigns': {
    get: {
      summary: 'Every campaign, drafts and cancelled ones included',
      tag: 'campaigns',
      caller: 'staff',
      ok: { status: 200, description: '{ campaigns: [...] }' },
      errors: [],
    },
    post: {
      summary: `Create a campaign (a draft); Location names it; ${INSTANT_FIELDS}`,
      tag: 'campaigns',
      caller: 'staff',
      body: campaignSchema,
      ok: { status: 201, description: '{ campaign }' },
      errors: ['duplicate_code', 'not_found'],
    },
  },
  '/api/admin/campaigns/{id}': {
    get: {
      summary: 'One campaign with its pickup slots',
      tag: 'campaigns',
      caller: 'staff',
      ok: { status: 200, description: '{ campaign }' },
      errors: [],
    },
    put: {
      summary: `Replace a campaign while it is editable; \`version\` is the one you read (else conflict); ${INSTANT_FIELDS}`,
      tag: 'campaigns',
      caller: 'staff',
      // the route parses both: the version, then the campaign
      body: campaignSchema.extend(versionSchema.shape),
      ok: { status: 200, description: '{ campaign }' },
      errors: ['conflict', 'campaign_not_editable', 'duplicate_code'],
    },
  },
  '/api/admin/campaigns/{id}/contact': {
    put: {
      summary:
        'Set whom residents ask about the campaign, in any state: contact_name_ko/en (the office), contact_phone, ' +
        'contact_email, contact_hours_ko/en, each optional (blank or left out: none); once any is given, a name and ' +
        'a phone or an email are needed. The campaign shows it as contact { name, phone, email, hours }',
      tag: 'campaigns',
      caller: 'staff',
      body: contactSchema,
      ok: { status: 200, description: '{ campaign }' },
      errors: [],
    },
  },
  '/api/admin/campaigns/{id}/schedule': {
    post: change('Schedule a draft: it opens, closes and is drawn at its times'),
  },
  '/api/admin/campaigns/{id}/unschedule': {
    post: change('Back to draft before it opens'),
  },
  '/api/admin/campaigns/{id}/cancel': {
    post: change(
      'Cancel the campaign: `reason` is kept in the audit log; `message_ko` and `message_en` (at most 200 ' +
        "characters each, both optional) are what residents are told: each goes into the cancel's notices and onto " +
        'the pages of those reading in its language (the other one where it was not given), and the campaign ' +
        'shows them as cancel_message { ko, en }',
      cancelSchema,
    ),
  },
  '/api/admin/campaigns/{id}/slots/import': {
    post: {
      summary: "Replace the campaign's pickup slots from CSV; any bad row is reported and nothing is saved",
      tag: 'campaigns',
      caller: 'staff',
      body: csvBodySchema,
      ok: { status: 201, description: '{ slots, total }' },
      errors: ['campaign_not_editable'],
    },
  },
};
