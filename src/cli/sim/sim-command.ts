import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { rootCertificates } from 'node:tls';
import { issueToken, loadTokenKeys, MAX_TOKEN_TTL_SECONDS } from '../../surfaces/api/tokens.js';
import { readPlatformLock, type PlatformLockInfo } from '../../stores/data-dir/platform-lock.js';
import { dataLayout } from '../../stores/data-dir/index.js';
import { apiFetch } from '../platform/api-fetch.js';
import { runFleet, type FleetProgress, type FleetResult } from '../../device/sim/fleet.js';
import { httpPlatformView, sessionRoutes } from '../../device/sim/http-platform-view.js';
import { openIdentity, requireStore, type Clock } from '../../edge/identity/index.js';
import { platformLayout } from '../../platform/platform-layout.js';
import { UsageError, requireString, stringOption, type Command } from '../command.js';
import { processStopSignal, type StopSignal } from '../platform/start-command.js';
import { findFirmwareSigningPublicKey } from '../../domain/ota/signing/index.js';
import { SCENARIO_NAMES, simCarts, type ScenarioName } from './cart-factory.js';
import { formatDuration, parseDuration } from './duration.js';
import { faultOptionHelp, faultOptionSpec, parseFaultOptions } from './fault-options.js';
import {
  deviceFaultOptionHelp,
  deviceFaultOptionSpec,
  parseDeviceFaultOptions,
} from './device-fault-options.js';
import { simDevices } from './device-factory.js';
import { deviceRunBroken, deviceSummaryJson, deviceSummaryLines } from './device-summary.js';
import { runDeviceFleet } from '../../device/sim/device-fleet.js';
import { httpTelemetryView } from '../../device/sim/http-telemetry-view.js';
import type { DeviceClass } from '../../contract/index.js';
import { provisionFleet } from './provision-fleet.js';
import { ensureCatalog, storeShelf } from './sim-catalog.js';
import { summaryJson, summaryLines } from './sim-summary.js';

const PROGRESS_EVERY_MS = 5000;

