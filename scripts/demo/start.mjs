// `npm start`: the Akkoord demo on 127.0.0.1. Three registrar sites, one per
// launch notice (GMO Registry, D-Cube Resource) and a fictional registrar's
// (Duinweg Domeinen: statistics cookies, Google Consent Mode, a video and two
// host names), each with a home page with the banner, the full privacy
// notice and an account page with the consent preferences, the consent
// history and the privacy rights, and the reference receiver that stores the
// receipts.
//
//   npm start                 build what is missing, then serve
//   npm start -- --build      build first in any case
//   npm start -- --no-receiver
//
// Environment: AKKOORD_DEMO_GMO_PORT (8080), AKKOORD_DEMO_DCUBE_PORT (8081),
// AKKOORD_DEMO_DUINWEG_PORT (8082), AKKOORD_DEMO_RECEIVER_PORT (8787; 0 picks
// free ports), AKKOORD_DEMO_DATA
// (the receiver's data directory, .demo-data/receiver).
// Ctrl-C (SIGINT) or SIGTERM closes the servers and stops the receiver.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SITES } from './sites.mjs';
import { close, createSiteServer, listen } from './server.mjs';
import { ReceiverError, receiverMissing, startReceiver } from './receiver.mjs';
import { createBackOffice, prepareBackOffice } from './back-office.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const BUNDLE = join(ROOT, 'packages/elements/dist/akkoord.min.js');
const NOTICES = join(ROOT, 'packages/notices/dist/data');
const RECEIVER_PORT_ENV = 'AKKOORD_DEMO_RECEIVER_PORT';

const HELP = `Usage: npm start [-- options]

Serves three demo registrar sites with Akkoord's elements on 127.0.0.1, and the
reference receiver when it is built. Ctrl-C stops everything.

Options:
  --build          run the build (node scripts/build/build.mjs) first, even if its output exists
  --no-receiver    do not start the receiver
  --help           this text

Environment:
  AKKOORD_DEMO_GMO_PORT       GMO Registry site      [8080]
  AKKOORD_DEMO_DCUBE_PORT     D-Cube Resource site   [8081]
  AKKOORD_DEMO_DUINWEG_PORT   Duinweg Domeinen site  [8082]
  AKKOORD_DEMO_RECEIVER_PORT  receiver               [8787]
  AKKOORD_DEMO_DATA           receiver's data directory [.demo-data/receiver]
`;

const args = process.argv.slice(2);
for (const arg of args) {
  if (!['--build', '--no-receiver', '--help', '-h'].includes(arg)) fail(`unknown argument "${arg}"\n\n${HELP}`, 2);
}
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(HELP);
  process.exit(0);
}

function fail(message, code = 1) {
  console.error(`npm start: ${message}`);
  process.exit(code);
}

function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > 65535) fail(`${name}="${raw}" is not a port number (0-65535)`, 2);
  return Number(raw);
}

const ports = Object.fromEntries(SITES.map((site) => [site.key, portFromEnv(site.portEnv, site.defaultPort)]));
const receiverPort = portFromEnv(RECEIVER_PORT_ENV, 8787);
const dataDir = resolve(ROOT, process.env.AKKOORD_DEMO_DATA || '.demo-data/receiver');
const fixedPorts = [...Object.values(ports), receiverPort].filter((port) => port !== 0);
if (new Set(fixedPorts).size !== fixedPorts.length) {
  const named = [...SITES.map((site) => `${site.portEnv}=${ports[site.key]}`), `${RECEIVER_PORT_ENV}=${receiverPort}`];
  fail(`the sites and the receiver need different ports (${named.join(', ')})`, 2);
}

// ---------------------------------------------------------------------------
// Build what the pages need.

