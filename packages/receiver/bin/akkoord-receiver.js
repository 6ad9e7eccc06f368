#!/usr/bin/env node
// `akkoord-receiver --data DIR --port N`: see `akkoord-receiver --help`. The code is in ../dist/cli.js.
let cli;
try {
  cli = await import('../dist/cli.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli.js')) throw error;
  console.error("akkoord-receiver: @akkoord/receiver is not built (dist/cli.js is missing); run 'npm run build'.");
  process.exit(1);
}
const code = await cli.main(process.argv.slice(2));
if (code !== undefined) process.exitCode = code;
