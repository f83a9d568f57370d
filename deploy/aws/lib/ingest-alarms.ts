import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  Metric,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Operation, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface IngestAlarmsProps {
  readonly fn: IFunction;
  readonly deadLetters: IQueue;
  readonly telemetryTable: ITable;
  readonly ruleNames: readonly string[];
  readonly topicKey: IKey;
}

const FIVE_MINUTES = Duration.minutes(5);

/**
 * The alarms that say data is being lost or refused, each to one encrypted SNS topic operators
 * subscribe to: the seed's "ingest errors > 1 % for 10 minutes" and "auth failures > 100 in 5
 * minutes", plus anything on the dead-letter queue, function throttles, rule action failures and
 * telemetry write throttles.
 */
export class IngestAlarms extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: IngestAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { masterKey: props.topicKey, enforceSSL: true });
    const action = new SnsAction(this.topic);
    const alarm = (name: string, metric: IMetric, threshold: number, periods = 1, what = '') => {
      const a = new Alarm(this, name, {
        alarmDescription: what,
        metric,
        threshold,
        evaluationPeriods: periods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(action);
      this.alarms.push(a);
    };

    const errorRate = new MathExpression({
      expression: '100 * errors / MAX([invocations, 1])',
      usingMetrics: {
        errors: props.fn.metricErrors({ period: FIVE_MINUTES }),
        invocations: props.fn.metricInvocations({ period: FIVE_MINUTES }),
      },
      period: FIVE_MINUTES,
    });
    alarm(
      'IngestErrors',
      errorRate,
      1,
      2,
      'Ingest function errors above 1 % for 10 minutes: messages are waiting on retries or the dead-letter queue.',
    );
    alarm(
      'IngestThrottles',
      props.fn.metricThrottles({ period: FIVE_MINUTES }),
      0,
      1,
      'Ingest function throttled: raise its concurrency or the account limit.',
    );
    alarm(
      'DeadLetters',
      props.deadLetters.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES }),
      0,
      1,
      'Messages on the ingest dead-letter queue: look, fix, redrive.',
    );
    const ruleFailures = Object.fromEntries(
      props.ruleNames.map((ruleName, i) => [
        `r${i}`,
        new Metric({
          namespace: 'AWS/IoT',
          metricName: 'Failure',
          dimensionsMap: { RuleName: ruleName },
          statistic: 'Sum',
          period: FIVE_MINUTES,
        }),
      ]),
    );
    alarm(
      'RuleFailures',
      new MathExpression({
        expression: `SUM([${Object.keys(ruleFailures).join(',')}])`,
        usingMetrics: ruleFailures,
        period: FIVE_MINUTES,
      }),
      0,
      1,
      'A topic rule could not invoke the ingest function; its error action put the message on the dead-letter queue.',
    );
    alarm(
      'TelemetryThrottles',
      props.telemetryTable.metricThrottledRequestsForOperations({
        operations: [
          Operation.PUT_ITEM,
          Operation.UPDATE_ITEM,
          Operation.QUERY,
          Operation.GET_ITEM,
        ],
        period: FIVE_MINUTES,
      }),
      0,
      1,
      'Telemetry table throttled requests.',
    );
    alarm(
      'AuthFailures',
      new Metric({
        namespace: 'AWS/IoT',
        metricName: 'Connect.AuthNError',
        statistic: 'Sum',
        period: FIVE_MINUTES,
      }),
      100,
      1,
      'More than 100 failed device authentications in 5 minutes: a certificate problem across the fleet, or someone trying stolen credentials.',
    );
  }
}
