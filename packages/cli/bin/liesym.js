#!/usr/bin/env node
// The `liesym` command. This file exists before the build, so npm links it at install time;
// the code it runs is the built dist/main.js (`npm run build -w @liesym/cli`, or `npm run demo`).
import('../dist/main.js').catch((e) => {
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/main.js')) {
    process.stderr.write('liesym: the CLI is not built yet; run `npm run demo` or `npx nx run @liesym/cli:build` in the workspace\n');
    process.exitCode = 2;
    return;
  }
  throw e;
});
