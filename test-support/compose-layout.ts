// The self-hosted scale-out layout (deploy/compose/compose.yaml) read as data, so a test can start
// the same processes with the same flags on this machine, without containers.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const COMPOSE_FILE = fileURLToPath(
  new URL('../deploy/compose/compose.yaml', import.meta.url),
);

interface ComposeService {
  readonly command?: unknown;
  readonly deploy?: { readonly replicas?: number };
}

export interface ComposeProcess {
  readonly service: string;
  /** `fleetplane` arguments, as the container's entrypoint gets them. */
  readonly args: readonly string[];
  readonly replicas: number;
}

/** The fleetplane services of the compose file that run `start`, with their arguments. */
export async function composeProcesses(): Promise<ComposeProcess[]> {
  const doc = parse(await readFile(COMPOSE_FILE, 'utf8')) as {
    services: Record<string, ComposeService>;
  };
  return Object.entries(doc.services).flatMap(([service, spec]) => {
    const { command } = spec;
    if (!Array.isArray(command) || command[0] !== 'start') return [];
    return [{ service, args: command.map(String), replicas: spec.deploy?.replicas ?? 1 }];
  });
}

/**
 * The container's arguments for this machine: each `HOST:PORT` of a compose service becomes the
 * local address in `endpoints`, an exact argument found in `values` is replaced (the data volume,
 * host names), and the listening ports become 0 (the process prints what it took).
 */
export function localArgs(
  args: readonly string[],
  endpoints: Readonly<Record<string, string>>,
  values: Readonly<Record<string, string>>,
): string[] {
  return args.map((arg, i) => {
    if (['--api-port', '--device-port', '--mqtt-port'].includes(args[i - 1] ?? '')) return '0';
    if (arg in values) return values[arg]!;
    let out = arg;
    for (const [from, to] of Object.entries(endpoints)) out = out.split(from).join(to);
    return out;
  });
}
