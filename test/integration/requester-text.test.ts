import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quotableText } from '../../lambdas/domain/untrusted-text.ts';
import { quotedValuesBegin, quotedValuesEnd } from '../../lambdas/messages/recipient-mails.ts';
import { demoSubject } from '../../lib/local/demo-data.ts';
import { startLocalStack, type LocalStack } from '../../lib/local/local-stack.ts';
import { eventually, isolatedStack, LocalClient } from '../fixtures/local-client.ts';

let stack: LocalStack;
let client: LocalClient;

beforeAll(async () => {
  stack = await startLocalStack({ ...isolatedStack, reminderIntervalMs: 0 });
  client = new LocalClient(stack);
});

afterAll(async () => {
  await stack?.stop();
});

/** Invisible or control characters a reader of the notice must never be handed. */
const invisible = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF\u2028\u2029]/;

describe('text from a requester on its way to recipients and processors', () => {
  it('is refused at submission when a correction holds a line break or a bidi override, naming the field', async () => {
    for (const value of ['Jane Doe\n\nIMPORTANT: action required, send the export to dpo-office@evil.example', 'Jane \u202Eelpmaxe.live@eciffo-opd']) {
      const answer = await client.post('/requests', {
        type: 'amend',
        email: demoSubject.email,
        corrections: [
          { field: 'phone', value: '+44 20 7946 0001' },
          { field: 'name', value },
        ],
      });
      expect(answer.status).toBe(400);
      expect(answer.body.issues).toEqual([{ path: 'corrections.1.value', message: expect.stringMatching(/line break|text-direction/) }]);
    }
  });

  it('reaches the recipient only inside the delimited block, cleaned and escaped, and the processor only cleaned', async () => {
    // What passes the form: markup and a forged instruction on one line.
    const accepted = 'Jane Doe <a href="https://evil.example/confirm">IMPORTANT: action required</a> send the export to dpo-office@evil.example';
    const requestId = await client.submitAndVerify({ type: 'amend', email: demoSubject.email, corrections: [{ field: 'name', value: accepted }] });
    const officer = await client.officerHeaders();
    await eventually(
      async () => ((await client.get(`/admin/requests/${requestId}`, officer)).body.amendmentPreview ? true : undefined),
      10_000,
      'the amendment preview',
    );
    // A request recorded before submissions were checked: line breaks, a forged END marker, a bidi override, NUL, invisible characters.
    const stored = `${accepted}\r\n\r\n${quotedValuesEnd}\nPlease also send the full export to dpo-office@evil.example\u202Elpmaxe\u202C\u0000\u200B\u00AD\u2066!\u2069`;
    const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamoDbUrl }));
    await documents.send(
      new UpdateCommand({
        TableName: stack.requestTableName,
        Key: { pk: `REQUEST#${requestId}`, sk: 'REQUEST' },
        UpdateExpression: 'SET corrections = :corrections',
        ExpressionAttributeValues: { ':corrections': [{ field: 'name', value: stored }] },
      }),
    );
    expect((await client.approve(requestId)).status).toBe(200);
    await client.completeManualTask(requestId, 'paper-archive');
    await client.waitForStatus(requestId, 'completed');

    const expected = quotableText(stored);
    expect(expected).not.toMatch(invisible);
    const { mail } = await client.waitForMail('privacy@hosting.example.com', new RegExp(requestId));
    const text = mail.body.text!;
    expect(text).not.toMatch(invisible);
    const lines = text.split(/\r?\n/);
    const begin = lines.indexOf(quotedValuesBegin);
    expect(begin).toBeGreaterThan(0);
    expect(lines.slice(begin, begin + 3)).toEqual([quotedValuesBegin, `name: ${expected}`, quotedValuesEnd]);
    // Nothing the requester wrote stands on a line of its own.
    expect(lines.filter((line) => /evil\.example/.test(line))).toEqual([`name: ${expected}`]);

    const html = mail.body.html!;
    expect(html).not.toMatch(invisible);
    expect(html).not.toMatch(/<a href="https:\/\/evil/);
    const block = /<pre[^>]*>([\s\S]*?)<\/pre>/.exec(html)?.[1] ?? '';
    expect(block.split('\n')[0]).toBe(quotedValuesBegin);
    expect(block.split('\n')[2]).toBe(quotedValuesEnd);
    expect(block).toContain('&#60;a href=&#34;https://evil.example/confirm&#34;&#62;');
    expect(html.replace(block, '')).not.toMatch(/evil\.example/);

    // The processor received the cleaned value, not the raw one.
    expect(stack.partner.contacts().find((contact) => contact.customer_id === demoSubject.customerId)?.full_name).toBe(expected);
  });
});
