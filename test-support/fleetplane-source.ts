// bin/fleetplane.js over the TypeScript sources instead of dist/, so an engine test can run the
// CLI as a separate process without a build: node --import tsx test-support/fleetplane-source.ts …
import { main } from '../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
