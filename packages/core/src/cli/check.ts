/**
 * `akkoord-notice check`: read, parse and validate notice files with the
 * same `validateNotice` and `lintNotice` the browser uses, and report.
 */
/// <reference types="node" />
import { readFile } from 'node:fs/promises';
import type { NoticeDocument } from '../notice/schema.js';
import { asFarAsItGoes, formatIssue, validateNotice } from '../notice/validate.js';
import { lintNotice } from '../notice/lint.js';
import { hashJson } from '../notice/canonical.js';
import { JsonSyntaxError, parseJsonSource } from './json-source.js';

export interface ReportedIssue {
  /** Where in the document, as `purposes[0].legalBasis`; empty for the whole file. */
  path: string;
  message: string;
  /** Where in the file, when known (1-based). */
  line?: number;
  column?: number;
}

export type FileStatus = 'valid' | 'invalid' | 'invalid-json' | 'unreadable';

export interface FileReport {
  file: string;
  status: FileStatus;
  errors: ReportedIssue[];
  warnings: ReportedIssue[];
  /** Set when valid. */
  notice?: NoticeDocument;
  hash?: string;
}

export async function checkFile(file: string): Promise<FileReport> {
  const report = (status: FileStatus, errors: ReportedIssue[] = [], warnings: ReportedIssue[] = []): FileReport => ({
    file,
    status,
    errors,
    warnings,
  });

  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : message;
    return report('unreadable', [{ path: '', message: `cannot read the file: ${reason}` }]);
  }

  let source;
  try {
    source = parseJsonSource(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return report('invalid-json', [{ path: '', message: `invalid JSON: ${error.message}`, ...error.location }]);
  }

  const at = (issue: { path: string; message: string }): ReportedIssue => ({ ...issue, ...source.locate(issue.path) });
  const result = validateNotice(source.value);
  // Warnings too, as far as an invalid document allows: every problem in one pass.
  if (!result.ok) return report('invalid', result.issues.map(at), asFarAsItGoes(() => lintNotice(source.value as NoticeDocument)).map(at));
  return {
    ...report('valid', [], lintNotice(result.notice).map(at)),
    notice: result.notice,
    hash: await hashJson(result.notice),
  };
}

/** Passes under the flags: valid, and without warnings when `strict`. */
export function passes(report: FileReport, strict: boolean): boolean {
  return report.status === 'valid' && !(strict && report.warnings.length);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function where(issue: ReportedIssue): string {
  return issue.line === undefined ? '' : ` (line ${issue.line}, column ${issue.column})`;
}

/** One file's report for a CI log: a headline, then one indented line per error or warning. */
export function formatReport(report: FileReport, strict: boolean): string {
  const lines: string[] = [];
  const { file, errors, warnings } = report;
  switch (report.status) {
    case 'unreadable':
    case 'invalid-json': {
      const [error] = errors as [ReportedIssue];
      const position = error.line === undefined ? '' : `:${error.line}:${error.column}`;
      lines.push(`${file}${position}: ${error.message}`);
      break;
    }
    case 'invalid':
      lines.push(`${file}: invalid, ${plural(errors.length, 'error')}${warnings.length ? `, ${plural(warnings.length, 'warning')}` : ''}`);
      for (const error of errors) lines.push(`  ${formatIssue(error)}${where(error)}`);
      break;
    case 'valid': {
      const { notice, hash } = report as Required<FileReport>;
      const failing = strict && warnings.length ? ` (--strict: warnings fail)` : '';
      lines.push(
        `${file}: valid, ${notice.id} version ${notice.version}, ${notice.locales.join(' + ')}, ${hash}` +
          (warnings.length ? `; ${plural(warnings.length, 'warning')}${failing}` : ''),
      );
      break;
    }
  }
  for (const warning of warnings) lines.push(`  warning ${formatIssue(warning)}${where(warning)}`);
  return lines.join('\n');
}

export function formatSummary(reports: FileReport[], strict: boolean): string {
  const valid = reports.filter((r) => r.status === 'valid').length;
  const warnings = reports.reduce((n, r) => n + r.warnings.length, 0);
  const failing = reports.filter((r) => !passes(r, strict)).length;
  return (
    `${plural(reports.length, 'file')}: ${valid} valid, ${reports.length - valid} invalid, ${plural(warnings, 'warning')}` +
    (strict && warnings ? ' (--strict)' : '') +
    (failing ? `; ${failing} failed` : '; all passed')
  );
}

/** The `--json` report: stable field names, no document bodies. */
export function jsonReport(reports: FileReport[], strict: boolean) {
  return {
    ok: reports.every((r) => passes(r, strict)),
    strict,
    files: reports.map((r) => ({
      file: r.file,
      status: r.status,
      ok: passes(r, strict),
      ...(r.notice && { id: r.notice.id, version: r.notice.version, locales: r.notice.locales, hash: r.hash }),
      errors: r.errors,
      warnings: r.warnings,
    })),
  };
}
