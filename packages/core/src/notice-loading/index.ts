/**
 * Loading a notice for a page: what `akkoord-notice build` wrote (its
 * manifest, first-layer and document files) or a raw document, validated
 * when nothing proves it valid. The banner imports `./first-layer` alone,
 * which leaves the notice model (zod) for when it is needed.
 */
export { fetchJson, NoticeLoadError } from './fetch-json.js';
export { isFirstLayer, isManifest, type FileKind, type Manifest, type ManifestFile } from './manifest.js';
export { loadDocument, validated } from './document.js';
export { loadFirstLayer } from './first-layer.js';
