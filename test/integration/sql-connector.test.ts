import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MysqlSession } from '../../lambdas/adapters/connectors/sql/mysql-session.ts';
import { PgSession } from '../../lambdas/adapters/connectors/sql/pg-session.ts';
import { SqlConnector } from '../../lambdas/adapters/connectors/sql/sql-connector.ts';
import type { SqlEngine, SqlTable } from '../../lambdas/domain/sql-store.ts';
import { mariadbInstalled, startMariaDb } from '../fixtures/mariadb.ts';

/**
 * The SQL connector against both engines' real wire protocols: PostgreSQL as PGlite served by
 * pglite-socket and reached with `pg` (one connection: pglite-socket serves one session), and
 * MySQL as Debian's MariaDB reached with `mysql2`, as a function reaches RDS or Aurora.
 */
const tables: SqlTable[] = [
  // Customers stay for their invoices (tax law): their personal columns are emptied.
  {
    name: 'customers',
    primaryKey: 'id',
    find: { identity: 'email', column: 'email' },
    fields: { name: 'full_name', phone: 'phone' },
    marketingOptOut: { marketing_consent: false },
    erasure: { strategy: 'anonymize', columns: ['email', 'full_name', 'phone'] },
  },
  {
    name: 'addresses',
    primaryKey: 'id',
    find: { column: 'customer_id', references: { table: 'customers', column: 'id' } },
    fields: { address: 'line' },
    erasure: { strategy: 'delete' },
  },
  { name: 'orders', primaryKey: 'id', find: { column: 'customer_id', references: { table: 'customers', column: 'id' } }, erasure: { strategy: 'delete' } },
  { name: 'order_lines', primaryKey: 'id', find: { column: 'order_id', references: { table: 'orders', column: 'id' } }, erasure: { strategy: 'delete' } },
  {
    name: 'invoices',
    primaryKey: 'id',
    find: { column: 'customer_id', references: { table: 'customers', column: 'id' } },
    erasure: { strategy: 'retain', legalBasis: 'tax law', retentionPeriod: '10 years', clearColumns: ['contact_phone'] },
  },
];
const jane = { requestId: 'req_test', keys: { email: ['jane.doe@example.com'] } };

