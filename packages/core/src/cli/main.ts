/**
 * `akkoord-notice`: validate notice documents where they are authored (a
 * registrar's CI) and build the files pages load. Node built-ins only.
 *
 *   akkoord-notice check notice.json [more.json]
 *   akkoord-notice build notice.json --out dist/notices
 *
 * Exit status: 0 all valid, 1 a file failed, 2 a usage error.
 */
/// <reference types="node" />
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildNotice, type Written } from './build.js';
import { checkFile, formatReport, formatSummary, jsonReport, passes, type FileReport } from './check.js';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const HELP = {
  main: `Usage: akkoord-notice <command> [options] <file...>

Validates Akkoord notice documents and builds the files pages load.

Commands:
  check <file...>   validate each file; print its errors and warnings
  build <file...>   validate, then write each notice's files to --out
  help [command]    show this help, or a command's

Options:
  -h, --help        show help
  -v, --version     print the version

Exit status: 0 all valid, 1 a file is invalid (or warned, with --strict),
2 a usage error. Run 'akkoord-notice <command> --help' for details.`,

  check: `Usage: akkoord-notice check [--strict] [--json] <file...>

Validates each notice document with the same rules the browser applies
(@akkoord/core validateNotice): JSON syntax (with line and column), the
schema (each error as "path: message"), and the rules across fields (ids,
locales, links, the EU representative of art. 27). A valid document is then
linted: "warning" lines are advice from the GDPR and the regulators' guidance.

Options:
  --strict      warnings fail too
  --json        print a machine-readable report on stdout instead
  -h, --help    show this help

Exit status: 0 every file valid (warnings allowed unless --strict),
1 a file is unreadable, not JSON or invalid, 2 a usage error.`,

  build: `Usage: akkoord-notice build [--out <dir>] [--strict] [--json] <file...>

Validates every file as 'check' does; if all pass, writes for each notice:
  <dir>/<id>/notice.json                the document as validated, canonical JSON
  <dir>/<id>/<locale>.json              one locale's view, with the document's hash
  <dir>/<id>/first-layer.<locale>.json  the compact first layer for the consent banner
  <dir>/<id>/manifest.json              id, version, hash, locales and files
The hash is "sha256:" and the SHA-256 of notice.json's bytes (canonical JSON:
sorted keys, no white space). If any file fails, nothing is written.

Options:
  -o, --out <dir>   where to write (default: dist/notices)
  --strict          warnings fail too
  --json            print a machine-readable report on stdout instead
  -h, --help        show this help

Exit status: 0 built, 1 a file is unreadable, not JSON or invalid, 2 a usage error.`,
} as const;

type Command = 'check' | 'build';

class UsageError extends Error {}

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/** Runs the command line `args` (without node and the script) and returns the exit status. */
export async function main(args: readonly string[], io: Io = defaultIo): Promise<number> {
  try {
    return await run([...args], io);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (error instanceof UsageError || code?.startsWith('ERR_PARSE_ARGS_')) {
      // parseArgs explains at length how to pass a file named like an option; the option is enough.
      const unknown = /^Unknown option '([^']+)'/.exec((error as Error).message);
      const message = unknown ? `unknown option "${unknown[1]}"` : (error as Error).message;
      const command = args[0] === 'check' || args[0] === 'build' ? `${args[0]} ` : '';
      io.err(`akkoord-notice: ${command ? `${command.trim()}: ` : ''}${message}`);
      io.err(`Run 'akkoord-notice ${command}--help' for usage.`);
      return EXIT.usage;
    }
    throw error;
  }
}

async function run(args: string[], io: Io): Promise<number> {
  const [first, ...rest] = args;
  if (first === undefined) {
    io.err(HELP.main);
    return EXIT.usage;
  }
  if (first === '-h' || first === '--help') return help(io);
  if (first === '-v' || first === '--version') {
    io.out(await version());
    return EXIT.ok;
  }
  if (first === 'help') {
    const topic = rest[0];
    if (topic !== undefined && topic !== 'check' && topic !== 'build') throw new UsageError(`no help on "${topic}"; commands are check and build`);
    return help(io, topic);
  }
  if (first !== 'check' && first !== 'build') {
    throw new UsageError(first.startsWith('-') ? `unknown option "${first}" before the command` : `unknown command "${first}"`);
  }
  return command(first, rest, io);
}

function help(io: Io, topic?: Command): number {
  io.out(HELP[topic ?? 'main']);
  return EXIT.ok;
}

async function version(): Promise<string> {
  const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function command(name: Command, args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      strict: { type: 'boolean' },
      json: { type: 'boolean' },
      ...(name === 'build' && { out: { type: 'string', short: 'o' } }),
    },
  });
  if (values.help) return help(io, name);
  if (!positionals.length) throw new UsageError('no files given');
  const out = (values as { out?: string }).out ?? 'dist/notices';
  if (name === 'build' && !out.trim()) throw new UsageError('--out needs a directory');
  const strict = values.strict === true;

  const reports: FileReport[] = [];
  for (const file of positionals) reports.push(await checkFile(file));
  if (name === 'build') rejectSharedIds(reports);
  const ok = reports.every((r) => passes(r, strict));

  // build writes only when every file passed: a half-updated set of notices is worse than none.
  const written: Written[] = [];
  if (name === 'build' && ok) {
    const built = new Set<string>();
    for (const report of reports) {
      const { notice, hash } = report as Required<FileReport>;
      if (built.has(notice.id)) continue; // the same file, given twice
      built.add(notice.id);
      written.push(...(await buildNotice(notice, hash, out)));
    }
  }

  if (values.json) {
    const build = name === 'build' && { out, written };
    io.out(JSON.stringify({ ...jsonReport(reports, strict), ...build }, null, 2));
    return ok ? EXIT.ok : EXIT.failed;
  }
  for (const report of reports) io.out(formatReport(report, strict));
  io.out(`\n${formatSummary(reports, strict)}${name === 'build' && !ok ? '; nothing written' : ''}`);
  if (written.length) io.out(`\n${formatWritten(written)}`);
  return ok ? EXIT.ok : EXIT.failed;
}

/** Two files with one id would write over each other's output. */
function rejectSharedIds(reports: FileReport[]): void {
  const files = new Map<string, string>();
  for (const report of reports) {
    if (!report.notice) continue;
    const { id } = report.notice;
    const other = files.get(id);
    if (other !== undefined && other !== report.file) {
      report.status = 'invalid';
      report.errors.push({ path: 'id', message: `"${id}" is also the id of ${other}; each notice needs its own id` });
    } else files.set(id, report.file);
  }
}

function formatWritten(written: Written[]): string {
  const number = (n: number) => n.toLocaleString('en-US');
  const paths = written.map((w) => w.path);
  const width = Math.max(...paths.map((p) => p.length), 4);
  const lines = [`${'file'.padEnd(width)}  ${'bytes'.padStart(9)}  ${'gzip'.padStart(9)}`];
  written.forEach((w, i) => lines.push(`${paths[i]!.padEnd(width)}  ${number(w.bytes).padStart(9)}  ${number(w.gzip).padStart(9)}`));
  const total = written.reduce((n, w) => n + w.bytes, 0);
  lines.push(`wrote ${written.length} files, ${number(total)} bytes`);
  return lines.join('\n');
}
