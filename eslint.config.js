// Lint rules, including the architecture's import boundaries: the wire contract imports nothing of
// ours, the device model never imports cloud code, and cloud capabilities never import the device.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { boundaries } from './scripts/eslint/boundaries.js';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'schemas/', 'tmp/', 'fleet-data/'] },
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
    plugins: { fleetplane: { rules: { boundaries } } },
    rules: {
      'fleetplane/boundaries': [
        'error',
        [
          {
            target: 'src/contract',
            allowed: ['src/contract'],
            message:
              'The wire contract stands alone: device and cloud import it, it imports neither.',
          },
          {
            target: 'src/device',
            // test-support holds test helpers (temp dirs, engine checks), not cloud code.
            allowed: ['src/device', 'src/contract', 'src/failure.ts', 'test-support'],
            message: 'The device model never imports cloud code; share through src/contract.',
          },
          {
            // Everything else under src is the cloud; the CLI is the composition root.
            target: 'src',
            except: ['src/device', 'src/cli', 'src/contract'],
            forbidden: ['src/device', 'src/cli'],
            message:
              'Cloud code never imports the device model or the CLI; share through src/contract.',
          },
        ],
      ],
    },
  },
);
