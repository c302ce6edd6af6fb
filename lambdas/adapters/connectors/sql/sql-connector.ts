import { clearedColumns, eraseOrder, isLinkedTable, readOrder, type SqlEngine, type SqlTable } from '../../../domain/sql-store.ts';
import type { Correction } from '../../../domain/request.ts';
import type {
  AmendResult,
  AttributeChange,
  CollectResult,
  EraseResult,
  StoreConnector,
  StoreRecord,
  Subject,
  VerifyResult,
} from '../../../ports/store-connector.ts';
import { deleteRows, selectRows, updateRows, type Statement } from './statements.ts';

/** What the connector needs of a database: statements, and a transaction that commits or rolls back as a whole. */
export interface SqlSession {
  query(statement: Statement): Promise<{ rows: StoreRecord[]; affected: number }>;
  transaction<T>(work: (session: Pick<SqlSession, 'query'>) => Promise<T>): Promise<T>;
}

export interface SqlStoreShape {
  readonly id: string;
  readonly engine: SqlEngine;
  readonly tables: readonly SqlTable[];
}

/** A stored value equal to the one to write: MySQL stores booleans as 0 and 1. */
const sameValue = (stored: unknown, value: unknown) => stored === value || (typeof value === 'boolean' && stored === (value ? 1 : 0));

/** The subject's rows, table by table, each table reached from its identity column or the rows it links to. */
type FoundRows = Map<SqlTable, StoreRecord[]>;

/**
 * A relational store. Rows are found from the subject's identities and followed along the
 * catalog's links to any depth; erasure changes every table in one transaction, children before
 * parents, then reads again to prove nothing of the subject is left.
 */
export class SqlConnector implements StoreConnector {
  constructor(
    private readonly store: SqlStoreShape,
    private readonly session: SqlSession,
  ) {}

  async collect(subject: Subject): Promise<CollectResult> {
    const found = await this.find(this.session, subject);
    return { records: [...found].flatMap(([table, rows]) => rows.map((row) => ({ table: table.name, ...row }))) };
  }

  async count(subject: Subject): Promise<number> {
    const found = await this.find(this.session, subject);
    return [...found.values()].reduce((total, rows) => total + rows.length, 0);
  }

  async amend(subject: Subject, _changes: readonly AttributeChange[], corrections: readonly Correction[]): Promise<AmendResult> {
    return this.setColumns(subject, (table) =>
      Object.fromEntries(corrections.flatMap((correction) => (table.fields?.[correction.field] ? [[table.fields[correction.field]!, correction.value]] : []))),
    );
  }

  /** Records an objection to direct marketing: the declared consent columns set, in every table that holds them. */
  async optOut(subject: Subject): Promise<AmendResult> {
    return this.setColumns(subject, (table) => table.marketingOptOut ?? {});
  }

  /**
   * Sets each table's `columnsOf` on the subject's rows, in one transaction. Rows already holding
   * the values count as matched, not updated.
   */
  private async setColumns(subject: Subject, columnsOf: (table: SqlTable) => Readonly<Record<string, unknown>>): Promise<AmendResult> {
    return this.session.transaction(async (session) => {
      const found = await this.find(session, subject);
      let matched = 0;
      let updated = 0;
      for (const [table, rows] of found) {
        const columns = columnsOf(table);
        if (Object.keys(columns).length === 0 || rows.length === 0) continue;
        matched += rows.length;
        const stale = rows.filter((row) => Object.entries(columns).some(([column, value]) => !sameValue(row[column], value)));
        if (stale.length === 0) continue;
        const keys = stale.map((row) => row[table.primaryKey]);
        updated += (await session.query(updateRows(this.store.engine, table, keys, columns))).affected;
      }
      return { matched, updated };
    });
  }

  async erase(subject: Subject): Promise<EraseResult> {
    return this.session.transaction(async (session) => {
      const found = await this.find(session, subject);
      const result = { matched: 0, deleted: 0, anonymized: 0, retained: 0 };
      for (const table of eraseOrder(this.store.tables)) {
        const rows = found.get(table) ?? [];
        if (rows.length === 0) continue;
        result.matched += rows.length;
        const keys = rows.map((row) => row[table.primaryKey]);
        const erasure = table.erasure;
        if (erasure.strategy === 'delete') {
          result.deleted += (await session.query(deleteRows(this.store.engine, table, keys))).affected;
          continue;
        }
        const emptied = clearedColumns(table);
        if (emptied.length > 0) await session.query(updateRows(this.store.engine, table, keys, Object.fromEntries(emptied.map((column) => [column, null]))));
        if (erasure.strategy === 'anonymize') result.anonymized += rows.length;
        else result.retained += rows.length;
      }
      return result;
    });
  }

  /** Rows still found after erasure, beyond those kept on purpose: deleted tables must be empty, emptied columns NULL. */
  async verifyErased(subject: Subject): Promise<VerifyResult> {
    const found = await this.find(this.session, subject);
    let remaining = 0;
    for (const [table, rows] of found) {
      if (table.erasure.strategy === 'delete') remaining += rows.length;
      else remaining += rows.filter((row) => clearedColumns(table).some((column) => row[column] !== null && row[column] !== undefined)).length;
    }
    return { remaining };
  }

  /** Every table's rows of the subject: roots by identity, then each linked table from its parent's rows. */
  private async find(session: Pick<SqlSession, 'query'>, subject: Subject): Promise<FoundRows> {
    const found: FoundRows = new Map();
    const byName = new Map(this.store.tables.map((table) => [table.name, table]));
    for (const table of readOrder(this.store.tables)) {
      const finder = table.find;
      const values = isLinkedTable(finder)
        ? [
            ...new Set(
              (found.get(byName.get(finder.references.table)!) ?? [])
                .map((row) => row[finder.references.column])
                .filter((value) => value !== null && value !== undefined),
            ),
          ]
        : [...(subject.keys[finder.identity] ?? [])];
      if (values.length === 0) {
        found.set(table, []);
        continue;
      }
      const caseInsensitive = !isLinkedTable(finder) && finder.identity === 'email';
      found.set(table, (await session.query(selectRows(this.store.engine, table, values, caseInsensitive))).rows);
    }
    return found;
  }
}
