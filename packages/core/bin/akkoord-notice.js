#!/usr/bin/env node
// `akkoord-notice check|build`: see `akkoord-notice --help`. The code is in ../dist/cli/.
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist/cli/main.js')) throw error;
  console.error("akkoord-notice: @akkoord/core is not built (dist/cli/main.js is missing); run 'npm run build'.");
  process.exit(1);
}
// A reader that stops early (`akkoord-notice check … | head`) is not an error of ours.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
process.exitCode = await cli.main(process.argv.slice(2));
