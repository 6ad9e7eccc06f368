/**
 * Writes the generated OpenAPI document to `packages/receiver/openapi.json`
 * (or the path given): `node packages/receiver/dist/write-openapi.js [out]`,
 * run by the build after tsc.
 */
/// <reference types="node" />
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildOpenApi } from './openapi.js';

const out = process.argv[2] ?? fileURLToPath(new URL('../openapi.json', import.meta.url));
writeFileSync(out, `${JSON.stringify(buildOpenApi(), null, 2)}\n`);
console.log(`wrote ${out}`);
