import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface AlarmsProps {
  readonly stateMachine: IStateMachine;
  readonly runStoreAction: IFunction;
  /** When set, every alarm (and its return to OK) is emailed here through an SNS topic. */
  readonly alarmEmail?: string;
}

/**
 * What an operator must hear about: a request whose workflow failed or timed out (a legal deadline
 * is now at risk), and a store connector that keeps failing. With `alarmEmail` the alarms notify an
 * encrypted SNS topic with that email subscribed (confirm the subscription from the first email);
 * without it they have no action: attach one with `alarm.addAlarmAction(...)`.
 */
export class Alarms extends Construct {
  readonly executionsFailed: Alarm;
  readonly executionsTimedOut: Alarm;
  readonly storeActionErrors: Alarm;
  readonly topic?: Topic;

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

    if (props.alarmEmail) {
      // Its own small key, not the data key: CloudWatch must be allowed to use it, and alarm
      // messages carry no personal data (names of alarms and metrics only).
      const key = new Key(this, 'TopicKey', {
        description: 'dsr-workflow: encrypts the alarm topic',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
      this.topic = new Topic(this, 'Topic', { displayName: 'dsr-workflow alarms', masterKey: key, enforceSSL: true });
      this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
      const action = new SnsAction(this.topic);
      for (const alarm of [this.executionsFailed, this.executionsTimedOut, this.storeActionErrors]) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }
}
