import { UsageError, requireString, stringOption, type Command } from '../command.js';
import { addStore, isRegion, openIdentity, type Clock } from '../../edge/identity/index.js';
import { dataDir } from './options.js';

export function storeCommands(now: Clock): Command[] {
  return [
    {
      path: ['store', 'add'],
      summary: 'Register a store; devices can only be provisioned into known stores.',
      usage: 'store add --data DIR --id ID --name NAME [--region us|eu] [--timezone IANA]',
      details: [
        'Repeating the same add changes nothing; a different name, region or time zone for an',
        'existing id is refused.',
      ],
      options: {
        data: { type: 'string' },
        id: { type: 'string' },
        name: { type: 'string' },
        region: { type: 'string' },
        timezone: { type: 'string' },
      },
      required: ['data', 'id', 'name'],
      async run(values, io) {
        const ctx = openIdentity(dataDir(values));
        const region = stringOption(values, 'region');
        if (region !== undefined && !isRegion(region)) {
          throw new UsageError(`--region must be us or eu, got '${region}'`);
        }
        const timezone = stringOption(values, 'timezone');
        const { created, store } = await addStore(
          ctx.stores,
          {
            id: requireString(values, 'id'),
            name: requireString(values, 'name'),
            ...(region !== undefined ? { region } : {}),
            ...(timezone !== undefined ? { timezone } : {}),
          },
          now(),
        );
        const what = `${store.id} (${store.name}, region ${store.region ?? '-'}, time zone ${store.timezone ?? '-'})`;
        io.out(
          created
            ? `Added store ${what}: ${ctx.layout.store(store.id)}`
            : `Store ${what} already exists; nothing changed`,
        );
      },
    },
    {
      path: ['store', 'list'],
      summary: 'List the stores.',
      usage: 'store list --data DIR',
      options: { data: { type: 'string' } },
      required: ['data'],
      async run(values, io) {
        const ctx = openIdentity(dataDir(values));
        const stores = await ctx.stores.list();
        if (stores.length === 0) {
          io.out(`No stores in ${ctx.layout.storesDir}; add one with 'fleetplane store add'.`);
          return;
        }
        const width = Math.max(...stores.map((s) => s.id.length));
        for (const s of stores) {
          io.out(
            `${s.id.padEnd(width)}  ${(s.region ?? '-').padEnd(2)}  ${(s.timezone ?? '-').padEnd(20)}  ${s.name}`,
          );
        }
      },
    },
  ];
}
