// What an application came to, read from its award row alone (the result page, its API, SMS STATUS and the
// audit lookup share it), what the award holds now, and what to bring to the counter.
import test from 'ava';
import type { PriorityGroup } from '../../src/domain/campaign.js';
import { type AwardFacts, heldOf, mapUrl, resultKind, whatToBring } from '../../src/domain/result.js';

const passDown = { state: 'claiming', unclaimed_policy: 'pass_down' } as const;

test('each award status reads as one result; a waitlist is only a hope while it can still move', (t) => {
  const rows: [AwardFacts['status'] | undefined, ReturnType<typeof resultKind>][] = [
    [undefined, 'not_in_draw'],
    ['won', 'won'],
    ['promoted', 'won'],
    ['collected', 'collected'],
    ['expired', 'expired'],
    ['refused', 'refused'],
    ['waitlisted', 'waitlisted'],
  ];
  for (const [status, kind] of rows) t.is(resultKind(status && { status }, passDown), kind, String(status));
  t.is(resultKind({ status: 'waitlisted' }, { ...passDown, state: 'finished' }), 'lost', 'collection ended');
  t.is(resultKind({ status: 'waitlisted' }, { ...passDown, unclaimed_policy: 'return' }), 'lost');
});

test('an award passed down holds what was passed, not the draw result', (t) => {
  const drawn: AwardFacts = {
    outcome: 'waitlisted',
    status: 'waitlisted',
    amount: 0,
    site: '',
    slot: '',
    waitlist: 3,
    held_amount: null,
    held_site: null,
    held_slot: null,
    promoted_from_rank: null,
  };
  t.deepEqual(heldOf(drawn), { amount: 0, site: '', slot: '', promoted: false });
  const passed = {
    ...drawn,
    status: 'promoted' as const,
    held_amount: 2,
    held_site: 'north',
    held_slot: 'am',
  };
  t.deepEqual(heldOf(passed), { amount: 2, site: 'north', slot: 'am', promoted: true });
  // collected after being passed down: still what was passed (a voucher holds no site or slot)
  const voucher = { ...drawn, status: 'collected' as const, held_amount: 50_000, promoted_from_rank: 12 };
  t.deepEqual(heldOf(voucher), { amount: 50_000, site: '', slot: '', promoted: true });
});

test('what to bring matches what the counter checks', (t) => {
  const groups: PriorityGroup[] = [
    { name: 'senior', check: 'age', min_age: 65, reserved: 0, weight: 1 },
    { name: 'basic', check: 'list', reserved: 0, weight: 1 },
    { name: 'family', name_ko: '다자녀', proof_ko: '가족관계증명서', reserved: 0, weight: 1 },
    { name: 'vet', reserved: 0, weight: 1 },
  ];
  const goods = { kind: 'goods' as const, groups };
  const bring = (group: string, birthDateSource: 'provider' | 'declared' | null, groupSource = null) =>
    whatToBring(goods, { group, birthDateSource, groupSource });
  t.deepEqual(
    whatToBring({ kind: 'voucher', groups }, { group: 'family', birthDateSource: null, groupSource: null }),
    [],
  );
  t.deepEqual(bring('', 'provider'), [{ kind: 'claim_code' }, { kind: 'id_card', declaredBirthDate: false }]);
  t.deepEqual(
    bring('', null)[1],
    { kind: 'id_card', declaredBirthDate: true },
    'no recorded source: checked',
  );
  t.is(bring('senior', 'declared').length, 2, 'an age group is proven by the ID card');
  t.is(whatToBring(goods, { group: 'basic', birthDateSource: 'provider', groupSource: 'list' }).length, 2);
  t.deepEqual(bring('family', 'provider')[2], {
    kind: 'group_proof',
    group: 'family',
    name_ko: '다자녀',
    name_en: '다자녀',
    proof_ko: '가족관계증명서',
    proof_en: '가족관계증명서',
  });
  t.deepEqual(bring('vet', 'provider')[2], {
    kind: 'group_proof',
    group: 'vet',
    name_ko: 'vet',
    name_en: 'vet',
    proof_ko: '',
    proof_en: '',
  });
});

test('a map link by position when known, else by address and name, else none', (t) => {
  t.is(
    mapUrl({ name_ko: '북부센터', address: '서울 노원구', lat: 37.65, lng: 127.06 }),
    'https://www.openstreetmap.org/?mlat=37.65&mlon=127.06#map=18/37.65/127.06',
  );
  t.is(
    mapUrl({ name_ko: '북부센터', address: '서울 노원구', lat: 37.65, lng: null }),
    `https://map.naver.com/p/search/${encodeURIComponent('서울 노원구 북부센터')}`,
  );
  t.is(mapUrl({ name_ko: '북부센터', address: '' }), undefined);
});
