import { Aws, CfnOutput, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { officerGroup } from '../function-catalog.ts';

export interface OfficerAuthProps {
  /** Where the console may receive the authorization code: `<public base URL>/console`, and any others given. */
  readonly callbackUrls: readonly string[];
  /** Hosted UI domain prefix (`<prefix>.auth.<region>.amazoncognito.com`); globally unique per region. */
  readonly domainPrefix?: string;
}

/**
 * Privacy officers sign in here: an invite-only user pool (no self sign-up), TOTP MFA required,
 * threat protection enforced, and the `privacy-officers` group the handlers check on every officer
 * route. The console uses the authorization code grant with PKCE (public client, no secret).
 */
export class OfficerAuth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  readonly group: UserPoolGroup;
  /** The issuer the API's JWT authorizer trusts. */
  readonly issuerUrl: string;

  constructor(scope: Construct, id: string, props: OfficerAuthProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.group = new UserPoolGroup(this, 'OfficerGroup', {
      userPool: this.userPool,
      groupName: officerGroup,
      description: 'Privacy officers: may list, read, approve and reject data-subject requests',
    });

    const callbackUrls = [...props.callbackUrls];
    this.client = this.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls,
        logoutUrls: callbackUrls,
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });

    const domainPrefix = props.domainPrefix ?? Fn.join('-', [Stack.of(this).stackName.toLowerCase(), Aws.ACCOUNT_ID]);
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix } });

    this.issuerUrl = `https://cognito-idp.${Stack.of(this).region}.amazonaws.com/${this.userPool.userPoolId}`;

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'ConsoleClientId', { value: this.client.userPoolClientId });
    new CfnOutput(this, 'SignInBaseUrl', { value: this.domain.baseUrl() });
  }
}
