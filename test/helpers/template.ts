import pg from 'pg';

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Creates (or recreates) the template database and lets `migrate` fill it. */
export async function prepareTemplate(
  adminUrl: string,
  template: string,
  migrate: (url: string) => Promise<void>,
) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${template}"`);
  } finally {
    await client.end();
  }
  await migrate(withDatabase(adminUrl, template));
}
