import { Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnTopicRule } from 'aws-cdk-lib/aws-iot';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEVICE_CLASSES, devicePermissions } from '../../../src/contract/index.js';
import { RULE_SELECT } from '../lambda/rule-event.js';

/**
 * Every topic filter a device publishes under, from the contract: `dt/<class>/+/+` for each
 * class, and the three per-device topics (command response, shadow report, job status).
 */
export function ruleTopicFilters(): string[] {
  const filters = DEVICE_CLASSES.flatMap((c) => devicePermissions(c, '+').publish);
  return [...new Set(filters)];
}

/** An IoT rule name: letters, digits and underscores. */
export const ruleName = (filter: string): string =>
  `fleetplane_ingest_${filter.replaceAll('+', 'any').replace(/[^A-Za-z0-9]+/g, '_')}`;

/**
 * One topic rule per device-published topic filter, each invoking the ingest function. When IoT
 * cannot invoke it (throttled, missing permission) the rule's error action puts the message on
 * the dead-letter queue, so nothing a device sent is dropped silently.
 */
export class IngestRules extends Construct {
  readonly rules: CfnTopicRule[];
  readonly errorActionRole: Role;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly fn: IFunction; readonly deadLetters: IQueue },
  ) {
    super(scope, id);
    const errorRole = (this.errorActionRole = new Role(this, 'ErrorActionRole', {
      assumedBy: new ServicePrincipal('iot.amazonaws.com'),
    }));
    props.deadLetters.grantSendMessages(errorRole);
    this.rules = ruleTopicFilters().map((filter) => {
      const name = ruleName(filter);
      const rule = new CfnTopicRule(this, name, {
        ruleName: name,
        topicRulePayload: {
          sql: `${RULE_SELECT} FROM '${filter}'`,
          awsIotSqlVersion: '2016-03-23',
          ruleDisabled: false,
          actions: [{ lambda: { functionArn: props.fn.functionArn } }],
          errorAction: {
            sqs: {
              queueUrl: props.deadLetters.queueUrl,
              roleArn: errorRole.roleArn,
              useBase64: false,
            },
          },
        },
      });
      props.fn.addPermission(`Invoke-${name}`, {
        principal: new ServicePrincipal('iot.amazonaws.com'),
        sourceArn: rule.attrArn,
        sourceAccount: Stack.of(this).account,
      });
      return rule;
    });
  }
}
