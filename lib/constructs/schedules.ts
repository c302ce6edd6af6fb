import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { functionCatalog, type FunctionName, type FunctionSpec } from '../function-catalog.ts';

export interface SchedulesProps {
  readonly functions: Record<FunctionName, IFunction>;
  /** How often each scheduled function runs. Default: every hour. */
  readonly rate?: Duration;
}

/**
 * One EventBridge rule per `scheduled` function of the catalog (the local stack runs the same
 * functions on a timer). The functions ignore their input and are safe to run twice at once.
 */
export class Schedules extends Construct {
  readonly rules: Partial<Record<FunctionName, Rule>> = {};

  constructor(scope: Construct, id: string, props: SchedulesProps) {
    super(scope, id);
    for (const [name, spec] of Object.entries(functionCatalog) as [FunctionName, FunctionSpec][]) {
      if (spec.kind !== 'scheduled') continue;
      const rule = new Rule(this, `${name}Schedule`, {
        description: `dsr-workflow: runs ${name} (${spec.description})`.slice(0, 512),
        schedule: Schedule.rate(props.rate ?? Duration.hours(1)),
      });
      // A missed run is made up by the next one: a couple of retries, and no event older than the interval.
      rule.addTarget(new LambdaFunction(props.functions[name], { retryAttempts: 2, maxEventAge: props.rate ?? Duration.hours(1) }));
      this.rules[name] = rule;
    }
  }
}
