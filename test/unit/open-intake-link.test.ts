import { describe, expect, it, vi } from 'vitest';
import { signIntakeLink } from '../../lambdas/domain/intake-link.ts';
import { httpApiEvent } from '../fixtures/api-gateway-events.ts';

// Rate limits have their own tests (test/integration/abuse.test.ts).
vi.mock('../../lambdas/shared/rate-limits.ts', async (original) => ({
  ...(await original<typeof import('../../lambdas/shared/rate-limits.ts')>()),
  enforceIpLimit: async () => undefined,
}));

process.env.AWS_REGION = 'us-east-1';
process.env.REQUEST_TABLE_NAME = 'requests';
process.env.INTAKE_LINK_SECRET = 'unit-test-intake-key-0123456789abcdefghijklmnop';
const { handler } = await import('../../lambdas/http/open-intake-link.ts');

/** Calls the handler as API Gateway would, with a JSON body; answers the status and the parsed body. */
const call = async (body: unknown) => {
  const result = (await handler(httpApiEvent('POST /intake', { json: body }), {} as never)) as { statusCode: number; body: string };
  return { status: result.statusCode, body: JSON.parse(result.body) };
};

describe('POST /intake', () => {
  it('returns the address of a genuine link, and 400 for anything else', async () => {
    const token = signIntakeLink({ email: 'jane.doe@example.com', expiresAt: new Date(Date.now() + 86_400_000) }, process.env.INTAKE_LINK_SECRET!);
    expect(await call({ token })).toEqual({ status: 200, body: { email: 'jane.doe@example.com' } });
    const expired = signIntakeLink({ email: 'jane.doe@example.com', expiresAt: new Date(Date.now() - 1000) }, process.env.INTAKE_LINK_SECRET!);
    expect((await call({ token: expired })).status).toBe(400);
    expect((await call({ token: signIntakeLink({ email: 'x@example.com', expiresAt: new Date(Date.now() + 1000) }, 'another key') })).status).toBe(400);
    expect((await call({})).status).toBe(400);
  });
});
