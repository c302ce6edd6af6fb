import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildDsrStack, dsrStackName } from '../lib/dsr-stack.ts';

/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy`. Optional context:
 *   -c mailFrom=privacy@your-domain.example   (default privacy@example.com)
 *   -c publicBaseUrl=https://privacy.your-domain.example
 *   -c officerCallbackUrls=https://privacy.your-domain.example/console
 *   -c officerDomainPrefix=your-org-privacy
 *   -c webhookEndpoints='{"crm-partner":"https://crm.example.com/dsr"}'
 *       (processor URLs for webhook stores declared with `endpoint: { env: NAME }`; a store left
 *       out deploys without its variable and fails at run time with a clear configuration error)
 *   -c alarmEmail=ops@your-domain.example   (alarms go to an SNS topic emailing this address)
 *   -c officerEmail=privacy-officers@your-domain.example   (due-date reminders and escalations;
 *       default privacy-officers@example.com)
 * cdk-nag's AwsSolutions pack runs as a validation plugin: unacknowledged findings fail the synth.
 */
const app = new App();
buildDsrStack(app, dsrStackName);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
