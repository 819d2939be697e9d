// The instant sale (routes/instant/api.ts): the queue, one's place and admission, the purchase; the public sale
// view, queue order and audit; the admin's room rules.
import { joinSchema, purchaseSchema, queuePageSchema, roomRulesSchema } from '../routes/instant/schema.js';
import type { Operations } from './operation.js';

export const instantOperations: Operations = {
  '/api/campaigns/{id}/queue': {
    post: {
      summary:
        'Join the queue (once; joining again answers your place). A sale with eligibility rules lets join only ' +
        'those they let buy, judged as an application is: the age and the birth-year weekday rule by the birth ' +
        "date of your session, at the opening or now, whichever is later; the region you declare in the body's " +
        "`region` (one of the sale's regions) when the sale is limited to regions. The body may be empty.",
      tag: 'instant',
      caller: 'resident',
      body: joinSchema,
      headers: {
        Prefer:
          'wait=N (seconds, at most 25): the pre-queue answer says to look again when that look would be held; ' +
          'an arrival after the opening, before its pass has shuffled, is answered once that pass has ranked it',
      },
      ok: {
        status: 200,
        description:
          '{ queue } (with { purchase } for a place that has bought, as GET answers it); ' +
          'Preference-Applied: wait=N when a wait was asked for',
      },
      errors: ['campaign_not_open', 'campaign_closed', 'not_eligible'],
    },
    get: {
      summary:
        'Your place: at your turn the admission token to buy with; once bought, the purchase and its vouchers',
      tag: 'instant',
      caller: 'resident',
      headers: {
        Prefer:
          'wait=N (seconds, at most 25): a pre-queue place is answered once the opening has shuffled it ' +
          '(or after N seconds) when the opening comes within N seconds',
      },
      ok: {
        status: 200,
        description:
          '{ queue }; while waiting, queue.poll_after_ms and Retry-After say when to look again; ' +
          'queue.held_back: everything left is with buyers ahead, so the turn comes only if stock comes back; ' +
          'state sold_out is final (nothing left and nothing held), with no time to look again; ' +
          'state closed: the sale closed with no purchase of this place (final; sold_out if nothing is left or held, ' +
          'turn_used if its turn was spent); ' +
          'state cancelled: the sale was cancelled and this place has no paid purchase in it (final: an unpaid ' +
          'purchase was cancelled with the sale, a payment made after it is refunded; a paid one stays purchased); ' +
          'state purchased comes with purchase: { id, quantity, hold_expires_at, order_id, order_state, ' +
          'checkout_url, vouchers }, vouchers being [{ number, face_value, valid_until, valid_until_day }] once the ' +
          "order is issued (valid_until_day: the last valid day in the campaign's time zone), [] until then; " +
          'Preference-Applied: wait=N when a wait was asked for',
      },
      errors: ['campaign_not_open', 'campaign_closed'],
    },
  },
  '/api/campaigns/{id}/purchases': {
    post: {
      summary:
        'Buy with your admission token; the same idempotency key answers the same purchase again ' +
        '(the key and token may come as headers instead)',
      tag: 'instant',
      caller: 'resident',
      headers: {
        'Idempotency-Key': 'instead of idempotency_key in the body',
        'X-Admission-Token': 'instead of admission_token in the body',
      },
      body: purchaseSchema,
      ok: {
        status: 201,
        description: '{ purchase }',
        also: { 200: 'A replay of the same key (Idempotent-Replayed: true)' },
      },
      errors: [
        'admission_invalid',
        'admission_used',
        'already_purchased',
        'sold_out',
        'campaign_closed',
        'idempotency_key_reused',
        'payment_unavailable',
      ],
    },
  },
  '/api/campaigns/{id}/sale': {
    get: {
      summary: 'The sale as the public sees it: state, stock left, queue length',
      tag: 'instant',
      caller: 'anyone',
      ok: { status: 200, description: '{ sale }' },
      errors: [],
    },
  },
  '/api/campaigns/{id}/queue/order': {
    get: {
      summary: 'The published queue order, a page at a time after a rank',
      tag: 'instant',
      caller: 'anyone',
      query: queuePageSchema,
      ok: { status: 200, description: '{ entries: [...], next_after }' },
      errors: [],
    },
  },
  '/api/campaigns/{id}/queue/audit': {
    get: {
      summary: "The queue's audit: how the order was fixed, and what to check it with",
      tag: 'instant',
      caller: 'anyone',
      ok: { status: 200, description: '{ audit }' },
      errors: [],
    },
  },
  '/api/admin/campaigns/{id}/instant-room': {
    get: {
      summary:
        "The waiting room's rules (a new room's defaults until they are set), whether they may change, and (a sale limited to regions) its places by the region declared at the join (region null: none declared)",
      tag: 'instant',
      caller: 'staff',
      ok: {
        status: 200,
        description: '{ rules, prequeue_opens_at, editable, places_by_region: [{ region, places }] | null }',
      },
      errors: [],
    },
    put: {
      summary: "Set the waiting room's rules (admission rate, active buyers, token and hold times)",
      tag: 'instant',
      caller: 'staff',
      body: roomRulesSchema,
      ok: { status: 200, description: '{ rules }' },
      errors: ['campaign_not_editable'],
    },
  },
};
