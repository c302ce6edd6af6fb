import { CfnOutput, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, type HttpStage, LogGroupLogDestination, type HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routes, type FunctionName, type Route } from '../function-catalog.ts';

export interface ApiProps {
  readonly functions: Record<FunctionName, IFunction>;
  /** Issuer of officer tokens: `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
  readonly jwtIssuer: string;
  /** Accepted `aud` / `client_id`: the console's app client. */
  readonly jwtAudience: readonly string[];
  readonly throttle?: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetention?: RetentionDays;
}

/**
 * The HTTP API (payload v2): one route per entry of the route table, each to its catalog
 * function; officer routes behind a JWT authorizer (the handlers then check the officer group).
 * No CORS: the pages are served from the same origin. The `$default` stage is throttled and
 * access-logged without personal data (no source IP, no user agent, route templates not paths).
 */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly routes: HttpRoute[] = [];
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'HttpApi', {
      description: 'dsr-workflow: data-subject requests (public pages and officer console API)',
      createDefaultStage: false,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 20, burstLimit: 40 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTimeEpoch',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
    this.url = this.stage.url;

    const officerAuthorizer = new HttpJwtAuthorizer('OfficerJwt', props.jwtIssuer, {
      jwtAudience: [...props.jwtAudience],
      identitySource: ['$request.header.Authorization'],
    });

    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const integrationFor = (name: FunctionName) => {
      let integration = integrations.get(name);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${name}Integration`, props.functions[name]);
        integrations.set(name, integration);
      }
      return integration;
    };

    for (const route of routes) {
      const [added] = this.httpApi.addRoutes({
        path: route.path,
        methods: [HttpMethod[route.method]],
        integration: integrationFor(route.function),
        ...(route.auth === 'officer' ? { authorizer: officerAuthorizer } : {}),
      });
      if (route.auth === 'public') acknowledgePublicRoute(added!, route);
      this.routes.push(added!);
    }

    new CfnOutput(this, 'Url', { value: this.url, description: 'Base URL of the requester pages and the API' });
  }
}

/**
 * Why a route has no authorizer. Requesters have no account; a processor's callback has no Cognito
 * identity, and proves itself with the store's signature instead. A public route not described
 * here fails the synth: its reason must be written down first.
 */
function publicRouteReason(spec: Route): string {
  if (spec.function === 'storeCallback') {
    return `${spec.method} ${spec.path} is called by the third-party processor behind a webhook store, which has no Cognito identity: the handler accepts only webhook stores of the catalog, and refuses (401) any body without a valid HMAC-SHA256 signature by that store's secret over the timestamp and the exact raw body (5-minute window against replays) before parsing it; a valid answer settles only a task that is waiting, and the stage throttles the route.`;
  }
  if (spec.function === 'pages') {
    return `${spec.method} ${spec.path} serves the static requester pages and their assets: no personal data and no state change, public by design so requesters without an account can reach the form.`;
  }
  if (spec.function === 'submitRequest') {
    return `${spec.method} ${spec.path} takes a request from a requester, who has no account: public by design. The body is validated, nothing reaches a store until the mailbox is proven by an emailed one-time link, the answer never reveals whether the person is known, and the stage throttle bounds the rate, and the handler limits submissions per source IP (429) and new requests per canonical email.`;
  }
  if (spec.function === 'confirmHeldRequest') {
    return `${spec.method} ${spec.path} lets a mailbox owner confirm a request our per-mailbox mail limit held back, with the status link from another email to that mailbox: public by design (requesters have no account). It needs an unguessable status token (stored hashed), acts only on a request held for that same mailbox, answers every refusal with the same 404, and is throttled per IP and by the stage.`;
  }
  if (spec.function === 'requestStatus' || spec.function === 'cancelRequest') {
    return `${spec.method} ${spec.path} is reached from the status link in every email to the requester, who has no account: public by design. It acts only on presentation of an unguessable token from one of those emails (stored hashed, compared in constant time), answers every unknown or malformed token with the same 404, shows no personal data beyond the request's own status and dates, and is throttled by the stage.`;
  }
  if (spec.function === 'openIntakeLink') {
    return `${spec.method} ${spec.path} is reached from a signed "manage my data" link the organisation emailed to a person without an account: public by design. It only checks the link's HMAC-SHA256 signature and expiry and returns the address the link was made for (to pre-fill the form); it reads and changes nothing else, and the stage throttles it.`;
  }
  if (spec.function === 'verifyRequest' || spec.function === 'downloadExport') {
    return `${spec.method} ${spec.path} is reached from a link emailed to the requester, who has no account: public by design. It acts only on presentation of the unguessable, expiring token from that email (stored hashed), answers an unknown token like an expired one, and is throttled by the stage.`;
  }
  throw new Error(`Route ${spec.method} ${spec.path} is public but has no reason written for it in api.ts (publicRouteReason)`);
}

function acknowledgePublicRoute(route: HttpRoute, spec: Route): void {
  Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: publicRouteReason(spec) });
}
