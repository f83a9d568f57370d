import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  Table,
  TableEncryption,
  type Attribute,
} from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  TELEMETRY_TABLE_DESIGN,
  type KeyAttribute,
} from '../../../src/stores/telemetry/dynamodb/telemetry-table.js';

const attribute = (key: KeyAttribute): Attribute => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/**
 * The telemetry table of decision 054, declared from the adapter's own key design (so the adapter
 * and the deployment cannot disagree): on-demand, TTL on, point-in-time recovery, encrypted under
 * the telemetry domain's customer-managed key. Kept when the stack is deleted.
 */
export class TelemetryTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: { readonly key: IKey }) {
    super(scope, id);
    const design = TELEMETRY_TABLE_DESIGN;
    this.table = new Table(this, 'Table', {
      partitionKey: attribute(design.partitionKey),
      sortKey: attribute(design.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: design.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of design.localIndexes) {
      this.table.addLocalSecondaryIndex({
        indexName: index.name,
        sortKey: attribute(index.sortKey),
      });
    }
    for (const index of design.globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
      });
    }
  }
}
