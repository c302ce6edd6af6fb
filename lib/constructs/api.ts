import { CfnOutput, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination, type HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routes, type FunctionName, type Route } from '../catalog.ts';

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

function acknowledgePublicRoute(route: HttpRoute, spec: Route): void {
  const why = `${spec.method} ${spec.path} is for requesters, who have no account: it is public by design, throttled by the stage and rate-limited per email and source IP in the handler, and never reveals whether a person exists.`;
  Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: why });
}
