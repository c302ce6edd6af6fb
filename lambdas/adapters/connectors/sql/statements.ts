import type { SqlEngine, SqlTable } from '../../../domain/sql-store.ts';

/** One parameterized statement: identifiers come from the catalog, quoted; every value is a parameter. */
export interface Statement {
  readonly text: string;
  readonly values: readonly unknown[];
}

interface Dialect {
  /** An identifier as the engine quotes it: the quote character doubled inside. */
  readonly quote: (name: string) => string;
  /** The n-th parameter (1-based). */
  readonly parameter: (index: number) => string;
}

const dialects: Readonly<Record<SqlEngine, Dialect>> = {
  postgres: { quote: (name) => `"${name.replaceAll('"', '""')}"`, parameter: (index) => `$${index}` },
  mysql: { quote: (name) => `\`${name.replaceAll('`', '``')}\``, parameter: () => '?' },
};

/** `sales.customers` → `"sales"."customers"`: each part quoted on its own. */
const qualified = (dialect: Dialect, name: string) => name.split('.').map(dialect.quote).join('.');

/** `IN ($1, $2)` for the values, numbered from `first`. */
const inList = (dialect: Dialect, count: number, first = 1, wrap = (parameter: string) => parameter) =>
  `(${Array.from({ length: count }, (_, index) => wrap(dialect.parameter(first + index))).join(', ')})`;

/**
 * The rows of `table` whose find column holds one of `values`. An email is matched
 * case-insensitively (`lower()` on both sides): "Jane.Doe@Example.com" finds jane.doe@example.com.
 */
export function selectRows(engine: SqlEngine, table: SqlTable, values: readonly unknown[], caseInsensitive: boolean): Statement {
  const dialect = dialects[engine];
  const found = dialect.quote(table.find.column);
  const condition = caseInsensitive
    ? `lower(${found}) IN ${inList(dialect, values.length, 1, (parameter) => `lower(${parameter})`)}`
    : `${found} IN ${inList(dialect, values.length)}`;
  return { text: `SELECT * FROM ${qualified(dialect, table.name)} WHERE ${condition}`, values };
}

/** Sets `columns` (NULL for null) on the rows with these primary keys; counts what changed where the engine can. */
export function updateRows(engine: SqlEngine, table: SqlTable, keys: readonly unknown[], columns: Readonly<Record<string, unknown>>): Statement {
  const dialect = dialects[engine];
  const names = Object.keys(columns);
  const assignments = names.map((name, index) => `${dialect.quote(name)} = ${dialect.parameter(index + 1)}`).join(', ');
  return {
    text: `UPDATE ${qualified(dialect, table.name)} SET ${assignments} WHERE ${dialect.quote(table.primaryKey)} IN ${inList(dialect, keys.length, names.length + 1)}`,
    values: [...names.map((name) => columns[name]), ...keys],
  };
}

export function deleteRows(engine: SqlEngine, table: SqlTable, keys: readonly unknown[]): Statement {
  const dialect = dialects[engine];
  return { text: `DELETE FROM ${qualified(dialect, table.name)} WHERE ${dialect.quote(table.primaryKey)} IN ${inList(dialect, keys.length)}`, values: keys };
}
