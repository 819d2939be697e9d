// One sealed format under DATA_KEY: identity data and queued messages are written alike, bound to what they are.
import { createCipheriv, randomBytes } from 'node:crypto';
import test from 'ava';
import { open, seal } from '../../src/crypto/seal.js';
import { decryptText, encryptText } from '../../src/identity/crypto.js';
import { openRecipient, openText, sealRecipient, sealText } from '../../src/notify/recipient.js';
import { TEST_SECRETS } from '../helpers/app.js';

const key = TEST_SECRETS.dataKey;

test('contacts and message recipients are sealed in the same versioned format', (t) => {
  for (const sealed of [
    encryptText(TEST_SECRETS, '+821012345678', 'contact'),
    sealRecipient('+821012345678', key),
    sealText('code 123456', key),
  ]) {
    t.regex(sealed, /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]{22}$/);
  }
  t.is(openRecipient(sealRecipient('a@example.org', key), key), 'a@example.org');
  t.is(openText(sealText('code 123456', key), key), 'code 123456');
  t.is(decryptText(TEST_SECRETS, encryptText(TEST_SECRETS, 'x', 'contact'), 'contact'), 'x');
});

test('a value sealed for one use does not open as another', (t) => {
  t.throws(() => openText(sealRecipient('+821012345678', key), key));
  t.throws(() => open(key, seal(key, 'x', 'contact'), 'birth-date'));
});

test('a message sealed in the older unversioned layout (nonce | tag | ciphertext) still opens', (t) => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from('message-recipient:v1'));
  const body = Buffer.concat([cipher.update('+821012345678', 'utf8'), cipher.final()]);
  const legacy = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  t.is(openRecipient(legacy, key), '+821012345678');
  t.throws(() => openText(legacy, key));
});
