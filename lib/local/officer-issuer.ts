import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { officerGroup } from '../function-catalog.ts';

/**
 * The local stand-in for Cognito: signs officer JWTs with a key kept in the local data folder, so
 * `npm run officer-token` and the running stack agree. The local gateway verifies them the way
 * API Gateway's JWT authorizer verifies Cognito's: signature, issuer, audience, expiry.
 */
export const localIssuer = 'dsr-local-issuer';
export const localAudience = 'dsr-local-console';

type SigningKey = Awaited<ReturnType<typeof importJWK>>;

interface StoredKey {
  readonly privateJwk: JWK;
  readonly publicJwk: JWK;
}

export class OfficerIssuer {
  private constructor(
    private readonly privateKey: SigningKey,
    private readonly publicKey: SigningKey,
    readonly publicJwk: JWK,
  ) {}

  /** Loads the key from `keyFile`, creating it on first use. */
  static async open(keyFile: string): Promise<OfficerIssuer> {
    let stored: StoredKey;
    if (existsSync(keyFile)) {
      stored = JSON.parse(readFileSync(keyFile, 'utf8')) as StoredKey;
    } else {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      stored = { privateJwk: await exportJWK(privateKey), publicJwk: { ...(await exportJWK(publicKey)), kid: 'local-1', alg: 'ES256', use: 'sig' } };
      mkdirSync(dirname(keyFile), { recursive: true });
      writeFileSync(keyFile, JSON.stringify(stored), { mode: 0o600 });
    }
    return new OfficerIssuer(await importJWK(stored.privateJwk, 'ES256'), await importJWK(stored.publicJwk, 'ES256'), stored.publicJwk);
  }

  /**
   * `nonce`: the one the console sent to the sign-in page, echoed as Cognito does so the console
   * can tell its own sign-in's token from any other. Tokens for API use (`npm run officer-token`) have none.
   */
  async issue(options: { subject?: string; groups?: string[]; expiresIn?: string; nonce?: string } = {}): Promise<string> {
    return new SignJWT({
      'cognito:groups': options.groups ?? [officerGroup],
      token_use: 'id',
      ...(options.nonce !== undefined ? { nonce: options.nonce } : {}),
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'local-1' })
      .setSubject(options.subject ?? 'local-officer-1')
      .setIssuer(localIssuer)
      .setAudience(localAudience)
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? '8h')
      .sign(this.privateKey);
  }

  /** The verified claims, or undefined for a token that is missing, forged, expired or for someone else. */
  async verify(token: string): Promise<JWTPayload | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { issuer: localIssuer, audience: localAudience, algorithms: ['ES256'] });
      return payload;
    } catch {
      return undefined;
    }
  }
}
