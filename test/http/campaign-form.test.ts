// The admin campaign form's error mapping: schema and domain field paths become the form field that shows them,
// with the table row or slot named, in the order the fields appear on the page.
import test from 'ava';
import { bodyFromForm, formErrors } from '../../src/http/routes/campaigns/form.js';
import { translator } from '../../src/i18n/catalogue.js';

const en = translator('en');
const ko = translator('ko');

test('each error lands on the field that shows it, rows and slots named, in page order', (t) => {
  const out = formErrors(
    [
      { field: 'slots', key: 'slot_capacities_total', params: { capacity: 5, total: 10 } },
      { field: 'slots.0.capacity', key: 'slot_capacity_multiple' },
      { field: 'verification_methods.0', key: 'one_of', params: { values: 'sms, oidc' } },
      { field: 'groups.1.weight', key: 'at_least', params: { min: 1 } },
      { field: 'groups.4', key: 'invalid' },
      { field: 'eligibility.birth_year_rotation', key: 'invalid' },
      { field: 'eligibility.min_age', key: 'at_most', params: { max: 150 } },
      { field: 'eligibility', key: 'invalid' },
      { field: 'total', key: 'total_multiple' },
      { field: 'total', key: 'at_most', params: { max: 1_000_000_000_000 } },
      { field: 'code', key: 'campaign_code_taken' },
      { field: 'nonsense', key: 'A field the form does not have' },
    ],
    en,
    'en',
    { groups: [1, 3], slots: [] },
  );
  t.deepEqual(out, {
    code: 'This code is already used by another campaign',
    // every fault of a field, one line each, numbers grouped as the reader writes them
    total: 'The total must be a multiple of the denomination\nMust be at most 1,000,000,000,000',
    regions: 'Not valid',
    min_age: 'Must be at most 150',
    birth_year_rotation: 'Not valid',
    // the second parsed group came from table row 3; an index past the rows counts from 1
    groups: 'Row 3 (Weight): Must be at least 1\nRow 5: Not valid',
    verify_sms: 'Must be one of: sms, oidc',
    slots:
      'Slot capacities add up to 5, but the stock is 10\nSlot 1 (Capacity): Capacity must be a multiple of the denomination',
    _: 'A field the form does not have',
  });
  t.deepEqual(Object.keys(out), [
    'code',
    'total',
    'regions',
    'min_age',
    'birth_year_rotation',
    'groups',
    'verify_sms',
    'slots',
    '_',
  ]);
});

test('without row numbers, the index counts from one; a Korean page reads Korean', (t) => {
  t.deepEqual(formErrors([{ field: 'groups.0.name', key: 'group_name_unique' }], ko, 'ko'), {
    groups: '1번째 줄 (키): 그룹 키가 겹칩니다. 그룹마다 다른 키를 적어 주세요.',
  });
});

test('the form body: ticked ways to verify, the current slots kept as they are, blank rows and texts left out', (t) => {
  const slot = {
    id: 'AM',
    site_id: 'PH-1',
    starts_at: new Date('2026-12-05T00:00:00Z'),
    ends_at: new Date('2026-12-05T03:00:00Z'),
    capacity: 40,
  };
  const { body, lineOf } = bodyFromForm(
    {
      code: 'MASK1',
      description_ko: '',
      verify_sms: 'on',
      verify_portone: 'on',
      group_0_name: '',
      group_0_check: 'declared',
      group_1_name: 'senior',
      group_1_reserved: '10',
      group_1_check: 'age',
      group_1_min_age: '65',
      regions: '중구, 동구\n서구',
    },
    [slot, { ...slot, id: 'PM', capacity: 60 }],
  );
  t.deepEqual(body.verification_methods, ['sms', 'portone']);
  t.deepEqual(body.slots, [
    { ...slot, starts_at: '2026-12-05T00:00:00.000Z', ends_at: '2026-12-05T03:00:00.000Z' },
    {
      ...slot,
      id: 'PM',
      capacity: 60,
      starts_at: '2026-12-05T00:00:00.000Z',
      ends_at: '2026-12-05T03:00:00.000Z',
    },
  ]);
  t.deepEqual(lineOf, { groups: [2], slots: [1, 2] });
  t.deepEqual(body.groups, [{ name: 'senior', reserved: '10', check: 'age', min_age: '65' }]);
  t.false('description_ko' in body, 'an empty optional text takes the default');
  t.deepEqual((body.eligibility as { regions: string[] }).regions, ['중구', '동구', '서구']);
  t.false('verification_methods' in bodyFromForm({ code: 'X' }).body, 'none ticked: the default methods');
});
