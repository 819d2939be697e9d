// What the messages table and the admin's pages show of a recipient: enough to tell two apart, never the
// whole number or address.
import test from 'ava';
import fc from 'fast-check';
import { maskRecipient } from '../../src/notify/recipient.js';

test('a number keeps its country code and last four digits; an address its first letter and domain', (t) => {
  t.is(maskRecipient('+821012345678'), '+82******5678');
  t.is(maskRecipient('010-1234-5678'), '*******5678');
  t.is(maskRecipient('jisoo.kim@example.org'), 'j***@example.org');
  t.is(maskRecipient('1234'), '****', 'four digits or fewer: nothing shown');
  t.is(maskRecipient('+12'), '***');
});

test('any number, however short: its country code at most, hidden digits, then at most its last four', (t) => {
  t.is(maskRecipient('+1234'), '*1234', 'a short number with a plus: masked, not a crash');
  t.is(maskRecipient('+12345'), '+*2345');
  fc.assert(
    fc.property(fc.stringMatching(/^\+?\d{0,15}$/), (to) => {
      const masked = maskRecipient(to);
      const m = /^(\+?\d{0,2})(\**)(\d{0,4})$/.exec(masked);
      return (
        m !== null &&
        masked.length === to.length &&
        to.startsWith(m[1]!) &&
        to.endsWith(m[3]!) &&
        (to.length <= 4 ? m[2]!.length === to.length : m[2]!.length >= 1)
      );
    }),
  );
  t.pass();
});
