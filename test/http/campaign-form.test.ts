// The admin campaign form's error mapping: schema and domain field paths become the form field that shows them,
// with the table row or slot named, in the order the fields appear on the page.
import test from 'ava';
import { bodyFromForm, formErrors } from '../../src/http/routes/campaigns/form.js';

test('each error lands on the field that shows it, rows and slots named, in page order', (t) => {
  const out = formErrors(
    {
      slots: 'Slot capacities add up to 5, but the stock is 10',
      'slots.0.capacity': 'Capacity must be a multiple of the denomination',
      'verification_methods.0': 'Unknown method',
      'groups.1.weight': 'Must be at least 1',
      'groups.4': 'Not a group',
      'eligibility.birth_year_rotation': 'Must be on or off',
      'eligibility.min_age': 'Too young',
      eligibility: 'Not an object',
      total: 'The total must be a multiple of the denomination',
      code: 'Taken',
      nonsense: 'A field the form does not have',
    },
    { groups: [1, 3], slots: [] },
  );
  t.deepEqual(out, {
    code: 'Taken',
    total: 'The total must be a multiple of the denomination',
    regions: 'Not an object',
    min_age: 'Too young',
    birth_year_rotation: 'Must be on or off',
    // the second parsed group came from table row 3; an index past the rows counts from 1
    groups: 'Row 3 (weight): Must be at least 1\nRow 5: Not a group',
    verify_sms: 'Unknown method',
    slots:
      'Slot capacities add up to 5, but the stock is 10\nSlot 1 (capacity): Capacity must be a multiple of the denomination',
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

test('without row numbers, the index counts from one', (t) => {
  t.deepEqual(formErrors({ 'groups.0.name': 'Group names must be unique' }), {
    groups: 'Row 1 (name): Group names must be unique',
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
