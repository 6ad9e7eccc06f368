/**
 * JSON with positions: `JSON.parse` for the value, and a small scanner that
 * says where things are, so `akkoord-notice` can point at a line and column,
 * both for a syntax error and for a schema error's path.
 */

export interface SourceLocation {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units, as editors count for most text. */
  column: number;
}

export class JsonSyntaxError extends Error {
  override name = 'JsonSyntaxError';
  constructor(message: string, readonly location: SourceLocation | undefined) {
    super(message);
  }
}

export interface JsonSource {
  value: unknown;
  /**
   * Where a path (`purposes[0].title.en`, as core's validation writes them)
   * is in the text: the member's key, or the element's value. A path that is
   * missing (a required field) gives its nearest existing parent.
   */
  locate(path: string): SourceLocation | undefined;
}

/** Parses `text` (a leading byte-order mark is ignored, as `fetch().json()` does). */
export function parseJsonSource(text: string): JsonSource {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw syntaxError(source, error as Error);
  }
  let offsets: Map<string, number> | undefined;
  return {
    value,
    locate(path) {
      offsets ??= scan(source);
      for (let p: string | undefined = path; p !== undefined; p = parent(p)) {
        const offset = offsets.get(p);
        if (offset !== undefined) return locationOf(source, offset);
      }
      return undefined;
    },
  };
}

function syntaxError(text: string, error: Error): JsonSyntaxError {
  // V8 says "… in JSON at position 42" for most errors, or
  // `Unexpected token 'x', "…snippet…" is not valid JSON` without a position.
  const message = error.message
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/^(Unexpected token .+?), ".*" is not valid JSON$/s, '$1')
    .replace(/^Unexpected end of JSON input$/, 'unexpected end of file');
  const stated = /at position (\d+)/.exec(error.message);
  let offset = stated ? Number(stated[1]) : undefined;
  if (offset === undefined) {
    try {
      scan(text);
    } catch (found) {
      if (found instanceof ScanError) offset = found.offset;
    }
  }
  return new JsonSyntaxError(message, offset === undefined ? undefined : locationOf(text, offset));
}

export function locationOf(text: string, offset: number): SourceLocation {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

function parent(path: string): string | undefined {
  if (path === '') return undefined;
  const trimmed = path.replace(/(\.[^.[\]]*|\[\d+\])$/, '');
  return trimmed === path ? '' : trimmed;
}

class ScanError extends Error {
  constructor(readonly offset: number) {
    super(`JSON error at ${offset}`);
  }
}

/**
 * Walks the JSON text and returns the offset of every path in it: for an
 * object member the offset of its key, for an array element or the document
 * the offset of the value. Throws `ScanError` at the first syntax error.
 */
function scan(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
  let i = 0;
  const fail = (at = i): never => {
    throw new ScanError(at);
  };
  const space = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const string = (): string => {
    const start = i;
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++; // closing quote
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string, recordAt?: number): void => {
    space();
    offsets.set(path, recordAt ?? i);
    const c = text[i];
    if (c === '{') {
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        if (text[i] !== '"') fail();
        const keyAt = i;
        const key = string();
        space();
        if (text[i] !== ':') fail();
        i++;
        value(path ? `${path}.${key}` : key, keyAt);
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    } else if (c === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (let n = 0; ; n++) {
        value(`${path}[${n}]`);
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    } else if (c === '"') {
      string();
    } else {
      const literal = /^(true|false|null|-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?)/.exec(text.slice(i, i + 400));
      if (!literal) fail();
      i += literal![0].length;
    }
  };
  value('');
  space();
  if (i < text.length) fail();
  return offsets;
}
