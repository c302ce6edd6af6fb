import type { Pool, PoolClient } from 'pg';
import type { StoreRecord } from '../../../ports/store-connector.ts';
import type { SqlSession } from './sql-connector.ts';
import type { Statement } from './statements.ts';

/** A PostgreSQL session over a `pg` pool: each transaction on one client, committed or rolled back whole. */
export class PgSession implements SqlSession {
  constructor(private readonly pool: Pool) {}

  async query(statement: Statement): Promise<{ rows: StoreRecord[]; affected: number }> {
    return run(this.pool, statement);
  }

  async transaction<T>(work: (session: Pick<SqlSession, 'query'>) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work({ query: (statement) => run(client, statement) });
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

async function run(client: Pool | PoolClient, statement: Statement): Promise<{ rows: StoreRecord[]; affected: number }> {
  const result = await client.query(statement.text, [...statement.values]);
  return { rows: result.rows as StoreRecord[], affected: result.rowCount ?? 0 };
}
