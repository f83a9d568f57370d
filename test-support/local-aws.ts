import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { tempDir } from './temp-dir.js';

/**
 * Credentials for the local servers: dynalite takes any, s3rver only its own pair. Set in the
 * environment, so the adapters find them through the SDK's default chain as they would on AWS.
 */
export function useLocalAwsCredentials(): void {
  process.env['AWS_ACCESS_KEY_ID'] = 'S3RVER';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'S3RVER';
  process.env['AWS_REGION'] ??= 'us-east-1';
}

/** A DynamoDB-compatible server in this process, in memory, on a free port; stopped after `t`. */
export async function startDynalite(t: TestContext): Promise<{ endpoint: string; port: number }> {
  useLocalAwsCredentials();
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, port };
}

/** An S3-compatible server in this process, on a temporary directory and a free port. */
export async function startS3rver(t: TestContext): Promise<{ endpoint: string }> {
  useLocalAwsCredentials();
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: await tempDir(t, 's3rver-'),
  });
  const { port } = await server.run();
  t.after(() => server.close());
  return { endpoint: `http://127.0.0.1:${port}` };
}
