import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officerGroup, type Route } from '../../lib/function-catalog.ts';
import { LocalGateway, type HttpLambda } from '../../lib/local/local-gateway.ts';
import { localAudience, localIssuer, OfficerIssuer } from '../../lib/local/officer-issuer.ts';

const dir = mkdtempSync(join(tmpdir(), 'dsr-gateway-'));
const route: Route = { method: 'GET', path: '/admin/requests', function: 'listRequests', auth: 'officer' };
let gateway: LocalGateway;
let url: string;
let issuer: OfficerIssuer;

beforeAll(async () => {
  issuer = await OfficerIssuer.open(join(dir, 'officer-issuer.json'));
  const answer: HttpLambda = async () => ({ statusCode: 200, body: '{"ok":true}' });
  gateway = new LocalGateway({ routes: [route], issuer, port: 0, handlerFor: async () => answer });
  ({ url } = await gateway.start());
});

afterAll(async () => {
  await gateway?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A token signed with the issuer's own key, with the claims given: only `exp` is left out where asked. */
async function signed(withExpiry: boolean): Promise<string> {
  const { privateJwk } = JSON.parse(readFileSync(join(dir, 'officer-issuer.json'), 'utf8')) as { privateJwk: JWK };
  const jwt = new SignJWT({ 'cognito:groups': [officerGroup], token_use: 'id' })
    .setProtectedHeader({ alg: 'ES256', kid: 'local-1' })
    .setSubject('local-officer-1')
    .setIssuer(localIssuer)
    .setAudience(localAudience)
    .setIssuedAt();
  if (withExpiry) jwt.setExpirationTime('5m');
  return jwt.sign(await importJWK(privateJwk, 'ES256'));
}

const call = (token: string) => fetch(`${url}/admin/requests`, { headers: { authorization: `Bearer ${token}` } });

describe("the local gateway's JWT check", () => {
  it('refuses a correctly signed officer token that carries no exp (it would never expire)', async () => {
    expect((await call(await signed(false))).status).toBe(401);
  });

  it("accepts the same token with an expiry, and the issuer's own tokens", async () => {
    expect((await call(await signed(true))).status).toBe(200);
    expect((await call(await issuer.issue())).status).toBe(200);
  });
});
