import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import jest from 'eslint-plugin-jest';

/**
 * The layering, as imports that some files may not make: each layer applies to `files` except
 * `except`. Project imports are relative, so a pattern matches a folder as an import spells it
 * (`../web/...`, `../../test/...`).
 */
const LAYERS = [
  // ingestion/ and search-config/ stay plain TypeScript, usable without the application.
  {
    files: ['{ingestion,search-config}/**/*.ts'],
    patterns: [
      {
        regex: '^(\\.\\./)+src(/|$)',
        message: 'ingestion/ and search-config/ import nothing from src/.',
      },
      {
        group: ['@nestjs/*', 'typeorm', 'typeorm/*'],
        message: 'ingestion/ and search-config/ are plain TypeScript, without Nest or TypeORM.',
      },
    ],
  },
  // The web pages are an outer adapter: only the composition roots mount them.
  {
    files: ['src/**/*.ts'],
    except: ['src/web/**', 'src/api.module.ts', 'src/bootstrap.ts'],
    patterns: [
      {
        regex: '^(\\.\\.?/)+web(/|$)',
        message:
          'Only src/web, api.module.ts and bootstrap.ts import src/web; move what is shared down.',
      },
    ],
  },
  // The command line is an outer adapter over the services, never a dependency of them.
  {
    files: ['src/**/*.ts'],
    except: ['src/cli/**'],
    patterns: [
      {
        regex: '^(\\.\\.?/)+cli(/|$)',
        message: 'Only src/cli imports src/cli; commands belong there, what they call elsewhere.',
      },
    ],
  },
  // HTTP plumbing stays in the HTTP adapters, so services, repositories and jobs need no request.
  {
    files: ['src/**/*.ts'],
    except: [
      'src/web/**',
      'src/access/**',
      'src/**/*.controller.ts',
      'src/**/*.filter.ts',
      'src/**/*.module.ts',
      'src/bootstrap.ts',
      'src/**/*.spec.ts',
    ],
    patterns: [
      {
        group: ['express', 'express-session', 'multer', '@nestjs/platform-express'],
        message:
          'Express is for controllers, filters, modules, src/web, src/access and the bootstrap; give services plain values.',
      },
    ],
  },
  // Production code never depends on test or benchmark code (unit specs may use test/support).
  {
    files: ['{src,ingestion,search-config}/**/*.ts'],
    except: ['**/*.spec.ts'],
    patterns: [
      {
        regex: '^(\\.\\./)+(test|bench)(/|$)',
        message: 'Production code imports nothing from test/ or bench/.',
      },
    ],
  },
  // SQL stays in repositories: only entities, repositories and the database wiring use TypeORM.
  {
    files: ['src/**/*.ts'],
    except: [
      'src/**/*.entity.ts',
      'src/**/*.repository.ts',
      'src/**/*.spec.ts',
      'src/database/**',
      // The database check of /health.
      'src/health/health.indicators.ts',
      // Services that still hold a TypeORM repository of their own.
      'src/access/identity.service.ts',
      'src/audit/audit.service.ts',
    ],
    patterns: [
      {
        group: ['typeorm', 'typeorm/*', '@nestjs/typeorm'],
        message:
          'Only entities, repositories and src/database import TypeORM; add a repository method.',
      },
    ],
  },
];

/**
 * One config block per combination of layers, fewest first. A later block's options replace an
 * earlier one's for the same rule, so each file ends with the block of exactly the layers that
 * apply to it, and `no-restricted-imports` sees all of their patterns together.
 */
function layeringBlocks(layers) {
  const combinations = [[]];
  for (const layer of layers) combinations.push(...combinations.map((c) => [...c, layer]));
  return combinations
    .filter((c) => c.length > 0)
    .sort((a, b) => a.length - b.length)
    .map((c) => ({
      files: [c.flatMap((layer) => layer.files)],
      ignores: c.flatMap((layer) => layer.except ?? []),
      rules: {
        'no-restricted-imports': ['error', { patterns: c.flatMap((layer) => layer.patterns) }],
      },
    }));
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.data/**', 'bin/**', 'eslint.config.mjs', 'jest.config.js'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  prettier,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Browser scripts of the web pages: plain JavaScript, no type information.
    files: ['src/web/public/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'module',
      globals: {
        document: 'readonly',
        window: 'readonly',
        HTMLScriptElement: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        FormData: 'readonly',
      },
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    ...jest.configs['flat/recommended'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
      ...jest.configs['flat/recommended'].rules,
      // A focused, skipped or commented-out test quietly shrinks the suite: an error, not a warning.
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      'jest/no-commented-out-tests': 'error',
      // A test asserts through expect, a helper named expect..., or supertest's .expect(status).
      'jest/expect-expect': ['error', { assertFunctionNames: ['expect', 'expect*', '**.expect'] }],
      // Off: suites check their setup in beforeAll and share assertion helpers declared beside the
      // tests, and table-driven tests assert per case inside branches; both read well as they are.
      'jest/no-standalone-expect': 'off',
      'jest/no-conditional-expect': 'off',
    },
  },
  ...layeringBlocks(LAYERS),
);
