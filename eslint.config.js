// Lint rules, including the architecture's import boundaries: the wire contract imports nothing of
// ours, the device model never imports cloud code, and cloud capabilities never import the device.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { boundaries } from './scripts/eslint/boundaries.js';

const SRC_ZONES = [
  {
    target: 'src/contract',
    allowed: ['src/contract'],
    message: 'The wire contract stands alone: device and cloud import it, it imports neither.',
  },
  {
    target: 'src/device',
    // test-support holds test helpers (temp dirs, engine checks), not cloud code.
    allowed: ['src/device', 'src/contract', 'src/shared/failure.ts', 'test-support'],
    message: 'The device model never imports cloud code; share through src/contract.',
  },
  {
    // Everything else under src is the cloud; the CLI is the composition root.
    target: 'src',
    except: ['src/device', 'src/cli', 'src/contract'],
    forbidden: ['src/device', 'src/cli'],
    message: 'Cloud code never imports the device model or the CLI; share through src/contract.',
  },
];

// The payment zone (decision 016) is its own process and trust zone: it uses generic helpers and
// nothing that holds platform data, and the platform reaches it only through the bridge.
const fleetplane = { rules: { boundaries } };

const PAYMENT_ZONES = [
  {
    target: 'src/payment',
    allowed: [
      'src/payment',
      'src/domain/payment-bridge/bridge-layout.ts',
      'src/shared/failure.ts',
      'src/stores/data-dir',
      'src/edge/identity/x509.ts',
      'src/edge/identity/pem.ts',
      'src/edge/identity/clock.ts',
      'src/edge/identity/ca/keys.ts',
      'src/edge/identity/ca/profile.ts',
      'src/edge/broker/tls-policy.ts',
      'src/shared/observability/logger.ts',
    ],
    message: 'The payment service imports only generic helpers, never platform capabilities.',
  },
  {
    target: 'src',
    except: ['src/payment', 'src/cli'],
    forbidden: ['src/payment'],
    message:
      'Only the CLI starts the payment service; the platform reaches it through src/domain/payment-bridge.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'web/dist/',
      'node_modules/',
      'schemas/',
      'tmp/',
      'fleet-data/',
      // The CDK app's synth output and its bundled ingest function.
      'deploy/aws/cdk.out/',
      'deploy/aws/.build/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: globals.node,
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: 'error',
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { fleetplane },
    rules: { 'fleetplane/boundaries': ['error', SRC_ZONES] },
  },
  {
    // The console runs in the browser and reaches the platform only through its HTTP API.
    files: ['web/src/**/*.{ts,tsx}'],
    ignores: ['web/src/**/*.test.ts'],
    languageOptions: { globals: globals.browser },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/*', 'node:*'],
              message: 'The console is a client of the HTTP API only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Shipped code only: tests may start the service beside the bridge. A later block replaces
    // the rule's options, so this one repeats the zones above.
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    plugins: { fleetplane },
    rules: { 'fleetplane/boundaries': ['error', [...SRC_ZONES, ...PAYMENT_ZONES]] },
  },
);
