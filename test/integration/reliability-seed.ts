import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { storeCatalog } from '../../config/stores.ts';
import type { LocalStack } from '../../lib/local/local-stack.ts';
import type { snapshotStores } from '../fixtures/store-snapshot.ts';

export interface Subject {
  readonly customerId: string;
  readonly email: string;
}

const tableOf = (storeId: string) => {
  const store = storeCatalog.stores.find((candidate) => candidate.id === storeId);
  if (store?.kind !== 'dynamodb') throw new Error(`${storeId} is not a DynamoDB store`);
  return store.table;
};
const bucketOf = (storeId: string) => {
  const store = storeCatalog.stores.find((candidate) => candidate.id === storeId);
  if (store?.kind !== 's3') throw new Error(`${storeId} is not an S3 store`);
  return store.bucket;
};

/** Subjects shaped like the demo's Jane (data in every DynamoDB and S3 demo store), written straight to the emulators. */
export async function seedSubjects(stack: LocalStack, prefix: string, count: number): Promise<Subject[]> {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamoDbUrl }));
  const s3 = new S3Client({ endpoint: stack.s3Url, forcePathStyle: true });
  const subjects = Array.from({ length: count }, (_, index) => ({
    customerId: `${prefix}-${index + 1}`,
    email: `${prefix.toLowerCase()}.${index + 1}@example.com`,
  }));
  const items: Record<string, Record<string, unknown>[]> = {};
  const add = (storeId: string, item: Record<string, unknown>) => {
    items[tableOf(storeId)] ??= [];
    items[tableOf(storeId)]!.push(item);
  };
  for (const { customerId, email } of subjects) {
    add('accounts', {
      customerId,
      email,
      name: `Test ${customerId}`,
      phone: '+44 20 7946 0001',
      address: '1 Test Street',
      company: 'Test Ltd',
      jobTitle: 'Tester',
    });
    add('marketing-preferences', { customerId, newsletter: true, productUpdates: true, partnerOffers: true });
    add('support-tickets', {
      customerId,
      ticketId: 'T-1',
      subject: 'Help',
      contactName: `Test ${customerId}`,
      contactPhone: '+44 20 7946 0001',
      messages: ['Hello'],
    });
    add('support-tickets', { customerId, ticketId: 'T-2', subject: 'Again', messages: ['Hello again'] });
    add('survey-answers', { customerId, surveyId: 'S-1', score: 7, jobTitle: 'Tester', comment: `I am ${customerId}` });
    add('billing-records', { customerId, invoiceId: 'INV-1', email, amount: 10, currency: 'EUR', phone: '+44 20 7946 0001', marketingSegment: 'test' });
    for (let event = 0; event < 30; event += 1)
      add('usage-events', { customerId, occurredAt: new Date(Date.UTC(2025, 0, 1, event)).toISOString(), feature: 'search' });
  }
  for (const [table, list] of Object.entries(items)) {
    for (let index = 0; index < list.length; index += 25) {
      await documents.send(new BatchWriteCommand({ RequestItems: { [table]: list.slice(index, index + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
  }
  for (const { customerId } of subjects) {
    await s3.send(new PutObjectCommand({ Bucket: bucketOf('uploaded-files'), Key: `uploads/${customerId}/notes.txt`, Body: `notes of ${customerId}` }));
    await s3.send(
      new PutObjectCommand({ Bucket: bucketOf('profile-photos'), Key: `photos/${customerId}/avatar.svg`, Body: '<svg xmlns="http://www.w3.org/2000/svg"/>' }),
    );
  }
  return subjects;
}

/** What of the subject is still in the stores, by store; billing records are kept by law and left out when scrubbed. */
export function leftOf(snapshot: Awaited<ReturnType<typeof snapshotStores>>, subject: Subject): Record<string, unknown[]> {
  const left: Record<string, unknown[]> = {};
  for (const [storeId, records] of Object.entries(snapshot)) {
    const mine = records.filter((record) => {
      const text = JSON.stringify(record);
      return text.includes(`"${subject.customerId}"`) || text.includes(`/${subject.customerId}/`) || text.includes(subject.email);
    });
    // The invoice stays (legal obligation), without the attributes erasure removes.
    const kept = storeId === 'billing-records' ? mine.filter((record) => 'phone' in record || 'marketingSegment' in record) : mine;
    if (kept.length) left[storeId] = kept;
  }
  return left;
}

/** Runs `work` over `items`, `concurrency` at a time. */
export async function inPool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!, index);
      }
    }),
  );
  return results;
}
