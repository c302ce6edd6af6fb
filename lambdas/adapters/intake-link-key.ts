import { intakeSecretNameBinding, localIntakeKeyEnvName } from '../shared/settings.ts';
import { readSecret } from './secrets-manager.ts';

/** The key that signs intake links: locally the key itself (`INTAKE_LINK_SECRET`), in AWS the Secrets Manager secret named by `INTAKE_SECRET_NAME`. */
export async function intakeLinkKey(): Promise<string> {
  const fromEnv = process.env[localIntakeKeyEnvName];
  if (fromEnv) return fromEnv;
  const secretName = process.env[intakeSecretNameBinding.env];
  if (!secretName) throw new Error(`Neither ${localIntakeKeyEnvName} nor ${intakeSecretNameBinding.env} is set`);
  return readSecret(secretName, (cause) => (cause === undefined ? new Error(`Secret ${secretName} has no string value`) : (cause as Error)));
}
