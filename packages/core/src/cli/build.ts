/**
 * `akkoord-notice build`: what a page fetches, per validated notice:
 *
 *   <out>/<id>/notice.json                the document as validated, canonical JSON (its SHA-256 is the hash)
 *   <out>/<id>/<locale>.json              one locale's view (`localizeNotice`), with the hash
 *   <out>/<id>/first-layer.<locale>.json  the banner's compact extract (`firstLayer`)
 *   <out>/<id>/manifest.json              id, version, hash, locales and the files above
 */
/// <reference types="node" />
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { NoticeDocument } from '../notice/schema.js';
import { canonicalJson } from '../notice/canonical.js';
import { localizeNotice } from '../notice/localize.js';
import { firstLayer } from '../notice/first-layer.js';
import type { Manifest, ManifestFile } from '../notice-loading/manifest.js';

export interface Written {
  /** As given: `<out>/<id>/<file>`. */
  path: string;
  bytes: number;
  /** gzip -9, as a server would send it. */
  gzip: number;
}

export async function buildNotice(notice: NoticeDocument, hash: string, out: string): Promise<Written[]> {
  const dir = join(out, notice.id);
  await mkdir(dir, { recursive: true });
  const previous = await readManifest(join(dir, 'manifest.json'));

  const written: Written[] = [];
  const files: ManifestFile[] = [];
  const write = async (name: string, text: string, entry?: Omit<ManifestFile, 'path' | 'bytes'>) => {
    const bytes = Buffer.from(text, 'utf8');
    await writeFile(join(dir, name), bytes);
    written.push({ path: join(dir, name), bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });
    if (entry) files.push({ path: name, ...entry, bytes: bytes.length });
  };

  // No trailing newline: `sha256sum notice.json` gives the hash.
  await write('notice.json', canonicalJson(notice), { kind: 'document' });
  for (const locale of notice.locales) {
    await write(`${locale}.json`, JSON.stringify(localizeNotice(notice, locale, hash)), { kind: 'localized', locale });
  }
  for (const locale of notice.locales) {
    await write(`first-layer.${locale}.json`, JSON.stringify(await firstLayer(notice, locale, hash)), { kind: 'first-layer', locale });
  }
  const manifest: Manifest = {
    id: notice.id,
    version: notice.version,
    hash,
    locales: notice.locales,
    defaultLocale: notice.defaultLocale,
    files,
  };
  await write('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);

  // A locale dropped since the last build leaves files behind: remove those
  // the previous manifest listed (and only those: `out` may hold anything).
  const current = new Set(files.map((f) => f.path));
  for (const stale of previous?.files ?? []) {
    if (typeof stale.path === 'string' && /^[\w.-]+\.json$/.test(stale.path) && !current.has(stale.path)) {
      await unlink(join(dir, stale.path)).catch(() => {});
    }
  }
  return written;
}

async function readManifest(path: string): Promise<Partial<Manifest> | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Partial<Manifest>;
  } catch {
    return undefined;
  }
}
