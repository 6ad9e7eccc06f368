/**
 * `akkoord-notice`: validate notice documents where they are authored (a
 * registrar's CI) and build the files pages load. Node built-ins only.
 *
 *   akkoord-notice init [notice.json]
 *   akkoord-notice schema [--out notice.schema.json]
 *   akkoord-notice check notice.json [more.json]
 *   akkoord-notice build notice.json --out dist/notices
 *
 * Exit status: 0 all valid, 1 a file failed, 2 a usage error.
 */
/// <reference types="node" />
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { buildNotice, type Written } from './build.js';
import { checkFile, formatReport, formatSummary, jsonReport, passes, type FileReport } from './check.js';
import { starterNotice } from './starter.js';
import { noticeJsonSchema } from './json-schema.js';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const HELP = {
  main: `Usage: akkoord-notice <command> [options] <file...>

Validates Akkoord notice documents and builds the files pages load.

Commands:
  init [file]       write a starter notice (nl and en) to edit (default: notice.json)
  schema            print the notice's JSON Schema, for editors (or --out a file)
  check <file...>   validate each file; print its errors and warnings
  build <file...>   validate, then write each notice's files to --out
  help [command]    show this help, or a command's

Options:
  -h, --help        show help
  -v, --version     print the version

Exit status: 0 all valid, 1 a file is invalid (or warned, with --strict),
2 a usage error. Run 'akkoord-notice <command> --help' for details.`,

  init: `Usage: akkoord-notice init [--force] [file]

Writes a starter notice document in Dutch and English (default: notice.json)
with every required field. What only you know is a placeholder in
«guillemets»: 'check' warns about each one left. Its "$schema" names the
JSON Schema this package ships, so editors complete and flag fields.

Options:
  --force       overwrite the file if it exists
  -h, --help    show this help

Exit status: 0 written, 1 the file exists (without --force) or cannot be written, 2 a usage error.`,

  schema: `Usage: akkoord-notice schema [--out <file>]

Prints the JSON Schema of a notice document, derived from the schema that
'check' validates with (the package ships it as notice.schema.json). Rules
across fields (ids, locales, links) are checked by 'check' only.

Options:
  -o, --out <file>   write it to a file instead of printing it
  -h, --help         show this help

Exit status: 0 written, 1 the file cannot be written, 2 a usage error.`,

  check: `Usage: akkoord-notice check [--strict] [--json] <file...>

Validates each notice document with the same rules the browser applies
(@akkoord/core validateNotice): JSON syntax (with line and column), the
schema (each error as "path: message"), and the rules across fields (ids,
locales, links, the EU representative of art. 27). A valid document is then
linted: "warning" lines are advice from the GDPR and the regulators' guidance.
Every error and every warning is reported in one pass, also for a document
that fails the schema.

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
const COMMANDS = ['init', 'schema', 'check', 'build'] as const;
type AnyCommand = (typeof COMMANDS)[number];
const isCommand = (name: string | undefined): name is AnyCommand => (COMMANDS as readonly (string | undefined)[]).includes(name);

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
      const command = isCommand(args[0]) ? `${args[0]} ` : '';
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
    if (topic !== undefined && !isCommand(topic)) throw new UsageError(`no help on "${topic}"; commands are ${COMMANDS.join(', ')}`);
    return help(io, topic);
  }
  if (!isCommand(first)) {
    throw new UsageError(first.startsWith('-') ? `unknown option "${first}" before the command` : `unknown command "${first}"`);
  }
  if (first === 'init') return init(rest, io);
  if (first === 'schema') return schema(rest, io);
  return command(first, rest, io);
}

function help(io: Io, topic?: AnyCommand): number {
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

async function init(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { help: { type: 'boolean', short: 'h' }, force: { type: 'boolean' } },
  });
  if (values.help) return help(io, 'init');
  if (positionals.length > 1) throw new UsageError('one file at most');
  const file = positionals[0] ?? 'notice.json';
  try {
    // "wx" refuses an existing file: a starter must never replace a notice someone wrote.
    await writeFile(file, `${JSON.stringify(starterNotice(), null, 2)}\n`, { flag: values.force ? 'w' : 'wx' });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    io.err(`akkoord-notice: init: ${code === 'EEXIST' ? `${file} exists; edit it, or pass --force to replace it` : `cannot write ${file}: ${message}`}`);
    return EXIT.failed;
  }
  io.out(`Wrote ${file}: a starter notice in Dutch and English.`);
  io.out(`Replace every «placeholder» and check it with: npx akkoord-notice check ${file}`);
  return EXIT.ok;
}

async function schema(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { help: { type: 'boolean', short: 'h' }, out: { type: 'string', short: 'o' } },
  });
  if (values.help) return help(io, 'schema');
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"; use --out <file> to write a file`);
  const text = `${JSON.stringify(noticeJsonSchema(), null, 2)}\n`;
  if (values.out === undefined) {
    io.out(text.trimEnd());
    return EXIT.ok;
  }
  if (!values.out.trim()) throw new UsageError('--out needs a file');
  try {
    await writeFile(values.out, text);
  } catch (error) {
    io.err(`akkoord-notice: schema: cannot write ${values.out}: ${(error as Error).message}`);
    return EXIT.failed;
  }
  io.out(`Wrote ${values.out}`);
  return EXIT.ok;
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
