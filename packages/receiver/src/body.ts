/**
 * Request bodies: JSON only, and no larger than a limit. A body over the
 * limit is refused with 413 without being held in memory.
 */
import { refuse } from './refusal.js';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;
/** Room for a full batch of receipts of a notice with many services (the launch notices' are ~2.5 kB each). */
export const DEFAULT_MAX_BATCH_BODY_BYTES = 1024 * 1024;

const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** How much of a refused body is read and dropped before the connection is closed instead. */
const DISCARD_LIMIT_BYTES = 2 * 1024 * 1024;

/** The body as JSON, within the size limit; a `Refusal` (415, 413, 400) otherwise. */
export async function readJson(request: Request, maxBytes: number): Promise<unknown> {
  const type = request.headers.get('Content-Type');
  if (!type || !JSON_TYPE.test(type.trim())) {
    throw refuse('unsupported-media-type', 'Send the body as application/json (UTF-8).');
  }
  const tooLarge = async (rest?: ReadableStreamDefaultReader<Uint8Array>) => {
    // A client may still be sending; the rest is read and dropped (up to a bound), so that it reads our answer
    // rather than a broken pipe, and the connection carries its next request. Past the bound, it closes.
    const drained = rest ? await discardRest(rest, DISCARD_LIMIT_BYTES) : false;
    return refuse('payload-too-large', `The body is larger than ${maxBytes} bytes.`, {}, drained ? {} : { Connection: 'close' });
  };
  const length = request.headers.get('Content-Length');
  let bytes: Uint8Array;
  if (length !== null) {
    if (!/^\d+$/.test(length)) throw await tooLarge();
    if (Number(length) > maxBytes) throw await tooLarge(Number(length) <= DISCARD_LIMIT_BYTES ? request.body?.getReader() : undefined);
    bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > maxBytes) throw await tooLarge();
  } else {
    // Chunked: count while reading, stop at the limit.
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = request.body?.getReader();
    for (;;) {
      if (!reader) break;
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) throw await tooLarge(reader);
      chunks.push(value);
    }
    bytes = new Uint8Array(total);
    let offset = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, offset);
      offset += chunk.byteLength;
    }
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw refuse('invalid-json', 'The body is not JSON.');
  }
}

/** Reads the rest of a body and drops it; false (and the read cancelled) past `limit` bytes. */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, limit: number): Promise<boolean> {
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return true;
      read += value.byteLength;
      if (read > limit) {
        await reader.cancel().catch(() => {});
        return false;
      }
    }
  } catch {
    return false;
  }
}
