// ESLint for every package (flat config). Beyond typescript-eslint's recommended rules, two
// project rules: at most 3 parameters per function (options objects otherwise) and no
// positional booleans (a boolean parameter, or one defaulted to true/false).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const positionalBoolean = [
  {
    selector: ':function > Identifier.params[typeAnnotation.typeAnnotation.type="TSBooleanKeyword"]',
    message: 'No positional booleans: take an options object ({ name: boolean }) instead.',
  },
  {
    selector: ':function > AssignmentPattern.params[right.type="Literal"][right.raw=/^(true|false)$/]',
    message: 'No positional booleans: take an options object ({ name: boolean }) instead.',
  },
  {
    selector: 'TSDeclareFunction > Identifier.params[typeAnnotation.typeAnnotation.type="TSBooleanKeyword"]',
    message: 'No positional booleans: take an options object ({ name: boolean }) instead.',
  },
];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/dist-browser/**', 'docs/**', '**/*.d.ts', '**/.venv/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    languageOptions: { globals: { console: 'readonly', process: 'readonly', performance: 'readonly', setTimeout: 'readonly', URL: 'readonly' } },
    rules: {
      'max-params': 'off',
      '@typescript-eslint/max-params': ['error', { max: 3, countVoidThis: false }],
      'no-restricted-syntax': ['error', ...positionalBoolean],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
