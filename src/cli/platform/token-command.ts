import { UsageError, requireString, stringOption, type Command } from '../command.js';
import { dataDir } from '../identity/options.js';
import { isApiRole, API_ROLES } from '../../api/roles.js';
import { issueToken, loadTokenKeys, MAX_TOKEN_TTL_SECONDS } from '../../api/tokens.js';
import { openIdentity, requireStore, type Clock } from '../../identity/index.js';
import { platformLayout } from '../../platform/platform-layout.js';
import type { StoreId } from '../../contract/index.js';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** 90s, 15m, 12h, 7d. */
export function parseDuration(text: string): number {
  const match = /^([0-9]{1,7})([smhd])$/.exec(text);
  if (!match) throw new UsageError(`--ttl must look like 90s, 15m, 12h or 7d, got '${text}'`);
  const seconds = Number(match[1]) * UNITS[match[2]!]!;
  if (seconds < 1 || seconds > MAX_TOKEN_TTL_SECONDS) {
    throw new UsageError(`--ttl must be between 1s and ${MAX_TOKEN_TTL_SECONDS / 86_400}d`);
  }
  return seconds;
}

export function tokenCommand(now: Clock): Command {
  return {
    path: ['token'],
    summary: 'Issue a signed, expiring bearer token for the HTTP API.',
    usage: `token --data DIR --role ${API_ROLES.join('|')} [--store ID] [--region us|eu] [--ttl 12h] [--subject NAME]`,
    details: [
      'The token is printed alone on the last line, so a script can take it with `tail -1`:',
      '  TOKEN=$(fleetplane token --data DIR --role ops | tail -1)',
      '  curl --cacert DIR/ca/trust-bundle.pem -H "Authorization: Bearer $TOKEN" \\',
      '    https://localhost:8080/v1/devices/CART-0001',
      'Staff tokens are bound to one store (--store is required for them).',
      'A customer token names its account: --subject CUSTOMER_ID. --region: where a privacy or',
      'ops caller acts from; requests for accounts of another region are refused (residency).',
    ],
    options: {
      data: { type: 'string' },
      role: { type: 'string' },
      store: { type: 'string' },
      region: { type: 'string' },
      ttl: { type: 'string' },
      subject: { type: 'string' },
    },
    required: ['data', 'role'],
    async run(values, io) {
      const dir = dataDir(values);
      const role = requireString(values, 'role');
      if (!isApiRole(role)) {
        throw new UsageError(`--role must be one of ${API_ROLES.join(', ')}, got '${role}'`);
      }
      const store = stringOption(values, 'store');
      if (role === 'staff' && store === undefined) {
        throw new UsageError('a staff token is bound to a store: give --store ID');
      }
      if (store !== undefined) {
        await requireStore(openIdentity(dir).stores, store as StoreId);
      }
      const region = stringOption(values, 'region');
      if (region !== undefined && region !== 'us' && region !== 'eu') {
        throw new UsageError(`--region must be us or eu, got '${region}'`);
      }
      const ttl = stringOption(values, 'ttl');
      const ttlSeconds = ttl === undefined ? undefined : parseDuration(ttl);
      const subject = stringOption(values, 'subject');
      const keys = await loadTokenKeys(platformLayout(dir).tokenKey);
      const issuedAt = now();
      const token = await issueToken(
        keys,
        {
          role,
          ...(store !== undefined ? { store } : {}),
          ...(region !== undefined ? { region: region as 'us' | 'eu' } : {}),
          ...(subject !== undefined ? { subject } : {}),
          ...(ttlSeconds !== undefined ? { ttlSeconds } : {}),
        },
        issuedAt,
      );
      const expires = new Date(issuedAt.getTime() + (ttlSeconds ?? 12 * 3600) * 1000);
      io.err(
        `${role} token${store ? ` for store ${store}` : ''}, expires ${expires.toISOString()}`,
      );
      io.out(token);
    },
  };
}
