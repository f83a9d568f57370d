import { IoTDataPlaneClient, PublishCommand } from '@aws-sdk/client-iot-data-plane';
import type { FeedbackPublisher } from '../../../src/pipeline/ingest/ingest-pipeline.js';

/**
 * Rejections go back to the device on `devices/errors/<id>` through IoT Core's data plane, at
 * QoS 1 as on the self-hosted broker. `endpoint` is the account's data endpoint
 * (`aws iot describe-endpoint --endpoint-type iot:Data-ATS`); without it the SDK's regional default
 * is used.
 */
export function iotFeedback(endpoint: string | undefined): FeedbackPublisher {
  const client = new IoTDataPlaneClient(endpoint ? { endpoint: `https://${endpoint}` } : {});
  return async (topic, payload) => {
    await client.send(new PublishCommand({ topic, qos: 1, payload }));
  };
}
