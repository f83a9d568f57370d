import type { Command } from '../command.js';
import { KEY } from './short-ids.js';
import { printJson, printTable, wantsJson } from './output.js';
import { TARGET_DETAILS, TARGET_OPTIONS, TARGET_USAGE, openTarget } from './platform-target.js';

interface StoreView {
  storeId: string;
  name: string;
  region: string | null;
  timezone: string | null;
  carts: number;
}

export function storesCommands(): Command[] {
  return [
    {
      path: ['stores', 'list'],
      summary: "The running platform's stores and their carts.",
      usage: `stores list ${TARGET_USAGE}`,
      details: [
        "The running platform's view; 'fleetplane store list --data DIR' reads the registry in",
        'DIR itself, running or not.',
        ...TARGET_DETAILS,
      ],
      options: TARGET_OPTIONS,
      async run(values, io) {
        const target = await openTarget(values);
        const body = (await target.request('GET', '/v1/stores')) as { stores: StoreView[] };
        if (wantsJson(values)) return printJson(io, body);
        printTable(
          io,
          [
            { header: 'STORE', min: KEY },
            { header: 'NAME', min: 12 },
            { header: 'REGION' },
            { header: 'TIME ZONE' },
            { header: 'CARTS', align: 'right' },
          ],
          body.stores.map((s) => [
            s.storeId,
            s.name,
            s.region ?? '-',
            s.timezone ?? '-',
            String(s.carts),
          ]),
          "No stores yet; add one with 'fleetplane store add'.",
        );
      },
    },
  ];
}
