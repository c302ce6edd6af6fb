import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface AlarmsProps {
  readonly stateMachine: IStateMachine;
  readonly runStoreAction: IFunction;
}

/**
 * What an operator must hear about: a request whose workflow failed or timed out (a legal deadline
 * is now at risk), and a store connector that keeps failing. Alarms have no action here; attach an
 * SNS topic or a chat integration with `alarm.addAlarmAction(...)`.
 */
export class Alarms extends Construct {
  readonly executionsFailed: Alarm;
  readonly executionsTimedOut: Alarm;
  readonly storeActionErrors: Alarm;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    const anyOf = (alarmId: string, metric: IMetric, description: string) =>
      new Alarm(this, alarmId, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });

    this.executionsFailed = anyOf(
      'ExecutionsFailed',
      props.stateMachine.metricFailed({ period, statistic: 'Sum' }),
      'A data-subject request workflow failed: the request is stuck and its legal deadline is at risk. Find the execution (named after the request id) in Step Functions.',
    );
    this.executionsTimedOut = anyOf(
      'ExecutionsTimedOut',
      props.stateMachine.metricTimedOut({ period, statistic: 'Sum' }),
      'A data-subject request workflow timed out: the request needs an officer.',
    );
    this.storeActionErrors = anyOf(
      'StoreActionErrors',
      props.runStoreAction.metricErrors({ period, statistic: 'Sum' }),
      'The store connector (runStoreAction) failed: a store may be unreachable or misconfigured; failed stores are recorded on the request for a retry.',
    );
  }
}
