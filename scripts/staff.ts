// npm run staff -- add --email someone@city.example --role admin|site_staff|auditor [--site PH-001] [--password ...]
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { addStaff } from '../src/commands/staffAccounts.js';
import { migrateLatest } from '../src/db/migrate.js';
import { DomainError } from '../src/domain/errors.js';
import { translator } from '../src/i18n/catalogue.js';
import { clock, fail, withDatabase } from './cli.js';

const USAGE =
  'usage: npm run staff -- add --email EMAIL --role admin|site_staff|auditor [--site SITE_ID] [--password PASSWORD]';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: 'string' },
    role: { type: 'string' },
    site: { type: 'string' },
    password: { type: 'string' },
  },
});
if (positionals[0] !== 'add') fail(USAGE);
const parsed = z
  .object({
    email: z.string().email('not an email address'),
    role: z.enum(['admin', 'site_staff', 'auditor']),
    site: z.string().optional(),
    password: z.string().min(12, 'at least 12 characters').optional(),
  })
  .safeParse(values);
if (!parsed.success)
  fail(`${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\n${USAGE}`);

await withDatabase(async (db, config) => {
  await migrateLatest(db);
  try {
    const { staff, loginToken } = await addStaff(
      { db, clock },
      { kind: 'system', name: 'cli' },
      {
        email: parsed.data.email,
        role: parsed.data.role,
        site_id: parsed.data.site,
        password: parsed.data.password,
      },
    );
    console.log(`added ${staff.role} ${staff.email}${staff.site_id ? ` at ${staff.site_id}` : ''}`);
    console.log(`one-time sign-in link (24 hours): ${config.publicUrl}/staff/login/${loginToken}`);
  } catch (err) {
    if (err instanceof DomainError) {
      // each field's fault in English: worded where it happened, or a key of the validation catalogue worded here
      const english = translator('en');
      const faults =
        err.fields ??
        (err.problems &&
          Object.fromEntries(err.problems.map((p) => [p.field, english(`validation.${p.key}`, p.params)])));
      fail(`${err.message}${faults ? `: ${JSON.stringify(faults)}` : ''}`, 1);
    }
    throw err;
  }
});
