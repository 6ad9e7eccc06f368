// What our first load is made of: each minified byte of a served script, attributed through its
// source map to the source file it came from, summed per group (a package, or a folder of ours).
// Sources are resolved against the file's own path in the repository (`file.repoPath`).
// Gzip per group is estimated as the group's share of its file's raw bytes times the file's gzip
// size (gzip does not split by source).

import { posix } from 'node:path';

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = Object.fromEntries([...B64].map((c, i) => [c, i]));

/** Decodes one line's segments: [generatedColumn, sourceIndex?] (only what is needed here). */
function* segments(mappings) {
  let source = 0;
  let line = 0;
  for (const text of mappings.split(';')) {
    let column = 0;
    const row = [];
    for (const segment of text.split(',')) {
      if (!segment) continue;
      const values = [];
      let value = 0;
      let shift = 0;
      for (const c of segment) {
        const digit = DIGIT[c];
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0];
      if (values.length >= 4) {
        source += values[1];
        row.push([column, source]);
      } else row.push([column, -1]);
      // Source line and column deltas (values[2], values[3]) are not needed.
    }
    yield [line++, row];
  }
}

/** Bytes of `code` per source file of `map`. */
export function bytesBySource(code, map) {
  const lines = code.split('\n');
  const out = new Map();
  const add = (key, n) => out.set(key, (out.get(key) ?? 0) + n);
  // Text without a mapping of its own continues the last mapped token: the lines of a multi-line
  // template literal (Lit's html`` and css``) carry no mappings after their first.
  let last = '(unmapped)';
  for (const [line, row] of segments(map.mappings)) {
    const text = lines[line] ?? '';
    const newline = line + 1 < lines.length ? 1 : 0;
    if (!row.length) {
      add(last, Buffer.byteLength(text) + newline);
      continue;
    }
    add(last, Buffer.byteLength(text.slice(0, row[0][0])));
    for (let i = 0; i < row.length; i++) {
      const [start, source] = row[i];
      const end = i + 1 < row.length ? row[i + 1][0] : text.length;
      if (source >= 0) last = map.sources[source];
      add(source >= 0 ? map.sources[source] : last, Buffer.byteLength(text.slice(start, end)) + (i + 1 === row.length ? newline : 0));
    }
  }
  return out;
}

/** A source path → the group a reader cares about. */
export function groupOf(source) {
  const path = source.replace(/\\/g, '/');
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
  if (nm) return nm[1];
  const ours = /packages\/([^/]+)\/src\/(.+)$/.exec(path);
  if (ours) {
    const [, pkg, file] = ours;
    const folder = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : file.replace(/\.ts$/, '');
    return `@akkoord/${pkg}: ${folder}`;
  }
  return source.startsWith('(') ? source : `other: ${path.split('/').slice(-2).join('/')}`;
}

/**
 * files: [{ path, repoPath, code, map, gzip }] → { groups, sources }, each sorted by size:
 * { name, raw, gzipEstimate, files: { path: raw } }.
 */
export function composition(files) {
  const groups = new Map();
  const sources = new Map();
  const add = (table, name, file, raw, share) => {
    const g = table.get(name) ?? { name, raw: 0, gzipEstimate: 0, files: {} };
    g.raw += raw;
    g.gzipEstimate += share;
    g.files[file.path] = (g.files[file.path] ?? 0) + raw;
    table.set(name, g);
  };
  for (const file of files) {
    const bySource = file.map ? bytesBySource(file.code, file.map) : new Map([['(no source map)', Buffer.byteLength(file.code)]]);
    const total = [...bySource.values()].reduce((a, b) => a + b, 0) || 1;
    for (const [source, raw] of bySource) {
      const resolved = source.startsWith('(') ? source : posix.join(posix.dirname(file.repoPath), file.map.sourceRoot ?? '', source);
      const share = (raw / total) * file.gzip;
      add(groups, groupOf(resolved), file, raw, share);
      add(sources, resolved.replace(/^.*node_modules\//, 'node_modules/'), file, raw, share);
    }
  }
  const sorted = (table) => [...table.values()].sort((a, b) => b.raw - a.raw);
  return { groups: sorted(groups), sources: sorted(sources) };
}