/** One engine's database for the tests: raw statements for set-up, rows to inspect, and the connector under test. */
interface TestDatabase {
  readonly connector: SqlConnector;
  exec(sql: string): Promise<void>;
  rowsOf(table: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

const rows = `
  INSERT INTO customers (email, full_name, phone) VALUES ('Jane.Doe@Example.com', 'Jane Doe', '+44 1'), ('john@example.org', 'John Smith', '+1 2');
  INSERT INTO addresses (customer_id, line) VALUES (1, '221B Example Street'), (2, '1 Example Avenue');
  INSERT INTO orders (customer_id, placed_at) VALUES (1, '2026-01-01'), (1, '2026-02-01'), (2, '2026-03-01');
  INSERT INTO order_lines (order_id, product) VALUES (1, 'kettle'), (1, 'mug'), (2, 'teapot'), (3, 'lamp');
  INSERT INTO invoices (customer_id, amount, contact_phone) VALUES (1, 42, '+44 1'), (2, 7, '+1 2');`;

const schemas: Record<SqlEngine, { create: string; lock: string }> = {
  postgres: {
    create: `
      DROP TABLE IF EXISTS invoices, order_lines, orders, addresses, customers;
      DROP FUNCTION IF EXISTS refuse;
      CREATE TABLE customers (id serial PRIMARY KEY, email text, full_name text, phone text, marketing_consent boolean NOT NULL DEFAULT true);
      CREATE TABLE addresses (id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers(id), line text);
      CREATE TABLE orders (id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers(id), placed_at timestamptz);
      CREATE TABLE order_lines (id serial PRIMARY KEY, order_id int NOT NULL REFERENCES orders(id), product text);
      CREATE TABLE invoices (id serial PRIMARY KEY, customer_id int NOT NULL REFERENCES customers(id), amount numeric, contact_phone text);`,
    lock: `CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'locked'; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER locked BEFORE DELETE ON addresses FOR EACH ROW EXECUTE FUNCTION refuse();`,
  },
  mysql: {
    create: `
      DROP TABLE IF EXISTS invoices, order_lines, orders, addresses, customers;
      CREATE TABLE customers (id INT AUTO_INCREMENT PRIMARY KEY, email VARCHAR(255), full_name VARCHAR(255), phone VARCHAR(64), marketing_consent BOOLEAN NOT NULL DEFAULT TRUE) ENGINE=InnoDB;
      CREATE TABLE addresses (id INT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL, line VARCHAR(255), FOREIGN KEY (customer_id) REFERENCES customers(id)) ENGINE=InnoDB;
      CREATE TABLE orders (id INT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL, placed_at DATETIME, FOREIGN KEY (customer_id) REFERENCES customers(id)) ENGINE=InnoDB;
      CREATE TABLE order_lines (id INT AUTO_INCREMENT PRIMARY KEY, order_id INT NOT NULL, product VARCHAR(255), FOREIGN KEY (order_id) REFERENCES orders(id)) ENGINE=InnoDB;
      CREATE TABLE invoices (id INT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL, amount DECIMAL(10,2), contact_phone VARCHAR(64), FOREIGN KEY (customer_id) REFERENCES customers(id)) ENGINE=InnoDB;`,
    lock: "CREATE TRIGGER locked BEFORE DELETE ON addresses FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'locked';",
  },
};

const databases: Record<SqlEngine, () => Promise<TestDatabase>> = {
  postgres: async () => {
    const db = await PGlite.create();
    const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1' });
    await server.start();
    const [host, port] = server.getServerConn().split(':');
    const pool = new pg.Pool({ host, port: Number(port), user: 'postgres', database: 'postgres', max: 1 });
    return {
      connector: new SqlConnector({ id: 'shop-db', engine: 'postgres', tables }, new PgSession(pool)),
      exec: async (sql) => void (await db.exec(sql)),
      rowsOf: async (table) => (await db.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY id`)).rows,
      stop: async () => {
        await pool.end();
        await server.stop();
        await db.close();
      },
    };
  },
  mysql: async () => {
    const server = await startMariaDb();
    const admin = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', multipleStatements: true });
    await admin.query('CREATE DATABASE shop');
    await admin.changeUser({ database: 'shop' });
    const pool = mysql.createPool({ host: '127.0.0.1', port: server.port, user: 'root', database: 'shop', connectionLimit: 2 });
    return {
      connector: new SqlConnector({ id: 'shop-db', engine: 'mysql', tables }, new MysqlSession(pool)),
      exec: async (sql) => void (await admin.query(sql)),
      rowsOf: async (table) => (await admin.query(`SELECT * FROM ${table} ORDER BY id`))[0] as Record<string, unknown>[],
      stop: async () => {
        await pool.end();
        await admin.end();
        await server.stop();
      },
    };
  },
};

describe.each([
  { engine: 'postgres' as const, available: true },
  // MariaDB comes from Debian (.ci/run installs mariadb-server); without it only PostgreSQL runs here.
  { engine: 'mysql' as const, available: mariadbInstalled },
])('a $engine store with linked tables', ({ engine, available }) => {
  let database: TestDatabase;
  let connector: SqlConnector;
  const rowsOf = (table: string) => database.rowsOf(table);

  beforeAll(async () => {
    if (!available) return;
    database = await databases[engine]();
    connector = database.connector;
  }, 60_000);
  afterAll(async () => database?.stop());
  beforeEach(async (context) => {
    if (!available) context.skip();
    await database.exec(schemas[engine].create + rows);
  });

  it('collects every linked row of the subject, matching the email whatever its case, and counts them without changing anything', async () => {
    const { records } = await connector.collect(jane);
    const byTable = Object.groupBy(records, (record) => String(record.table));
    expect(byTable.customers).toHaveLength(1);
    expect(byTable.addresses?.map((row) => row.line)).toEqual(['221B Example Street']);
    expect(byTable.orders).toHaveLength(2);
    // Two links deep: order lines reached through the subject's orders.
    expect(byTable.order_lines?.map((row) => row.product).sort()).toEqual(['kettle', 'mug', 'teapot']);
    expect(byTable.invoices).toHaveLength(1);
    expect(await connector.count(jane)).toBe(8);
    expect(await rowsOf('order_lines')).toHaveLength(4);
  });

  it('corrects the mapped columns of the subject only, and counts a value already right as not updated', async () => {
    expect(
      await connector.amend(
        jane,
        [],
        [
          { field: 'phone', value: '+44 9' },
          { field: 'address', value: '10 New Road' },
        ],
      ),
    ).toEqual({ matched: 2, updated: 2 });
    expect((await rowsOf('customers')).map((row) => row.phone)).toEqual(['+44 9', '+1 2']);
    expect((await rowsOf('addresses')).map((row) => row.line)).toEqual(['10 New Road', '1 Example Avenue']);
    expect(await connector.amend(jane, [], [{ field: 'phone', value: '+44 9' }])).toEqual({ matched: 1, updated: 0 });
  });

  it('records an objection by switching the declared consent columns of the subject only, once', async () => {
    expect(await connector.optOut(jane)).toEqual({ matched: 1, updated: 1 });
    // MySQL has no boolean type: TINYINT(1), 0 or 1.
    expect((await rowsOf('customers')).map((row) => Boolean(row.marketing_consent))).toEqual([false, true]);
    expect(await connector.optOut(jane)).toEqual({ matched: 1, updated: 0 });
  });

  it('erases children before parents in one transaction, keeps what the law requires, proves nothing is left and leaves bystanders alone', async () => {
    const johnBefore = { orders: (await rowsOf('orders')).filter((row) => row.customer_id === 2) };
    expect(await connector.erase(jane)).toEqual({ matched: 8, deleted: 6, anonymized: 1, retained: 1 });
    expect(await connector.verifyErased(jane)).toEqual({ remaining: 0 });
    expect((await rowsOf('customers'))[0]).toMatchObject({ id: 1, email: null, full_name: null, phone: null });
    expect(await rowsOf('invoices')).toEqual([
      expect.objectContaining({ customer_id: 1, contact_phone: null }),
      expect.objectContaining({ customer_id: 2, contact_phone: '+1 2' }),
    ]);
    expect((await rowsOf('order_lines')).map((row) => row.product)).toEqual(['lamp']);
    expect((await rowsOf('orders')).filter((row) => row.customer_id === 2)).toEqual(johnBefore.orders);
    // A second erasure finds nothing and changes nothing.
    expect(await connector.erase(jane)).toEqual({ matched: 0, deleted: 0, anonymized: 0, retained: 0 });
  });

  it('changes nothing when a statement of the erasure fails: the transaction rolls back whole', async () => {
    // A table the store declares but the database refuses to change: deleting order lines worked, then this fails.
    await database.exec(schemas[engine].lock);
    await expect(connector.erase(jane)).rejects.toThrow(/locked/);
    expect(await rowsOf('order_lines')).toHaveLength(4);
    expect((await rowsOf('customers'))[0]).toMatchObject({ email: 'Jane.Doe@Example.com' });
  });

  it('sends values only as parameters: an address full of SQL is just an address that matches nothing', async () => {
    const hostile = { requestId: 'req_x', keys: { email: ["x' OR '1'='1"] } };
    expect(await connector.count(hostile)).toBe(0);
    expect(await connector.erase(hostile)).toEqual({ matched: 0, deleted: 0, anonymized: 0, retained: 0 });
    expect(await rowsOf('customers')).toHaveLength(2);
  });
});
