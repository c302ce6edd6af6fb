import { CfnOutput, Stack } from 'aws-cdk-lib';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { ConfigurationSet, ConfigurationSetTlsPolicy, EmailIdentity, Identity, SuppressionReasons } from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { resourceFinding, type WildcardAcknowledgement } from './nag-acknowledgements.ts';

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

  /**
   * `ses:SendEmail` on the sender identity and its configuration set; and, because an account in the
   * SES sandbox also authorizes each recipient's identity, on the account's identities only when
   * the mail comes from our own address. Returns the wildcard finding that second grant produces.
   */
  grantSend(grantee: IGrantable & IConstruct): WildcardAcknowledgement[] {
    grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['ses:SendEmail'], resources: [this.identityArn, this.configurationSetArn] }));
    const recipientIdentities = Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: '*' });
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [recipientIdentities],
        conditions: { StringEquals: { 'ses:FromAddress': this.mailFrom } },
      }),
    );
    return [
      {
        finding: resourceFinding(grantee, recipientIdentities),
        reason: `In the SES sandbox, SES authorizes ses:SendEmail on each recipient's identity too (the verified test mailboxes): allowed only when the mail is sent from ${this.mailFrom}, our one sender.`,
      },
    ];
  }
}

/** The domain of a sender address, refusing anything that could not be a single plain address. */
export function senderDomain(address: string): string {
  const match = /^[^\s@<>"]+@([a-z0-9-]+(?:\.[a-z0-9-]+)+)$/i.exec(address);
  if (!match) throw new Error(`mailFrom "${address}" is not a plain address like privacy@example.com`);
  return match[1]!.toLowerCase();
}
