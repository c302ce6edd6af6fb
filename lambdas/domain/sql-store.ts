import type { CorrectableField } from './request.ts';

/**
 * A relational store (PostgreSQL or MySQL, on RDS or Aurora): the tables that hold a subject and
 * how each is reached. Root tables are found by an identity column (`customers.email`); the others
 * by a link to rows already found (`orders.customer_id → customers.id`,
 * `order_lines.order_id → orders.id`), followed to any depth. Only the catalog names tables and
 * columns: every value travels as a query parameter.
 */
export type SqlEngine = 'postgres' | 'mysql';

/** An identity column (email, matched case-insensitively), or a link to another declared table's rows. */
export type SqlRowFinder =
  | { readonly identity: string; readonly column: string }
  | { readonly column: string; readonly references: { readonly table: string; readonly column: string } };

/**
 * What erasure does to one table's rows of the subject:
 * - `delete`: the rows go (children before parents, in one transaction);
 * - `anonymize`: the rows stay, the listed columns are set to NULL (statistics keep their shape);
 * - `retain`: a law requires keeping them; `clearColumns` the law does not need are set to NULL.
 */
export type SqlTableErasure =
  | { readonly strategy: 'delete' }
  | { readonly strategy: 'anonymize'; readonly columns: readonly string[] }
  | { readonly strategy: 'retain'; readonly legalBasis: string; readonly retentionPeriod: string; readonly clearColumns?: readonly string[] };

export interface SqlTable {
  /** `customers`, or schema-qualified `sales.customers`. */
  readonly name: string;
  readonly primaryKey: string;
  readonly find: SqlRowFinder;
  /** Requester-facing field → this table's column, for amendments. */
  readonly fields?: Readonly<Partial<Record<CorrectableField, string>>>;
  /** The column values that record an objection to direct marketing (Art. 21), for tables that hold consent. */
  readonly marketingOptOut?: Readonly<Record<string, string | number | boolean>>;
  readonly erasure: SqlTableErasure;
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;
const column = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export const isLinkedTable = (finder: SqlRowFinder): finder is Extract<SqlRowFinder, { references: unknown }> => 'references' in finder;

/** The columns a table's erasure empties (NULL), whichever strategy. */
export const clearedColumns = (table: SqlTable): readonly string[] =>
  table.erasure.strategy === 'anonymize' ? table.erasure.columns : table.erasure.strategy === 'retain' ? (table.erasure.clearColumns ?? []) : [];

/**
 * Every problem with a store's tables, named, before anything runs: identifiers that could not be
 * quoted safely, links to tables not declared, cycles, tables no identity reaches, and erasures
 * that would break a foreign key (a parent deleted while a linked child stays, a key or link
 * column emptied).
 */
export function sqlTableProblems(storeId: string, tables: readonly SqlTable[], identities: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const where = (table: SqlTable) => `store "${storeId}", table "${table.name}"`;
  const byName = new Map(tables.map((table) => [table.name, table]));
  if (tables.length === 0) problems.push(`store "${storeId}" declares no tables`);
  if (byName.size !== tables.length) problems.push(`store "${storeId}" declares a table twice`);
  for (const table of tables) {
    if (!identifier.test(table.name)) problems.push(`${where(table)}: the name must be a plain identifier (letters, digits, _), optionally schema-qualified`);
    const columns = [
      table.primaryKey,
      table.find.column,
      ...Object.values(table.fields ?? {}),
      ...Object.keys(table.marketingOptOut ?? {}),
      ...clearedColumns(table),
    ];
    for (const name of columns) if (!column.test(name)) problems.push(`${where(table)}: column "${name}" must be a plain identifier (letters, digits, _)`);
    if (isLinkedTable(table.find)) {
      const parent = byName.get(table.find.references.table);
      if (!parent) problems.push(`${where(table)}: links to table "${table.find.references.table}", which the store does not declare`);
      else if (!column.test(table.find.references.column))
        problems.push(`${where(table)}: column "${table.find.references.column}" must be a plain identifier`);
      else if (parent.erasure.strategy === 'delete' && table.erasure.strategy !== 'delete') {
        problems.push(
          `${where(table)}: its rows would stay (${table.erasure.strategy}) while the "${parent.name}" rows they reference are deleted, breaking the foreign key; delete them too, or keep the parent`,
        );
      }
      const emptied = clearedColumns(table);
      if (emptied.includes(table.find.column)) problems.push(`${where(table)}: erasure cannot empty the link column "${table.find.column}"`);
    } else if (!identities.has(table.find.identity)) {
      problems.push(`${where(table)}: found by identity "${table.find.identity}", which no resolver provides`);
    }
    if (clearedColumns(table).includes(table.primaryKey)) problems.push(`${where(table)}: erasure cannot empty the primary key "${table.primaryKey}"`);
    for (const child of tables) {
      // A referenced column another table links by must survive that table's erasure.
      if (isLinkedTable(child.find) && child.find.references.table === table.name && clearedColumns(table).includes(child.find.references.column)) {
        problems.push(`${where(table)}: erasure cannot empty "${child.find.references.column}", which "${child.name}" links by`);
      }
    }
  }
  if (problems.length === 0) {
    try {
      readOrder(tables);
    } catch (error) {
      problems.push(`store "${storeId}": ${(error as Error).message}`);
    }
  }
  return problems;
}

/** Tables in the order rows are found: every table after the one it links to. Throws on a cycle. */
export function readOrder(tables: readonly SqlTable[]): SqlTable[] {
  const ordered: SqlTable[] = [];
  const placed = new Set<string>();
  let remaining = [...tables];
  while (remaining.length > 0) {
    const ready = remaining.filter((table) => !isLinkedTable(table.find) || placed.has(table.find.references.table));
    if (ready.length === 0) throw new Error(`the links between ${remaining.map((table) => `"${table.name}"`).join(', ')} form a cycle`);
    for (const table of ready) {
      ordered.push(table);
      placed.add(table.name);
    }
    remaining = remaining.filter((table) => !placed.has(table.name));
  }
  return ordered;
}

/** Tables in the order erasure changes them: children before the parents they reference. */
export const eraseOrder = (tables: readonly SqlTable[]): SqlTable[] => readOrder(tables).reverse();