export function simCommand(now: Clock, stopSignal: StopSignal = processStopSignal): Command {
  const command: Command = {
    path: ['sim'],
    summary:
      'Run a simulated fleet of carts, cold-chain sensors and tools against a running platform and check what it stored.',
    usage:
      'sim --data DIR --store S [--carts N --scenario golden|edge|mixed] [--coldchain N] [--tools N] --duration D [--speed X] [--seed N] [--mqtt mqtts://HOST:PORT] [--api https://HOST:PORT] [--device-api https://HOST:PORT] [fault flags]',
    details: [
      '--carts, --coldchain, --tools N   how many of each class (at least one of them)',
      '--data DIR         the fleet CA and registry; devices are provisioned into DIR/sim/<store>/',
      '                   on first use and reused after',
      '--store S          a store of the registry (fleetplane store add)',
      '--duration D       simulated time to run: 90s, 15m, 8h, 7d (trips under way then are cut off)',
      '--speed X          simulated seconds per real second (default 1)',
      '--seed N           repeat a run: same customers, trips and faults (default 1)',
      '--mqtt, --api, --device-api   the platform; default: the one running on DIR (an https',
      "                   --api is trusted with DIR's fleet CA or Node's usual roots)",
      '--mean-idle D      mean time a cart waits for its next customer (default 45m)',
      '--sensor-interval D  seconds between cold-chain readings until set-interval (default 5m)',
      ...faultOptionHelp,
      ...deviceFaultOptionHelp,
      'A third into the run each sensor gets set-interval 120 s and each tool a ping, through the API.',
      'The last line of output is one JSON object with the counts. Exit 1 when an invariant breaks.',
      'Example: fleetplane sim --data ./fleet-data --store berlin-1 --carts 50 --scenario mixed',
      '           --duration 8h --speed 60 --links-down at=2h,for=15m,carts=20%',
    ],
    options: {
      data: { type: 'string' },
      store: { type: 'string' },
      carts: { type: 'string' },
      coldchain: { type: 'string' },
      tools: { type: 'string' },
      'sensor-interval': { type: 'string' },
      scenario: { type: 'string' },
      duration: { type: 'string' },
      speed: { type: 'string' },
      seed: { type: 'string' },
      mqtt: { type: 'string' },
      api: { type: 'string' },
      'device-api': { type: 'string' },
      'mean-idle': { type: 'string' },
      ...faultOptionSpec,
      ...deviceFaultOptionSpec,
    },
    required: ['data', 'store', 'duration'],
    async run(values, io) {
      const dataDir = resolve(requireString(values, 'data'));
      const storeId = requireString(values, 'store');
      const carts = count(values['carts'], 'carts');
      const sensors = count(values['coldchain'], 'coldchain');
      const tools = count(values['tools'], 'tools');
      if (carts + sensors + tools === 0)
        throw new UsageError('give --carts N, --coldchain N or --tools N (at least one)');
      const scenarioName =
        carts > 0 ? scenario(requireString(values, 'scenario')) : ('golden' as const);
      const interval = stringOption(values, 'sensor-interval');
      const sensorIntervalS =
        interval === undefined ? undefined : durationOption(interval, 'sensor-interval') / 1000;
      const deviceFaults = parseDeviceFaultOptions(values);
      const durationMs = durationOption(requireString(values, 'duration'), 'duration');
      const meanIdle = stringOption(values, 'mean-idle');
      const meanIdleMs = meanIdle === undefined ? undefined : durationOption(meanIdle, 'mean-idle');
      const speed = positiveNumber(stringOption(values, 'speed') ?? '1', 'speed');
      const seed = nonNegativeInteger(stringOption(values, 'seed') ?? '1', 'seed');
      const faults = parseFaultOptions(values);

      const lock = await readPlatformLock(dataDir);
      const endpoint = (flag: string, fromLock: string | undefined) => {
        const value = stringOption(values, flag) ?? fromLock;
        if (value === undefined)
          throw new UsageError(`--${flag} is required: no platform is running on ${dataDir}`);
        return value;
      };
      const mqttUrl = endpoint('mqtt', lock?.mqttUrl);
      const apiUrl = endpoint('api', lock?.apiUrl);
      const deviceApiUrl = stringOption(values, 'device-api') ?? lock?.deviceApiUrl;
      const fetchApi = apiFetch(
        await apiTrust(dataDir, values['api'] === undefined ? lock : undefined),
      );
      if (lock && (values['mqtt'] === undefined || values['api'] === undefined)) {
        io.err(`Using the platform running on ${dataDir} (pid ${lock.pid}): ${mqttUrl}, ${apiUrl}`);
      }

      const store = await requireStore(openIdentity(dataDir, { now }).stores, storeId);
      const shelf = storeShelf(store.id);

      const provision = async (deviceClass: DeviceClass, n: number, label: string) => {
        const started = performance.now();
        const provisioned = await provisionFleet(dataDir, store.id, n, {
          now,
          deviceClass,
          onProgress: (done) => {
            if (done % 250 === 0) io.err(`  provisioned ${done}/${n}`);
          },
        });
        io.err(
          `${label}: ${provisioned.issued} provisioned, ${provisioned.reused} reused from DIR/sim/${store.id}/ ` +
            `(${Math.round(performance.now() - started)} ms)`,
        );
        return provisioned.identities;
      };
      const cartIdentities = carts > 0 ? await provision('cart', carts, 'Carts') : [];
      const sensorIdentities = sensors > 0 ? await provision('coldchain', sensors, 'Sensors') : [];
      const toolIdentities = tools > 0 ? await provision('tool', tools, 'Tools') : [];

      const ttl = Math.min(MAX_TOKEN_TTL_SECONDS, Math.ceil(durationMs / speed / 1000) + 3600);
      const token = await issueToken(
        await loadTokenKeys(platformLayout(dataDir).tokenKey),
        { role: 'ops', subject: 'sim', ttlSeconds: ttl },
        now(),
      );
      const firmwareSigningKey = await findFirmwareSigningPublicKey(dataDir);
      const abort = new AbortController();
      void stopSignal().then((why) => {
        io.err(`${why}: stopping the fleet…`);
        abort.abort();
      });

      const runCarts = async (): Promise<{ lines: string[]; json: object; broken: boolean }> => {
        io.err(await ensureCatalog({ apiUrl, token, storeId: store.id, shelf, fetch: fetchApi }));
        const routes = await sessionRoutes(apiUrl, fetchApi);
        const sessionsServed = routes.get;
        if (!routes.get)
          io.err(
            `${apiUrl} serves no GET /v1/sessions/{id} (see its /openapi.json): invariants not checked`,
          );
        const { createCart, scenarios } = simCarts({
          mqttUrl,
          seed,
          shelf,
          ...(deviceApiUrl ? { deviceApiUrl } : {}),
          ...(firmwareSigningKey ? { firmwareSigningKey } : {}),
        });
        io.err(
          `Simulating ${carts} carts in ${store.id}, scenario ${scenarioName}, ${formatDuration(durationMs)} at ${speed}×, seed ${seed}` +
            (faults.length ? `, ${faults.length} faults` : ''),
        );
        const result: FleetResult = await runFleet({
          identities: cartIdentities,
          site: {
            storeId: store.id,
            currency: 'EUR',
            geofence: { lat: 52.52, lon: 13.405, radiusM: 150 },
          },
          createCart,
          scenario: scenarios[scenarioName],
          durationMs,
          // The run is as long as asked: customers still shopping at the end stop where they are,
          // as on Ctrl-C, rather than finishing for up to half an hour more.
          closingGraceMs: 0,
          speed,
          seed,
          faults,
          signal: abort.signal,
          progressEveryMs: PROGRESS_EVERY_MS,
          onProgress: (p) => io.err(progressLine(p, durationMs)),
          ...(meanIdleMs !== undefined ? { meanIdleMs } : {}),
          ...(sessionsServed
            ? {
                verify: {
                  view: httpPlatformView(apiUrl, token, {
                    listSessions: routes.list,
                    fetch: fetchApi,
                  }),
                },
              }
            : {}),
        });
        const notChecked = sessionsServed
          ? (result.invariants?.notChecked ?? [])
          : ['every invariant: the platform serves no session API'];
        if (result.invariants?.failed)
          io.err(`The invariant check failed: ${result.invariants.failed}`);
        const broken = (result.invariants?.violations.length ?? 0) > 0;
        return {
          lines: summaryLines(result, notChecked),
          json: summaryJson(result, notChecked),
          broken: broken || result.invariants?.failed !== undefined,
        };
      };

      const runDevices = async (): Promise<{ lines: string[]; json: object; broken: boolean }> => {
        io.err(
          `Simulating ${sensors} cold-chain sensors and ${tools} tools in ${store.id}, ${formatDuration(durationMs)} at ${speed}×, seed ${seed}` +
            (deviceFaults.length ? `, ${deviceFaults.length} device faults` : ''),
        );
        const view = httpTelemetryView(apiUrl, token, fetchApi);
        const result = await runDeviceFleet({
          sensors: sensorIdentities,
          tools: toolIdentities,
          ...simDevices({
            mqttUrl,
            ...(deviceApiUrl ? { deviceApiUrl } : {}),
            ...(firmwareSigningKey ? { firmwareSigningKey } : {}),
            ...(sensorIntervalS !== undefined ? { sensorIntervalS } : {}),
          }),
          durationMs,
          speed,
          seed,
          faults: deviceFaults,
          sendCommand: view.send,
          verify: { view },
          signal: abort.signal,
        });
        return {
          lines: deviceSummaryLines(result),
          json: deviceSummaryJson(result),
          broken: deviceRunBroken(result),
        };
      };

      const [cartRun, deviceRun] = await Promise.all([
        carts > 0 ? runCarts() : undefined,
        sensors + tools > 0 ? runDevices() : undefined,
      ]);
      for (const line of [...(cartRun?.lines ?? []), ...(deviceRun?.lines ?? [])]) io.out(line);
      io.out(JSON.stringify({ ...cartRun?.json, ...deviceRun?.json }));
      return cartRun?.broken || deviceRun?.broken ? 1 : 0;
    },
  };
  return command;
}

