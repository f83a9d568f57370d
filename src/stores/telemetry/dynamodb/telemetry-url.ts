import { Failure } from '../../../shared/failure.js';

export class TelemetryUrlFailure extends Failure<'invalid-telemetry-url'> {}

export interface DynamoDbTelemetryLocation {
  readonly table: string;
  /** Absent: AWS's endpoint for the region. */
  readonly endpoint?: string;
  readonly region?: string;
}

const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * `dynamodb://HOST:PORT/TABLE` (plain HTTP to a local or self-hosted server),
 * `dynamodbs://HOST:PORT/TABLE` (HTTPS), or `dynamodb:///TABLE` for AWS itself; `?region=NAME`
 * overrides the SDK's region.
 */
export function parseDynamoDbTelemetryUrl(text: string): DynamoDbTelemetryLocation {
  const bad = (why: string) =>
    new TelemetryUrlFailure(
      'invalid-telemetry-url',
      `'${text}' is not a telemetry URL: ${why} (dynamodb://HOST:PORT/TABLE, or dynamodb:///TABLE for AWS)`,
    );
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad('it does not parse');
  }
  if (url.protocol !== 'dynamodb:' && url.protocol !== 'dynamodbs:') {
    throw bad('the scheme must be dynamodb: or dynamodbs:');
  }
  const table = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!TABLE_NAME.test(table)) throw bad('the table name must be 3-255 of A-Z a-z 0-9 _ . -');
  const region = url.searchParams.get('region') ?? undefined;
  if (url.host === '') return { table, ...(region ? { region } : {}) };
  const scheme = url.protocol === 'dynamodbs:' ? 'https' : 'http';
  return { table, endpoint: `${scheme}://${url.host}`, ...(region ? { region } : {}) };
}
