// Canonical JSON refuses an object whose keys differ only until NFC normalisation (docs/draw-v1.md: strings are
// NFC-normalised before use): written out, they would be one key twice, which no reader can take back unambiguously.
import test from 'ava';
import { canonicalJson } from '../../src/domain/canonical.js';

test('keys equal after NFC are refused, naming the key and where it is', (t) => {
  const composed = 'Caf\u00e9';
  const decomposed = 'Cafe\u0301';
  t.not(composed, decomposed);
  for (const strict of [false, true]) {
    const err = t.throws(() => canonicalJson({ rules: { [composed]: 1, [decomposed]: 2 } }, { strict }), {
      instanceOf: TypeError,
    });
    t.regex(err!.message, /same key after NFC normalisation/);
    t.regex(err!.message, /\$\.rules/);
    t.true(err!.message.includes(JSON.stringify(composed)));
  }
  // In an array, each object is judged on its own keys.
  t.is(canonicalJson([{ [composed]: 1 }, { [decomposed]: 2 }]), `[{"${composed}":1},{"${composed}":2}]`);
});

test('an NFD key alone is written in NFC and sorted as before', (t) => {
  t.is(canonicalJson({ b: 1, 'Cafe\u0301': 'e\u0301', a: [2] }), '{"Caf\u00e9":"\u00e9","a":[2],"b":1}');
});
