import { POSTGRES_URL, postgresSchema } from '../../../../../test-support/postgres.js';
import { openEntityStore } from '../../../../stores/entities/open-entity-store.js';
import { runRolloutPortsContract } from '../ports.contract.js';
import { entityStorePortsUnderTest } from './entity-store-ports.contract.js';

runRolloutPortsContract('PostgreSQL entity store', async (t) => {
  const schema = await postgresSchema(t);
  if (schema === undefined) return undefined;
  const store = await openEntityStore({ dataDir: '/nonexistent', url: POSTGRES_URL, schema });
  t.after(() => store.close());
  return entityStorePortsUnderTest(store);
});
