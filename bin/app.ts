import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildDsrStack, dsrStackName } from '../lib/dsr-stack.ts';

/**
 * The CDK app: `npx cdk synth` / `npm run deploy` (`cdk deploy --strict`). The deploy context
 * (mailFrom, domainName, certificateArn, officerEmail, alarmEmail, webhookEndpoints, allowDemo...)
 * and every operator setting (`-c autoApprove=access`, ...) are described in docs/configuration.md
 * and read by `propsFromContext` in lib/dsr-stack.ts; docs/deploy.md walks through a deployment.
 * cdk-nag's AwsSolutions pack runs as a validation plugin: unacknowledged findings fail the synth.
 */
const app = new App();
buildDsrStack(app, dsrStackName);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
