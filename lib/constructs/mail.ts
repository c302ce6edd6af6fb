import { CfnOutput, Stack } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { ConfigurationSet, ConfigurationSetTlsPolicy, EmailIdentity, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface MailProps {
  /** The sender address, e.g. `privacy@example.com`; its domain becomes the SES identity. */
  readonly mailFrom: string;
}

/**
 * The SES v2 identity for the sender's domain (Easy DKIM: publish the three CNAMEs in the outputs)
 * and the configuration set every message goes through (TLS required, bounces and complaints
 * suppressed). Functions get `ses:SendEmail` on exactly these two ARNs.
 */
export class Mail extends Construct {
  readonly mailFrom: string;
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  readonly identityArn: string;
  readonly configurationSetArn: string;

  constructor(scope: Construct, id: string, props: MailProps) {
    super(scope, id);
    this.mailFrom = props.mailFrom;
    const domain = senderDomain(props.mailFrom);

    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
      sendingEnabled: true,
    });
    this.identity = new EmailIdentity(this, 'Identity', {
      identity: Identity.domain(domain),
      configurationSet: this.configurationSet,
    });
    this.identityArn = this.identity.emailIdentityArn;
    this.configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });

    this.identity.dkimRecords.forEach((record, index) => {
      new CfnOutput(this, `DkimRecord${index + 1}`, {
        description: `DKIM CNAME ${index + 1} of 3 to publish for ${domain}: name = value`,
        value: `${record.name} = ${record.value}`,
      });
    });
  }

  /** `ses:SendEmail` on the identity and the configuration set it uses by default: no wildcard. */
  grantSend(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['ses:SendEmail'], resources: [this.identityArn, this.configurationSetArn] }),
    );
  }
}

/** The domain of a sender address, refusing anything that could not be a single plain address. */
export function senderDomain(address: string): string {
  const match = /^[^\s@<>"]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i.exec(address);
  if (!match) throw new Error(`mailFrom "${address}" is not a plain address like privacy@example.com`);
  return match[1]!.toLowerCase();
}
