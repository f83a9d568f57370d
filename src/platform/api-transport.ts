import { createPrivateKey, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP, type AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { httpsServerPolicy } from '../broker/tls-policy.js';
import { ensureServerIdentity } from '../broker/server-identity.js';
import { Failure } from '../failure.js';
import type { FleetCa } from '../identity/index.js';
import type { ApiTransportConfig, PlatformConfig } from './platform-config.js';
import type { PlatformLayout } from './platform-layout.js';

export type ApiTransportCode = 'api-http-not-loopback' | 'api-certificate';
export class ApiTransportFailure extends Failure<ApiTransportCode> {}

/** What Fastify's `https` option takes: the server's key and chain and the TLS policy. */
export type ApiHttpsOptions = { readonly key: string; readonly cert: string } & ReturnType<
  typeof httpsServerPolicy
>;

export interface ApiTransport {
  /** Absent: plain HTTP (loopback only). */
  readonly https?: ApiHttpsOptions;
  /**
   * What a client must trust to reach the API: the fleet CA's trust bundle (PEM and file) when
   * the platform issued the certificate; absent for plain HTTP and for the operator's own
   * certificate, which clients verify against the roots they already trust.
   */
  readonly trust?: ApiTrust;
}

export interface ApiTrust {
  readonly pem: string;
  readonly file: string;
}

/** The names every API certificate from the fleet CA carries, beside a configured API host. */
const LOCAL_NAMES = ['localhost', '127.0.0.1', '::1'] as const;

/** Addresses that reach only this machine: the only ones plain HTTP may listen on. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  return /^::ffff:127\./.test(bare);
}

/** The names a certificate from the fleet CA is issued for when the API listens on `host`. */
export function apiCertificateNames(host: string): string[] {
  const wildcard = host === '0.0.0.0' || host === '::';
  const names: string[] = [...LOCAL_NAMES];
  if (!wildcard && !names.includes(host.toLowerCase())) names.push(host);
  return names;
}

/** Resolves how the API is served from the configuration, issuing or reusing its certificate. */
export async function resolveApiTransport(
  config: PlatformConfig,
  context: {
    readonly layout: PlatformLayout;
    readonly ca: FleetCa;
    /** DIR/ca/trust-bundle.pem: every root a client of the fleet CA trusts. */
    readonly trustBundleFile: string;
    readonly now: Date;
  },
): Promise<ApiTransport> {
  const transport: ApiTransportConfig = config.api.transport ?? { kind: 'fleet-ca' };
  switch (transport.kind) {
    case 'http':
      if (!isLoopbackHost(config.api.host)) {
        throw new ApiTransportFailure(
          'api-http-not-loopback',
          `plain HTTP only on a loopback address; the API listens on ${config.api.host}`,
        );
      }
      return {};
    case 'operator':
      return { https: { ...(await operatorCertificate(transport)), ...httpsServerPolicy() } };
    case 'fleet-ca': {
      const { layout, ca, now } = context;
      const names = apiCertificateNames(config.api.host);
      const server = await ensureServerIdentity(layout.apiServer, ca, names, now);
      return {
        https: { key: server.keyPem, cert: server.certChainPem, ...httpsServerPolicy() },
        trust: { pem: ca.trustBundlePem(now), file: context.trustBundleFile },
      };
    }
  }
}

async function operatorCertificate(files: {
  certFile: string;
  keyFile: string;
}): Promise<{ key: string; cert: string }> {
  const read = (path: string, what: string) =>
    readFile(path, 'utf8').catch((error: unknown) => {
      throw new ApiTransportFailure(
        'api-certificate',
        `cannot read the API's ${what} ${path}: ${(error as Error).message}`,
      );
    });
  const cert = await read(files.certFile, 'certificate');
  const key = await read(files.keyFile, 'key');
  let matches: boolean;
  try {
    matches = new X509Certificate(cert).checkPrivateKey(createPrivateKey(key));
  } catch (error) {
    throw new ApiTransportFailure(
      'api-certificate',
      `${files.certFile} and ${files.keyFile} must be a PEM certificate and its PEM private key: ${(error as Error).message}`,
    );
  }
  if (!matches) {
    throw new ApiTransportFailure(
      'api-certificate',
      `the key in ${files.keyFile} is not the key of the certificate in ${files.certFile}`,
    );
  }
  return { key, cert };
}

/**
 * Listens and returns the API's URL. It names `localhost` for a loopback or wildcard address, not
 * the IP: WebAuthn cannot use an IP address as its relying party, and the fleet CA's certificate
 * names localhost.
 */
export async function listenApi(
  app: FastifyInstance,
  api: PlatformConfig['api'],
  transport: ApiTransport,
): Promise<string> {
  await app.listen({ host: api.host, port: api.port });
  const { port } = app.server.address() as AddressInfo;
  const host =
    isLoopbackHost(api.host) || api.host === '0.0.0.0' || api.host === '::'
      ? 'localhost'
      : isIP(api.host) === 6
        ? `[${api.host}]`
        : api.host;
  return `${transport.https ? 'https' : 'http'}://${host}:${port}`;
}
