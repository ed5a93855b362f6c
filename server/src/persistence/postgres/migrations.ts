/**
 * The PostgreSQL schema: the migrations of ../schema.ts in PostgreSQL's dialect (BIGINT
 * milliseconds, BOOLEAN flags, identity columns). Several server processes may
 * start at once against one database: each migrates inside a transaction holding an advisory
 * lock, so exactly one applies each step and the others find it done.
 */
import type { PoolClient } from 'pg';
import { POSTGRES } from '../dialect.ts';
import { migrationsFor } from '../schema.ts';

/** Any constant of our own: the key of the advisory lock that serialises migrations. */
const MIGRATION_LOCK = 0x4845_4953; // "HEIS"

const MIGRATIONS = migrationsFor(POSTGRES);

/** Brings the schema up to `target` (every migration, unless a test builds an older database). */
export async function migrate(client: Pick<PoolClient, 'query'>, target = MIGRATIONS.length): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS heist_schema (version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM heist_schema');
    let version = rows[0]?.version ?? 0;
    if (rows.length === 0) await client.query('INSERT INTO heist_schema (version) VALUES (0)');
    for (; version < target; version++) {
      await client.query(MIGRATIONS[version]!);
      await client.query('UPDATE heist_schema SET version = $1', [version + 1]);
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  }
}
