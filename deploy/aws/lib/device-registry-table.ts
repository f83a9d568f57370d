import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { DEVICE_ITEM } from '../lambda/device-item.js';

/**
 * What ingest needs to know of each device (store, class, certificate keys, revoked), keyed by
 * device id. The seed's advice at fleet scale: IoT Core authenticates and carries messages, a
 * table of our own is the registry. Provisioning into it is not built yet (decision 056).
 */
export class DeviceRegistryTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: { readonly key: IKey }) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: DEVICE_ITEM.key, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
