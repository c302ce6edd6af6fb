import type { Pool, PoolConnection, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { StoreRecord } from '../../../ports/store-connector.ts';
import type { SqlSession } from './sql-connector.ts';
import type { Statement } from './statements.ts';

/** A MySQL or MariaDB session over a `mysql2` pool: each transaction on one connection, committed or rolled back whole. */
export class MysqlSession implements SqlSession {
  constructor(private readonly pool: Pool) {}

  async query(statement: Statement): Promise<{ rows: StoreRecord[]; affected: number }> {
    return run(this.pool, statement);
  }

  async transaction<T>(work: (session: Pick<SqlSession, 'query'>) => Promise<T>): Promise<T> {
    const connection = await this.pool.getConnection();
    try {
      await connection.beginTransaction();
      const result = await work({ query: (statement) => run(connection, statement) });
      await connection.commit();
      return result;
    } catch (error) {
      await connection.rollback().catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  }
}

async function run(connection: Pool | PoolConnection, statement: Statement): Promise<{ rows: StoreRecord[]; affected: number }> {
  // `query`, not `execute`: the statement's IN lists vary in length, and prepared statements would pile up.
  const [result] = await connection.query<RowDataPacket[] | ResultSetHeader>(statement.text, [...statement.values]);
  if (Array.isArray(result)) return { rows: result as StoreRecord[], affected: 0 };
  // Rows whose values were already right are matched but not changed: report the changed ones.
  return { rows: [], affected: result.affectedRows };
}
