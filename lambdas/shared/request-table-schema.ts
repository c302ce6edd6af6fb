/**
 * The request table's key schema and index, as the stack creates them (lib/constructs/request-table.ts)
 * and the local stack copies them from the template. One table holds requests, store tasks,
 * mailbox pointers, rate-limit counters and submission claims, each under its own `pk` prefix; the
 * repositories (lambdas/adapters/dynamodb-*.ts) write these attribute names.
 */
export const requestTableKeys = {
  partitionKey: 'pk',
  sortKey: 'sk',
  statusIndex: 'by-status',
  statusIndexPartitionKey: 'gsi1pk',
  statusIndexSortKey: 'gsi1sk',
  /** Epoch seconds: counters and claims expire; expiry is also checked on read. */
  timeToLive: 'expiresAt',
} as const;
