// Declared facts: whether an applicant may claim a priority group and on what ground, and what the counter
// staff must check before handing over (a provider's or a list's word needs no check; anything else does).
import test from 'ava';
import type { PriorityGroup } from '../../src/domain/campaign.js';
import { counterChecks, groupStanding } from '../../src/domain/facts.js';

const now = new Date('2026-05-04T03:00:00Z'); // 12:00 in Seoul
const zone = 'Asia/Seoul';
const seniors: PriorityGroup = { name: 'senior', check: 'age', min_age: 65, reserved: 0, weight: 1 };
const listed: PriorityGroup = { name: 'basic', check: 'list', name_ko: '수급자', reserved: 0, weight: 1 };
const declared: PriorityGroup = { name: 'family', name_en: 'Large family', reserved: 0, weight: 1 };

test('an age group rests on the birth date: a provider settles it, a declared one is checked', (t) => {
  const from = (birth_date: string | undefined, src?: 'provider' | 'declared') =>
    groupStanding(seniors, { birth_date, birth_date_source: src }, false, now, zone);
  t.deepEqual(from('1961-05-04', 'provider'), { source: 'provider' }, '65 today');
  t.deepEqual(from('1961-05-04', 'declared'), { source: 'declared' });
  t.deepEqual(from('1961-05-04'), { source: 'declared' }, 'a birth date of unknown origin is declared');
  t.deepEqual(from('1961-05-05', 'provider'), {
    refusal: { reason: 'group_too_young', group: seniors, min_age: 65 },
  });
  t.deepEqual(from(undefined), { refusal: { reason: 'birth_date_required' } });
});

test('a list group needs the list; a declared group takes the word', (t) => {
  const who = { birth_date: undefined, birth_date_source: undefined };
  t.deepEqual(groupStanding(listed, who, true, now, zone), { source: 'list' });
  t.deepEqual(groupStanding(listed, who, false, now, zone), {
    refusal: { reason: 'group_not_listed', group: listed },
  });
  t.deepEqual(groupStanding(declared, who, false, now, zone), { source: 'declared' });
});

test('counter checks: what came from a provider or a list is not checked, the rest is, with its proof', (t) => {
  t.deepEqual(
    counterChecks({ birth_date: '1950-01-02', birth_date_source: 'provider' }, seniors, 'provider'),
    [
      { kind: 'birth_year', birth_year: 1950, source: 'provider', check: false },
      {
        kind: 'group',
        group: 'senior',
        label_ko: 'senior',
        label_en: 'senior',
        source: 'provider',
        proof_ko: '신분증 (생년월일)',
        proof_en: 'ID card (birth date)',
        check: false,
      },
    ],
  );
  // Nothing recorded about where the facts came from: the staff check them.
  const unknown = counterChecks({ birth_date: '1950-01-02', birth_date_source: null }, declared, null);
  t.deepEqual(unknown[0], { kind: 'birth_year', birth_year: 1950, source: 'declared', check: true });
  t.like(unknown[1], { source: 'declared', check: true });
  // A group that names no proof: its own name is the proof asked for, in each language.
  t.like(unknown[1], { proof_ko: 'Large family 증빙', proof_en: 'proof of Large family' });
  const proven = { ...declared, proof_ko: '다자녀 확인서', proof_en: 'Large-family certificate' };
  t.like(counterChecks({ birth_date: null, birth_date_source: null }, proven, 'declared')[0], {
    kind: 'group',
    proof_ko: '다자녀 확인서',
    proof_en: 'Large-family certificate',
    check: true,
  });
  t.like(counterChecks({ birth_date: null, birth_date_source: null }, listed, 'list')[0], {
    label_ko: '수급자',
    source: 'list',
    check: false,
  });
  t.deepEqual(counterChecks({ birth_date: null, birth_date_source: null }, undefined, null), []);
});