/**
 * What to trust for the API: the CA file the running platform's lock names, or, for an --api URL
 * given by hand, the fleet CA of DIR beside Node's roots (an operator's certificate chains to
 * those).
 */
async function apiTrust(
  dataDir: string,
  lock: PlatformLockInfo | undefined,
): Promise<string | undefined> {
  if (lock) return lock.apiCaFile === undefined ? undefined : readFile(lock.apiCaFile, 'utf8');
  const fleet = await readFile(dataLayout(dataDir).trustBundle, 'utf8');
  return [...rootCertificates, fleet].join('\n');
}

function progressLine(p: FleetProgress, durationMs: number): string {
  return (
    `  sim ${formatDuration(p.simulatedMs)}/${formatDuration(durationMs)}  sessions ${p.sessions}  ` +
    `scans ${p.scans}  trips ${p.activeTrips}  buffered ${p.buffered}  rejects ${p.rejects}`
  );
}

function scenario(text: string): ScenarioName {
  if (!(SCENARIO_NAMES as readonly string[]).includes(text))
    throw new UsageError(`--scenario must be ${SCENARIO_NAMES.join(', ')}, got '${text}'`);
  return text as ScenarioName;
}

function durationOption(text: string, flag: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0)
    throw new UsageError(`--${flag} must be a duration such as 90s, 15m, 8h or 7d, got '${text}'`);
  return ms;
}

/** An optional count: absent is 0. */
function count(value: unknown, flag: string): number {
  return value === undefined ? 0 : positiveInteger(value, flag);
}

function positiveInteger(value: unknown, flag: string): number {
  const text = String(value);
  if (!/^[0-9]+$/.test(text) || Number(text) < 1)
    throw new UsageError(`--${flag} must be a whole number of at least 1, got '${text}'`);
  return Number(text);
}

function nonNegativeInteger(text: string, flag: string): number {
  if (!/^[0-9]+$/.test(text) || !Number.isSafeInteger(Number(text)))
    throw new UsageError(`--${flag} must be a whole number, got '${text}'`);
  return Number(text);
}

function positiveNumber(text: string, flag: string): number {
  const n = Number(text);
  if (!/^[0-9.]+$/.test(text) || !(n > 0) || !Number.isFinite(n))
    throw new UsageError(`--${flag} must be a number above 0, got '${text}'`);
  return n;
}
