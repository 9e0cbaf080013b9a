// Flat config: typescript-eslint recommended rules everywhere, React hooks rules for the UI,
// and the architecture's import boundaries (DESIGN §2) as lint errors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const noFramework = {
  patterns: [
    { group: ['react', 'react-dom', 'react/*', 'zustand', 'zustand/*'], message: 'src/lib is framework-free.' },
    { group: ['**/ui/**', '**/store/**', '**/app/**', '**/server/**'], message: 'src/lib must not import the layers above it.' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'dist-server/**', 'node_modules/**', 'test-results/**', 'coverage/**', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/**/*.tsx', 'src/ui/**/*.ts', 'src/app/**/*.ts', 'src/store/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  { files: ['src/lib/**/*.ts'], rules: { 'no-restricted-imports': ['error', noFramework] } },
  {
    files: ['src/server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/ui/**', '**/store/**', '**/app/**', '**/lib/audio/**', 'react', 'react-dom', 'zustand'], message: 'src/server imports only src/lib/realtime and src/lib/dsp.' }],
      }],
    },
  },
);
