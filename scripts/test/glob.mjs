// Node 20 has no fs.glob; this lists the files under a folder whose names match.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export function globSync(dir, pattern) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && pattern.test(entry.name))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}
