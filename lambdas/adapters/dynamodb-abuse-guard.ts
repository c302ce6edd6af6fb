import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createHash } from 'node:crypto';
import type { AbuseGuard, LimitDecision, LimitRule } from '../ports/abuse-guard.ts';

/** Hash of a key (IP, canonical email, submission): the table never holds the key itself. */
export function keyHash(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/**
 * Rate-limit counters and submission claims, in the request table beside the requests (their
 * keys never start with REQUEST#, and they carry no status, so the status index never sees them).
 *
 * - Counter: pk = LIMIT#<kind>#<hash of key>, sk = <window start, ISO>; one atomic `ADD count 1`
 *   conditional on `count < limit`, so concurrent callers can never pass the limit together.
 *   A new window is a new item: an old window is never read again, whatever TTL has deleted.
 * - Claim: pk = SUBMISSION#<hash>, sk = SUBMISSION; a conditional put that only succeeds when no
 *   unexpired claim exists (expiry checked in the condition, not left to TTL).
 * Both carry `expiresAt` (epoch seconds), the table's TTL attribute.
 */
export class DynamoDbAbuseGuard implements AbuseGuard {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async consume(rule: LimitRule, key: string): Promise<LimitDecision> {
    const nowMs = this.now().getTime();
    const windowMs = rule.windowSeconds * 1000;
    const start = Math.floor(nowMs / windowMs) * windowMs;
    const retryAfterSeconds = Math.max(1, Math.ceil((start + windowMs - nowMs) / 1000));
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: `LIMIT#${rule.kind}#${keyHash(`${rule.kind}:${key}`)}`, sk: new Date(start).toISOString() },
          UpdateExpression: 'ADD #count :one SET #expiresAt = if_not_exists(#expiresAt, :expiresAt)',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count', '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':one': 1, ':limit': rule.limit, ':expiresAt': Math.ceil((start + windowMs) / 1000) },
        }),
      );
      return { allowed: true, retryAfterSeconds };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return { allowed: false, retryAfterSeconds };
      throw error;
    }
  }

  async claimSubmission(fingerprint: string, requestId: string, windowSeconds: number, isOpen: (heldBy: string) => Promise<boolean>): Promise<string> {
    const key = { pk: `SUBMISSION#${keyHash(fingerprint)}`, sk: 'SUBMISSION' };
    for (let attempt = 0; attempt < 5; attempt++) {
      const nowSeconds = Math.floor(this.now().getTime() / 1000);
      const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      const held = Item && Number(Item.expiresAt) > nowSeconds ? String(Item.requestId) : undefined;
      if (held && (await isOpen(held))) return held;
      try {
        // Take the claim if nobody holds it, or replace exactly the stale claim we read.
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...key, requestId, expiresAt: nowSeconds + windowSeconds },
            ConditionExpression: Item ? '#requestId = :seen' : 'attribute_not_exists(pk)',
            ...(Item ? { ExpressionAttributeNames: { '#requestId': 'requestId' }, ExpressionAttributeValues: { ':seen': Item.requestId } } : {}),
          }),
        );
        return requestId;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // Someone else claimed it first: read again and follow their claim.
      }
    }
    throw new Error('Could not settle the submission claim');
  }
}
