import test from 'ava';
import { dueTransition } from '../../src/domain/campaign.js';

const schedule = {
  opens_at: new Date('2026-12-01T00:00:00Z'),
  closes_at: new Date('2026-12-02T00:00:00Z'),
  draw_at: new Date('2026-12-02T01:00:00Z'),
  claim_opens_at: new Date('2026-12-02T02:00:00Z'),
  claim_closes_at: new Date('2026-12-10T00:00:00Z'),
};
const at = (iso: string) => new Date(iso);

test('nothing is due before the moment, the transition is due at it', (t) => {
  const c = { ...schedule, state: 'scheduled' as const, mode: 'lottery' as const };
  t.is(dueTransition(c, at('2026-11-30T23:59:59.999Z')), undefined);
  t.is(dueTransition(c, at('2026-12-01T00:00:00Z'))?.to, 'open');
});

test('a lottery waits in closed for its draw; an instant sale goes to claiming', (t) => {
  const later = at('2026-12-05T00:00:00Z');
  t.is(dueTransition({ ...schedule, state: 'closed', mode: 'lottery' }, later), undefined);
  t.is(dueTransition({ ...schedule, state: 'closed', mode: 'instant' }, later)?.to, 'claiming');
  t.is(dueTransition({ ...schedule, state: 'drawn', mode: 'reservation' }, later)?.to, 'claiming');
});

test('terminal and manual states have no timed transition', (t) => {
  const later = at('2027-01-01T00:00:00Z');
  for (const state of ['draft', 'cancelled', 'finished'] as const) {
    t.is(dueTransition({ ...schedule, state, mode: 'lottery' }, later), undefined, state);
  }
});
