import { describe, expect, it } from 'vitest';
import { deleteRows, selectRows, updateRows } from '../../lambdas/adapters/connectors/sql/statements.ts';
import { eraseOrder, readOrder, sqlTableProblems, type SqlTable } from '../../lambdas/domain/sql-store.ts';

const customers: SqlTable = { name: 'customers', primaryKey: 'id', find: { identity: 'email', column: 'email' }, erasure: { strategy: 'delete' } };
const orders: SqlTable = {
  name: 'orders',
  primaryKey: 'id',
  find: { column: 'customer_id', references: { table: 'customers', column: 'id' } },
  erasure: { strategy: 'delete' },
};
const lines: SqlTable = {
  name: 'order_lines',
  primaryKey: 'id',
  find: { column: 'order_id', references: { table: 'orders', column: 'id' } },
  erasure: { strategy: 'delete' },
};
const identities = new Set(['email', 'customerId']);

describe('the tables of a SQL store', () => {
  it('are read parents first and erased children first, to any depth', () => {
    expect(readOrder([lines, orders, customers]).map((table) => table.name)).toEqual(['customers', 'orders', 'order_lines']);
    expect(eraseOrder([customers, lines, orders]).map((table) => table.name)).toEqual(['order_lines', 'orders', 'customers']);
  });

  it('accept a sound declaration', () => {
    expect(sqlTableProblems('shop', [customers, orders, lines], identities)).toEqual([]);
  });

  it('refuse links that do not resolve, cycles, and identities no resolver gives', () => {
    expect(sqlTableProblems('shop', [orders], identities)).toEqual([
      'store "shop", table "orders": links to table "customers", which the store does not declare',
    ]);
    const a: SqlTable = { ...orders, name: 'a', find: { column: 'b_id', references: { table: 'b', column: 'id' } } };
    const b: SqlTable = { ...orders, name: 'b', find: { column: 'a_id', references: { table: 'a', column: 'id' } } };
    expect(sqlTableProblems('shop', [a, b], identities)).toEqual(['store "shop": the links between "a", "b" form a cycle']);
    expect(sqlTableProblems('shop', [{ ...customers, find: { identity: 'passport', column: 'passport_no' } }], identities)).toEqual([
      'store "shop", table "customers": found by identity "passport", which no resolver provides',
    ]);
  });

  it('refuse an erasure that would break a foreign key: a child kept while its parent is deleted, a key or link column emptied', () => {
    const keptOrders: SqlTable = { ...orders, erasure: { strategy: 'retain', legalBasis: 'tax law', retentionPeriod: '10 years' } };
    expect(sqlTableProblems('shop', [customers, keptOrders], identities)).toEqual([
      'store "shop", table "orders": its rows would stay (retain) while the "customers" rows they reference are deleted, breaking the foreign key; delete them too, or keep the parent',
    ]);
    const anonymizedCustomers: SqlTable = { ...customers, erasure: { strategy: 'anonymize', columns: ['id', 'email'] } };
    expect(sqlTableProblems('shop', [anonymizedCustomers, orders], identities)).toEqual(
      expect.arrayContaining([
        'store "shop", table "customers": erasure cannot empty the primary key "id"',
        'store "shop", table "customers": erasure cannot empty "id", which "orders" links by',
      ]),
    );
  });

  it('refuse identifiers that could not be quoted as plain names', () => {
    expect(sqlTableProblems('shop', [{ ...customers, name: 'customers; DROP TABLE x' }], identities)).toEqual([
      'store "shop", table "customers; DROP TABLE x": the name must be a plain identifier (letters, digits, _), optionally schema-qualified',
    ]);
  });
});

describe('the statements of a SQL store', () => {
  it('quote identifiers by each engine rules and pass every value as a parameter', () => {
    const qualified: SqlTable = { ...customers, name: 'sales.customers' };
    expect(selectRows('postgres', qualified, ['a@example.com', 'b@example.com'], true)).toEqual({
      text: 'SELECT * FROM "sales"."customers" WHERE lower("email") IN (lower($1), lower($2))',
      values: ['a@example.com', 'b@example.com'],
    });
    expect(selectRows('mysql', orders, [1, 2], false)).toEqual({ text: 'SELECT * FROM `orders` WHERE `customer_id` IN (?, ?)', values: [1, 2] });
    expect(updateRows('postgres', customers, [7], { phone: '+44 9', name: null })).toEqual({
      text: 'UPDATE "customers" SET "phone" = $1, "name" = $2 WHERE "id" IN ($3)',
      values: ['+44 9', null, 7],
    });
    expect(deleteRows('mysql', lines, [3, 4])).toEqual({ text: 'DELETE FROM `order_lines` WHERE `id` IN (?, ?)', values: [3, 4] });
  });
});
