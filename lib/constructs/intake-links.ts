import { CfnOutput, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

export interface IntakeLinksProps {
  /** Encrypts the secret (the stack's data key). */
  readonly encryptionKey: IKey;
}

/**
 * The HMAC key that signs "manage my data" intake links: a generated Secrets Manager secret,
 * encrypted with the data key. `POST /intake` reads it (capability `intake:secret`); operators
 * read it once to sign links with `npm run intake-link` (`INTAKE_LINK_SECRET`).
 */
export class IntakeLinks extends Construct {
  readonly secret: Secret;
  private readonly key: IKey;

  constructor(scope: Construct, id: string, props: IntakeLinksProps) {
    super(scope, id);
    this.key = props.encryptionKey;
    this.secret = new Secret(this, 'Key', {
      description: 'dsr-workflow: HMAC key that signs "manage my data" intake links',
      encryptionKey: props.encryptionKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      // Links only pre-fill the request form: without the stack they lead nowhere, so the key goes with it.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The key signs intake links the organisation has already put in its own emails (valid 30 days): an unattended rotation would break every link in flight, and a link only pre-fills the form (the request is still verified through the mailbox). Rotate it by hand, between mailings, with `aws secretsmanager put-secret-value`.',
    });
    new CfnOutput(this, 'IntakeSecretName', {
      value: this.secret.secretName,
      description: 'Secret holding the intake-link key (INTAKE_LINK_SECRET for npm run intake-link)',
    });
  }

  /** `secretsmanager:GetSecretValue` on this secret, and decrypting it only through Secrets Manager: nothing else. */
  grantRead(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.secretArn] }));
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [this.key.keyArn],
        conditions: {
          StringEquals: {
            'kms:ViaService': `secretsmanager.${Stack.of(this).region}.${Stack.of(this).urlSuffix}`,
            'kms:EncryptionContext:SecretARN': this.secret.secretArn,
          },
        },
      }),
    );
  }
}
