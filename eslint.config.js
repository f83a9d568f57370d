// Lint rules, including the architecture's import boundaries: the wire contract imports nothing of
// ours, the device model never imports cloud code, and cloud capabilities never import the device.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const cloudCapabilities = ['identity', 'cli'];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'schemas/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: 'error',
    },
  },
  {
    files: ['src/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../*', '!../contract', '!../contract/*'],
              message: 'The wire contract stands alone: device and cloud import it, it imports neither.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/device/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: cloudCapabilities.map((c) => ({
            group: [`**/${c}`, `**/${c}/*`],
            message: 'The device model never imports cloud code; share through src/contract.',
          })),
        },
      ],
    },
  },
  {
    files: cloudCapabilities.map((c) => `src/${c}/**/*.ts`),
    ignores: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/device', '**/device/*'],
              message: 'The cloud never imports device code; share through src/contract.',
            },
          ],
        },
      ],
    },
  },
);
