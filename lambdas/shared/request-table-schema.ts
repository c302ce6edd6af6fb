/**
 * The request table's key schema: what the stack creates (lib/constructs/request-table.ts) and what
 * the repositories write (lambdas/adapters/dynamodb-*.ts). One table holds requests, store tasks,
 * mailbox pointers, rate-limit counters and submission claims, each under its own `pk` prefix.
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
