#!/usr/bin/env node
// The `hanvisa` executable: bin/main.ts with the process's arguments and exit code.
import { hanvisa } from './main.js';

hanvisa(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
