import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

let client: SecretsManagerClient | undefined;
const cache = new Map<string, { readonly value: Promise<string>; readonly until: number }>();
/** Long enough to spare Secrets Manager on warm containers, short enough to pick up a rotated key. */
const cacheMs = 5 * 60 * 1000;

/**
 * A Secrets Manager secret's string, cached per container for a few minutes. A failed read is not
 * cached (the next call, a retry, asks again); `failure` turns the SDK's error, or an empty secret
 * (`cause` undefined), into the error the caller's callers understand.
 */
export function readSecret(secretId: string, failure: (cause: unknown) => Error): Promise<string> {
  const cached = cache.get(secretId);
  if (cached && cached.until > Date.now()) return cached.value;
  client ??= new SecretsManagerClient({});
  const value = client.send(new GetSecretValueCommand({ SecretId: secretId })).then(
    ({ SecretString }) => {
      if (!SecretString) throw failure(undefined);
      return SecretString;
    },
    (error: unknown) => {
      throw failure(error);
    },
  );
  cache.set(secretId, { value, until: Date.now() + cacheMs });
  value.catch(() => cache.delete(secretId));
  return value;
}
