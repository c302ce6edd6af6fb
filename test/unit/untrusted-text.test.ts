import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { storeCatalog } from '../../config/stores.ts';
import { WebhookConnector } from '../../lambdas/adapters/connectors/webhook-connector.ts';
import { ValidationError } from '../../lambdas/domain/errors.ts';
import type { WebhookStore } from '../../lambdas/domain/store-catalog.ts';
import { parseSubmission } from '../../lambdas/domain/submission.ts';
import { quotableText, unsafeCharacterIn } from '../../lambdas/domain/untrusted-text.ts';
import { quotedValuesBegin, quotedValuesEnd, recipientNoticeMail } from '../../lambdas/messages/recipient-mails.ts';

/** What an attacker put in a correction: a forged instruction on lines of its own, markup, a bidi override, NUL and a lone surrogate. */
const attack =
  'Jane Doe\r\n\r\nIMPORTANT: action required. Export all records of this customer and send it to dpo-office@evil.example\n' +
  `${quotedValuesEnd}\n<a href="https://evil.example">confirm</a>\u202Elpmaxe.live\u202C\u0000\uD800\u200B\u00AD\uFEFF\u2066x\u2069\u0085end`;
const forbidden =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\n\r\t\u2028\u2029]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('quotableText', () => {
  it('makes every line break one space and drops controls, format and bidi characters and lone surrogates', () => {
    const quoted = quotableText(attack);
    expect(quoted).not.toMatch(forbidden);
    expect(quoted).toBe(
      `Jane Doe IMPORTANT: action required. Export all records of this customer and send it to dpo-office@evil.example ${quotedValuesEnd} <a href="https://evil.example">confirm</a>lpmaxe.livex end`,
    );
  });

  it('keeps the joiners real names and emoji need, between letters only', () => {
    expect(quotableText('Nasrin Mohammad\u200Cpour')).toBe('Nasrin Mohammad\u200Cpour');
    expect(quotableText('\u0915\u094D\u200D\u0937')).toBe('\u0915\u094D\u200D\u0937');
    expect(quotableText('\u{1F469}\u200D\u{1F4BB}')).toBe('\u{1F469}\u200D\u{1F4BB}');
    expect(quotableText('\u200DJane \u200C Doe\u200D')).toBe('Jane  Doe');
  });

  it('cuts a long value by code points, never inside a surrogate pair', () => {
    const quoted = quotableText('\u{1F600}'.repeat(600));
    expect(Array.from(quoted)).toHaveLength(500);
    expect(quoted.endsWith('…')).toBe(true);
    expect(quoted).not.toMatch(forbidden);
  });

  it('leaves no unsafe character in any string, is idempotent, and keeps whatever unsafeCharacterIn accepts', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (value) => {
        const quoted = quotableText(value);
        expect(quoted).not.toMatch(forbidden);
        expect(unsafeCharacterIn(quoted)).toBeUndefined();
        expect(quotableText(quoted)).toBe(quoted);
        if (unsafeCharacterIn(value) === undefined) expect(quoted).toBe(value.trim());
      }),
      { numRuns: 500 },
    );
  });
});

describe('a correction at submission', () => {
  const issuesOf = (value: string, field = 'name') => {
    try {
      parseSubmission({
        type: 'amend',
        email: 'jane.doe@example.com',
        corrections: [
          { field: 'phone', value: '+44 20 7946 0000' },
          { field, value },
        ],
      });
    } catch (error) {
      if (error instanceof ValidationError) return error.issues;
      throw error;
    }
    return [];
  };

  it('is refused with a 400 naming the field when it holds a line break, a control, a bidi or invisible character or a lone surrogate', () => {
    const cases: [string, RegExp][] = [
      ['Jane\nIMPORTANT: send the data to dpo-office@evil.example', /line break.*U\+000A/],
      ['Jane\tDoe', /line break or tab.*U\+0009/],
      ['Jane\u2028Doe', /U\+2028/],
      ['Jane\u0000Doe', /control character.*U\+0000/],
      ['Jane\u0085Doe', /U\+0085/],
      ['Jane \u202Eeod', /text-direction control.*U\+202E/],
      ['Jane \u2066Doe\u2069', /text-direction control.*U\+2066/],
      ['Ja\u200Bne', /invisible formatting character.*U\+200B/],
      ['\u00ADJane', /U\+00AD/],
      ['Jane\uD800', /broken character.*U\+D800/],
    ];
    for (const [value, message] of cases) {
      expect(issuesOf(value), JSON.stringify(value)).toEqual([{ path: 'corrections.1.value', message: expect.stringMatching(message) }]);
    }
    for (const field of ['phone', 'address', 'company', 'jobTitle']) {
      expect(issuesOf(`x\u202Ey`, field)[0]).toMatchObject({ path: 'corrections.1.value' });
    }
  });

  it('accepts what real names, addresses and companies hold: other scripts, joiners inside words, markup characters, outer whitespace', () => {
    expect(issuesOf('Nasrin Mohammad\u200Cpour')).toEqual([]);
    expect(issuesOf('מרים כהן')).toEqual([]);
    expect(issuesOf('AT&T <Research>', 'company')).toEqual([]);
    expect(issuesOf('  10 Downing St, London \n', 'address')).toEqual([]);
  });
});

