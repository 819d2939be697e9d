import test from 'ava';
import {
  DrawInputError,
  runDraw,
  sortRoster,
  validateRoster,
  validateRules,
} from '../../../src/domain/draw/index.js';
import type { Rules } from '../../../src/domain/draw/types.js';
import { DomainError } from '../../../src/domain/errors.js';

const rules: Rules = {
  unit: 'KRW',
  total: 100000,
  per_person_max: 30000,
  denomination: 10000,
  partial: 'skip',
  groups: [{ name: 'senior', reserved: 20000 }],
  sites: [{ id: 's1', slots: [{ id: 'am', capacity: 5 }] }],
};
const entry = { public_id: 'A1', group: '', weight: 1, request: 10000, preferences: ['s1'] };

function throwsAt(t: import('ava').ExecutionContext, fn: () => unknown, path: string, message: RegExp) {
  const e = t.throws(fn, { instanceOf: DrawInputError });
  t.is(e?.path, path);
  t.regex(e?.message ?? '', message);
  t.true(e instanceof DomainError && e.code === 'validation_failed');
}

test('valid rules and roster pass through unchanged', (t) => {
  t.deepEqual(validateRules(rules), rules);
  t.deepEqual(validateRoster([entry], rules), [entry]);
});

test('rules errors name the path', (t) => {
  throwsAt(t, () => validateRules({ ...rules, total: -1 }), '$.total', /must be >= 0/);
  throwsAt(t, () => validateRules({ ...rules, denomination: 0 }), '$.denomination', /must be >= 1/);
  throwsAt(t, () => validateRules({ ...rules, per_person_max: 1.5 }), '$.per_person_max', /integer/);
  throwsAt(t, () => validateRules({ ...rules, partial: 'some' }), '$.partial', /one of "skip", "partial"/);
  throwsAt(t, () => validateRules({ ...rules, extra: 1 }), '$.extra', /not a known field/);
  throwsAt(
    t,
    () => validateRules({ ...rules, groups: [rules.groups[0], rules.groups[0]] }),
    '$.groups[1].name',
    /duplicate group/,
  );
  throwsAt(
    t,
    () => validateRules({ ...rules, sites: [{ id: 's1', slots: [{ id: 'am', capacity: -1 }] }] }),
    '$.sites[0].slots[0].capacity',
    /must be >= 0/,
  );
});

test('roster errors name the entry and field', (t) => {
  throwsAt(
    t,
    () => validateRoster([{ ...entry, request: 15000 }], rules),
    '$[0].request',
    /multiple of the denomination 10000/,
  );
  throwsAt(
    t,
    () => validateRoster([{ ...entry, preferences: ['nope'] }], rules),
    '$[0].preferences[0]',
    /names no site/,
  );
  throwsAt(
    t,
    () => validateRoster([{ ...entry, preferences: ['s1', 's1'] }], rules),
    '$[0].preferences[1]',
    /duplicate preference/,
  );
  throwsAt(t, () => validateRoster([{ ...entry, group: 'vip' }], rules), '$[0].group', /names no group/);
  throwsAt(t, () => validateRoster([{ ...entry, weight: 0 }], rules), '$[0].weight', /must be >= 1/);
  throwsAt(
    t,
    () => validateRoster([entry, { ...entry }], rules),
    '$[1].public_id',
    /duplicate public id "A1"/,
  );
  throwsAt(
    t,
    () => validateRoster([{ ...entry, public_id: '' }], rules),
    '$[0].public_id',
    /must not be empty/,
  );
  const { preferences: _, ...missing } = entry;
  throwsAt(t, () => validateRoster([missing], rules), '$[0].preferences', /is missing/);
  throwsAt(t, () => validateRoster([{ ...entry, note: 'x' }], rules), '$[0].note', /not a known field/);
});

test('values of the wrong kind are named at their path: null, an array, a number for a string', (t) => {
  throwsAt(t, () => validateRules(null), '$', /must be an object/);
  throwsAt(t, () => validateRules([rules]), '$', /must be an object/);
  throwsAt(t, () => validateRules({ ...rules, sites: 's1' }), '$.sites', /must be an array/);
  throwsAt(t, () => validateRoster([null], rules), '$[0]', /must be an object/);
  throwsAt(
    t,
    () => validateRoster([{ ...entry, public_id: 7 }], rules),
    '$[0].public_id',
    /must be a string/,
  );
  throwsAt(t, () => validateRoster({ 0: entry }, rules), '$', /must be an array/);
});

test('runDraw refuses a campaign without its title, or a beacon that is not text, before drawing', (t) => {
  const input = {
    campaign: { id: 'c', title: 't' },
    rules,
    roster: [entry],
    secret: new Uint8Array(32),
    beacon: 'b',
  };
  throwsAt(
    t,
    () => runDraw({ ...input, campaign: { id: 'c' } as never }),
    '$.campaign',
    /\{id: string, title: string\}/,
  );
  throwsAt(t, () => runDraw({ ...input, campaign: undefined as never }), '$.campaign', /\{id: string/);
  throwsAt(t, () => runDraw({ ...input, beacon: 42 as never }), '$.beacon', /must be a string/);
});

test('duplicates are rejected after sorting too, and runDraw refuses a short secret', (t) => {
  t.throws(() => sortRoster([entry, { ...entry, request: 20000 }]), { message: /duplicate public id "A1"/ });
  throwsAt(
    t,
    () =>
      runDraw({
        campaign: { id: 'c', title: 't' },
        rules,
        roster: [],
        secret: new Uint8Array(16),
        beacon: 'b',
      }),
    '$.secret',
    /32 bytes/,
  );
});
