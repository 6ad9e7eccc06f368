/**
 * What `akkoord-notice build` writes beside a notice (cli/build.ts writes
 * it; the loaders here read it): the notice's hash, its locales and the
 * files a page fetches.
 */
import type { FirstLayer } from '../notice/first-layer.js';

export type FileKind = 'document' | 'localized' | 'first-layer';

export interface ManifestFile {
  /** Relative to the manifest. */
  path: string;
  kind: FileKind;
  locale?: string;
  bytes: number;
}

export interface Manifest {
  id: string;
  version: string;
  /** `sha256:<hex>` of the document's canonical JSON. */
  hash: string;
  locales: string[];
  defaultLocale: string;
  files: ManifestFile[];
}

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Enough of a manifest to follow it; a file it names is checked when it is read. */
export const isManifest = (value: unknown): value is Manifest =>
  isObject(value) && Array.isArray(value.files) && Array.isArray(value.locales) && typeof value.hash === 'string';

export const isFirstLayer = (value: unknown): value is FirstLayer =>
  isObject(value) &&
  typeof value.consentFingerprint === 'string' &&
  Array.isArray(value.purposes) &&
  Array.isArray(value.locales) &&
  isObject(value.summary) &&
  isObject(value.controller);
