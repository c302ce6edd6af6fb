import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { intakeSecretNameBinding } from '../shared/settings.ts';

/** Locally the key itself is in this variable; in AWS the function reads a Secrets Manager secret. */
export const intakeKeyEnvName = 'INTAKE_LINK_SECRET';

let client: SecretsManagerClient | undefined;
let cached: { readonly value: Promise<string>; readonly until: number } | undefined;
/** Warm containers spare Secrets Manager; a rotated key is picked up within minutes. */
const cacheMs = 5 * 60 * 1000;

/** The key that signs intake links: `INTAKE_LINK_SECRET`, else the secret named by `INTAKE_SECRET_NAME`. */
export async function intakeLinkKey(): Promise<string> {
  const fromEnv = process.env[intakeKeyEnvName];
  if (fromEnv) return fromEnv;
  if (cached && cached.until > Date.now()) return cached.value;
  const secretName = process.env[intakeSecretNameBinding.env];
  if (!secretName) throw new Error(`Neither ${intakeKeyEnvName} nor ${intakeSecretNameBinding.env} is set`);
  client ??= new SecretsManagerClient({});
  const value = client.send(new GetSecretValueCommand({ SecretId: secretName })).then(({ SecretString }) => {
    if (!SecretString) throw new Error(`Secret ${secretName} has no string value`);
    return SecretString;
  });
  cached = { value, until: Date.now() + cacheMs };
  value.catch(() => (cached = undefined));
  return value;
}
