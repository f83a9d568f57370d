import { App, Validations } from 'aws-cdk-lib';
import nag from 'cdk-nag';
import { FleetplaneStack } from '../lib/fleetplane-stack.js';

/**
 * `cdk synth` entry. No account or region is needed: the template uses pseudo parameters, so one
 * synth serves every account. Context: `retentionDays`, `iotDataEndpoint`.
 */
const app = new App();
const retention = Number(app.node.tryGetContext('retentionDays') ?? NaN);
const endpoint: unknown = app.node.tryGetContext('iotDataEndpoint');
new FleetplaneStack(app, 'Fleetplane', {
  description: 'fleetplane on AWS: IoT Core, ingest function, DynamoDB, S3 (decision 056)',
  ...(Number.isFinite(retention) && retention > 0 ? { retentionDays: retention } : {}),
  ...(typeof endpoint === 'string' && endpoint ? { iotDataEndpoint: endpoint } : {}),
});
// cdk-nag's AWS Solutions rules as a validation plugin: an unacknowledged finding fails the synth.
Validations.of(app).addPlugins(new nag.AwsSolutionsChecks(app, { verbose: true }));
