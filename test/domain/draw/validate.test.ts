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
