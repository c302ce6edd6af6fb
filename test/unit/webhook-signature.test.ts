import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requestIdHeader, signatureHeader, signWebhook, verifyWebhookSignature } from '../../lambdas/domain/webhook-signature.ts';

const secret = 'whsec_test_0123456789abcdef';
const body = JSON.stringify({ request_id: 'req_0000000000abcdefghij', request_status: 'completed' });
const now = 1_790_000_000;

describe('webhook signatures', () => {
  it('signs "<t>.<raw body>" with HMAC-SHA256, hex, in a t=,v1= header', () => {
    const header = signWebhook(secret, body, now);
    const expected = createHmac('sha256', secret).update(`${now}.${body}`).digest('hex');
    expect(header).toBe(`t=${now},v1=${expected}`);
    expect(signatureHeader).toBe('x-dsr-signature');
    expect(requestIdHeader).toBe('x-dsr-request-id');
  });

  it('accepts its own signature within the tolerance, either side of the clock', () => {
    const header = signWebhook(secret, body, now);
    expect(verifyWebhookSignature(secret, body, header, now)).toBe(true);
    expect(verifyWebhookSignature(secret, body, header, now + 300)).toBe(true);
    expect(verifyWebhookSignature(secret, body, header, now - 300)).toBe(true);
  });

  it('refuses stale and future timestamps', () => {
    const header = signWebhook(secret, body, now);
    expect(verifyWebhookSignature(secret, body, header, now + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, body, header, now - 301)).toBe(false);
    expect(verifyWebhookSignature(secret, body, header, now + 100, 60)).toBe(false);
  });

  it('refuses another body, another key, or a moved timestamp', () => {
    const header = signWebhook(secret, body, now);
    expect(verifyWebhookSignature(secret, `${body} `, header, now)).toBe(false);
    expect(verifyWebhookSignature('another-secret', body, header, now)).toBe(false);
    const moved = header.replace(`t=${now}`, `t=${now + 1}`);
    expect(verifyWebhookSignature(secret, body, moved, now)).toBe(false);
    expect(verifyWebhookSignature('', body, header, now)).toBe(false);
  });

  it('refuses malformed headers without throwing', () => {
    const good = signWebhook(secret, body, now);
    const mac = good.split('v1=')[1]!;
    for (const bad of [
      undefined,
      null,
      '',
      'garbage',
      `v1=${mac}`,
      `t=${now}`,
      `t=${now},v1=`,
      `t=${now},v1=${mac.slice(2)}`,
      `t=${now},v1=${mac.toUpperCase()}`,
      `t=${now},v1=${mac}zz`,
      `t=-${now},v1=${mac}`,
      `t=${now}.5,v1=${mac}`,
      `t=${now},t=${now},v1=${mac}`,
      `t=${now},v0=${mac}`,
      `t=${now},v1=${mac},${'x'.repeat(600)}`,
    ]) {
      expect(verifyWebhookSignature(secret, body, bad, now), String(bad)).toBe(false);
    }
  });

  it('accepts a header carrying an old and a new MAC (key rotation), if one matches', () => {
    const header = signWebhook(secret, body, now);
    const old = signWebhook('old-secret', body, now).split('v1=')[1]!;
    expect(verifyWebhookSignature(secret, body, `${header},v1=${old}`, now)).toBe(true);
    expect(verifyWebhookSignature('third-secret', body, `${header},v1=${old}`, now)).toBe(false);
  });

  it('signs the exact bytes: the same JSON re-serialised differently does not verify', () => {
    const header = signWebhook(secret, body, now);
    const reformatted = JSON.stringify(JSON.parse(body), null, 2);
    expect(verifyWebhookSignature(secret, reformatted, header, now)).toBe(false);
  });

  it('refuses to sign without a key or with a fractional timestamp', () => {
    expect(() => signWebhook('', body, now)).toThrow();
    expect(() => signWebhook(secret, body, 1.5)).toThrow();
  });
});