const missing = [BUNDLE, NOTICES].filter((path) => !existsSync(path)).map((path) => relative(ROOT, path));
if (args.includes('--build') || missing.length) {
  const why = missing.length ? `${missing.join(' and ')} missing` : '--build';
  console.log(`Building (${why}): node scripts/build/build.mjs`);
  const result = spawnSync(process.execPath, ['scripts/build/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) fail(`the build failed (${result.signal ?? `exit code ${result.status}`}); see above`);
  const still = [BUNDLE, NOTICES].filter((path) => !existsSync(path)).map((path) => relative(ROOT, path));
  if (still.length) fail(`the build did not write ${still.join(' and ')}`);
  console.log('');
}

// The demo's own notices (a site's `noticeSource`, not a launch customer's), built with the real
// CLI as a registrar's CI would, at every start: a fresh folder per run, so that two demos (or a
// test and a developer) never write into each other's files, and an edited notice shows at once.
const demoNotices = SITES.filter((site) => site.noticeSource);
const DEMO_NOTICES = demoNotices.length ? mkdtempSync(join(tmpdir(), 'akkoord-demo-notices-')) : undefined;
process.on('exit', () => DEMO_NOTICES && rmSync(DEMO_NOTICES, { recursive: true, force: true }));
if (demoNotices.length) {
  const result = spawnSync(
    process.execPath,
    ['packages/core/bin/akkoord-notice.js', 'build', ...demoNotices.map((site) => site.noticeSource), '--out', DEMO_NOTICES],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (result.status !== 0) fail(`akkoord-notice build ${demoNotices.map((site) => site.noticeSource).join(' ')} failed:\n${result.stderr || result.stdout}`);
}

/** The folder of the site's built notice. */
const noticeDir = (site) => join(site.noticeSource ? DEMO_NOTICES : NOTICES, site.noticeId);

/** The site's built notice. */
function readNotice(site) {
  const file = join(noticeDir(site), 'notice.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    fail(`cannot read the built notice ${relative(ROOT, file)}: ${error.message}; run npm start -- --build`);
  }
}

// ---------------------------------------------------------------------------
// Serve.

const state = { receiver: undefined, backOffice: undefined };
const servers = [];
let receiver;
let stopping = false;

const mounts = [
  { prefix: '/akkoord/notices/', root: NOTICES },
  { prefix: '/akkoord/', root: join(ROOT, 'packages/elements/dist') },
  { prefix: '/demo/', root: join(ROOT, 'scripts/demo/public') },
];

async function stop(signal, code = 0) {
  if (stopping) {
    if (signal) {
      console.log(`${signal} again: exiting now`);
      process.exit(1);
    }
    return;
  }
  stopping = true;
  if (signal) console.log(`\n${signal}: stopping the demo`);
  await Promise.all(servers.map(close));
  if (receiver) {
    await receiver.stop();
  }
  if (signal) console.log('Stopped.');
  process.exit(code);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

try {
  const origins = {};
  // The origins whose pages post receipts: a site with two host names has two, and 127.0.0.1 is not one of them.
  const pageOrigins = [];
  for (const site of SITES) {
    const notice = readNotice(site);
    const purposes = notice.purposes.filter((p) => p.legalBasis === 'consent').map((p) => p.id);
    const server = createSiteServer({
      site,
      mounts: site.noticeSource ? [{ prefix: `/akkoord/notices/${site.noticeId}/`, root: noticeDir(site) }, ...mounts] : mounts,
      endpoint: () => state.receiver,
      gated: purposes.includes(site.gatedPurpose),
      asksConsent: purposes.length > 0,
      backOffice: createBackOffice({ site, notice, receiver: () => state.receiver, config: () => state.backOffice }),
    });
    servers.push(server);
    const port = await listen(server, ports[site.key], { label: site.name, env: site.portEnv });
    // The back office's webhooks reach every site on 127.0.0.1 (the receiver resolves no *.localhost name).
    origins[site.key] = `http://127.0.0.1:${port}`;
    if (site.hosts) pageOrigins.push(...Object.values(site.hosts).map((host) => `http://${host}:${port}`));
    else pageOrigins.push(origins[site.key]);
  }

  const why = args.includes('--no-receiver') ? 'skipped (--no-receiver)' : receiverMissing(ROOT);
  if (why) {
    console.log(`Receiver: not started: ${why}.`);
    console.log('  The sites run without it: decisions stay in the browser, no receipts are sent.');
  } else {
    try {
      // The back office's key and webhook endpoints, made with the receiver's command line before it opens the database.
      state.backOffice = prepareBackOffice({ root: ROOT, dataDir, origins });
    } catch (error) {
      console.log(`Back office: not set up: ${error.message}`);
    }
    try {
      receiver = await startReceiver({
        root: ROOT,
        dataDir,
        port: receiverPort,
        portEnv: RECEIVER_PORT_ENV,
        notices: SITES.map((site) => join(noticeDir(site), 'notice.json')),
        allowOrigins: pageOrigins,
        onUnexpectedExit: (code, signal) => {
          state.receiver = undefined;
          console.log(`[receiver] stopped on its own (${signal ?? `exit code ${code}`}); pages loaded from now on send no receipts.`);
        },
      });
      state.receiver = receiver.url;
    } catch (error) {
      if (!(error instanceof ReceiverError) || error.kind === 'port') throw error;
      console.log(`Receiver: ${error.message.replace(/^receiver: /, '')}; see its output above.`);
      console.log('  The sites run without it: decisions stay in the browser, no receipts are sent.');
    }
  }

  const lines = ['', 'Akkoord demo is running. Ctrl-C stops it.', ''];
  for (const site of SITES) {
    const port = new URL(origins[site.key]).port;
    const origin = site.hosts ? `http://${site.hosts.www}:${port}` : origins[site.key];
    const accountOrigin = site.hosts ? `http://${site.hosts.account}:${port}` : origin;
    lines.push(`${site.name} (notice ${site.noticeId}; ${site.languages.join(', ')})`);
    lines.push(`  home     ${origin}/`);
    lines.push(`  privacy  ${origin}/privacy`);
    lines.push(`  account  ${accountOrigin}/account   (signed in as ${site.subject}${site.hosts ? '; a second host name' : ''})`);
    if (state.backOffice) lines.push(`  back office ${origin}/back-office   (who may be mailed; one-click unsubscribe; webhooks)`);
  }
  if (state.receiver) {
    lines.push('Receiver');
    lines.push(`  url      ${state.receiver}   (POST ${state.receiver}/receipts; pid ${receiver.pid})`);
    const shown = relative(ROOT, dataDir);
    lines.push(`  data     ${shown.startsWith('..') ? dataDir : shown}`);
    lines.push('  receipts one line each below as they arrive: [receipt] time, subject, method, granted, denied, answer');
  } else {
    lines.push('Receiver: not running');
  }
  console.log(lines.join('\n') + '\n');
} catch (error) {
  console.error(`npm start: ${error.message}`);
  await stop(undefined, 1);
}
