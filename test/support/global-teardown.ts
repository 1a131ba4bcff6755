import { TEMPLATE_ENV, withAdminClient } from './services';

export default async function globalTeardown(): Promise<void> {
  const template = process.env[TEMPLATE_ENV];
  if (template) {
    await withAdminClient(async (client) => {
      const { rows } = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname IN ($1::text, $1::text || '_building') OR datname LIKE $2::text`,
        [template, `${template.replace('fh_template_', 'fh_t_')}%`],
      );
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    });
  }
  for (const container of globalThis.__FH_CONTAINERS__ ?? []) await container.stop();
}