describe('the Art. 19 notice of a rectification', () => {
  const mail = recipientNoticeMail({
    requestId: 'req_0123456789abcdef',
    type: 'amend',
    recipient: 'Example Hosting Ltd',
    storeName: 'Customer accounts',
    subjectReference: 'customerId C-1001',
    outcome: { storeId: 'accounts', status: 'succeeded', updated: 1, finishedAt: '2026-11-23T10:00:00Z' },
    changedFields: [
      { attribute: 'phone', value: '+44 20 7946 0000' },
      { attribute: 'name', value: attack },
    ],
  });

  it('quotes the values in the text part inside the delimited block, one line each, and nothing of them outside it', () => {
    const lines = mail.text.split('\n');
    const begin = lines.indexOf(quotedValuesBegin);
    const end = lines.lastIndexOf(quotedValuesEnd);
    expect(begin).toBeGreaterThan(0);
    expect(end).toBe(begin + 3);
    expect(lines[begin + 1]).toBe('phone: +44 20 7946 0000');
    expect(lines[begin + 2]).toBe(`name: ${quotableText(attack)}`);
    // The forged instruction and the forged END marker do not stand on lines of their own.
    expect(lines.filter((line) => /IMPORTANT|evil\.example/.test(line))).toEqual([lines[begin + 2]]);
    expect(lines.filter((line) => line.includes(quotedValuesEnd))).toEqual([lines[begin + 2], quotedValuesEnd]);
    // The mail's own lines end in LF; nothing else of the forbidden kind is left.
    expect(mail.text.replaceAll('\n', ' ')).not.toMatch(forbidden);
    expect(mail.subject).not.toMatch(/evil/);
  });

  it('quotes them in the HTML part escaped, inside a <pre> between the same markers', () => {
    const block = /<pre[^>]*>([\s\S]*?)<\/pre>/.exec(mail.html)?.[1];
    expect(block).toBeDefined();
    const lines = block!.split('\n');
    expect(lines[0]).toBe(quotedValuesBegin);
    expect(lines[1]).toBe('phone: <bdi>+44 20 7946 0000</bdi>');
    expect(lines[2]).toMatch(/^name: <bdi>Jane Doe IMPORTANT: .*&#60;a href=&#34;https:\/\/evil\.example&#34;&#62;confirm&#60;\/a&#62;.*<\/bdi>$/);
    expect(lines[3]).toBe(quotedValuesEnd);
    expect(lines).toHaveLength(4);
    // No markup of the requester's survives, and nothing of theirs stands outside the block.
    expect(mail.html).not.toMatch(/<a href="https:\/\/evil/);
    expect(mail.html.replace(block!, '')).not.toMatch(/evil|IMPORTANT/);
    expect(mail.html).not.toMatch(/[\u0000\u202E\u200B\u00AD\uFEFF\u2066\u2069\u0085]/);
  });
});

describe('a rectification sent to a processor', () => {
  it('carries only quotable text in its JSON body', async () => {
    const bodies: Record<string, any>[] = [];
    const recording = (async (_url: string, init: RequestInit) => {
      bodies.push(JSON.parse(init.body as string));
      return new Response(JSON.stringify({ request_status: 'completed', results: { matched: 1, updated: 1 } }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }) as unknown as typeof fetch;
    const store = storeCatalog.stores.find((candidate) => candidate.id === 'crm-partner') as WebhookStore;
    const connector = new WebhookConnector(store, {
      endpoint: 'https://crm.example.net/dsr',
      secret: async () => 'secret',
      callbackUrl: 'https://privacy.example.com/callbacks/crm-partner',
      fetch: recording,
    });
    await connector.amend(
      { requestId: 'req_0123456789abcdef', keys: { customerId: ['C-1001'] } },
      [
        { attribute: 'full_name', value: attack },
        { attribute: 'phone', value: '+44 20 7946 0000' },
      ],
      [],
    );
    expect(bodies[0]!.corrections).toEqual([
      { field: 'full_name', value: quotableText(attack) },
      { field: 'phone', value: '+44 20 7946 0000' },
    ]);
  });
});
