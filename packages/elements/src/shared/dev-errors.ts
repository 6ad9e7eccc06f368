/**
 * Mistakes a developer can fix, said in the console once per page: what is
 * wrong, how to fix it, and the README section that explains it. One line
 * per mistake and element kind, however many elements make it (twenty
 * banners with one bad notice log one line).
 *
 * The checks here are small and run on every page; the text of most
 * messages (dev-messages.ts) loads only when a check finds something, so a
 * correct page pays nothing for it. Nothing here throws or changes what an
 * element does: the page keeps working, and `consent-error` still fires
 * where it did. The record of what was said lives on globalThis, so two
 * copies of Akkoord on a page say each thing once between them.
 */
import type { Mistake } from './dev-messages.js';

const DOCS = 'https://github.com/akkoord/akkoord';

/** Each mistake, and the README section (its heading's anchor) that says how to get it right. */
const ANCHORS = {
  'notice-missing': 'embed-it-with-one-script-tag',
  'notice-fetch-failed': 'embed-it-with-one-script-tag',
  'notice-invalid': 'author-a-notice-document',
  'endpoint-invalid': 'embed-it-with-one-script-tag',
  'lang-unsupported': 'embed-it-with-one-script-tag',
  'heading-level-invalid': 'errors-in-the-console',
  'duplicate-define': 'ways-to-adopt-it',
} as const;

export type DevErrorCode = keyof typeof ANCHORS;

const SAID = Symbol.for('akkoord.dev-errors');

function said(): Set<string> {
  const holder = globalThis as { [SAID]?: Set<string> };
  return (holder[SAID] ??= new Set());
}

/**
 * `console.error('[Akkoord] <message> <fix> See <docs>#<anchor>')`, once per
 * `code` and `kind` (the element's tag) on the page.
 */
export function devError(code: DevErrorCode, message: string, fix: string, kind = ''): void {
  say('error', code, message, fix, kind);
}

/** The same, as a warning: for what the page survives unchanged (a second copy of a tag). */
export function devWarning(code: DevErrorCode, message: string, fix: string, kind = ''): void {
  say('warn', code, message, fix, kind);
}

function say(level: 'error' | 'warn', code: DevErrorCode, message: string, fix: string, kind: string): void {
  const key = `${code} ${kind}`;
  if (said().has(key)) return;
  said().add(key);
  console[level](`[Akkoord] ${message} ${fix} See ${DOCS}#${ANCHORS[code]}`);
}

// ---------------------------------------------------------------------------
// The checks the elements call.

interface Host extends HTMLElement {
  notice?: unknown;
  endpoint?: string;
}

/** Loads the message text and says it. */
const explain = (mistake: Mistake) => void import('./dev-messages.js').then((messages) => messages.explain(mistake));

/** How long an element may wait for its notice: a host may fetch it first, or a framework set it a moment later. */
export const NOTICE_GRACE_MS = 2000;

/** Called on connect: an element still without a notice a while later was given none. */
export function watchForMissingNotice(host: Host): void {
  setTimeout(() => {
    if (host.isConnected && !host.notice) explain({ code: 'notice-missing', host });
  }, NOTICE_GRACE_MS);
}

/** A notice that could not load or is invalid (the element also fires `consent-error`). */
export function reportNoticeError(host: Host, error: { code: string; message: string; issues: readonly { path: string; message: string }[] }): void {
  explain({ code: error.code === 'notice-invalid' ? 'notice-invalid' : 'notice-fetch-failed', host, error });
}

const LOCAL_HOST = /^(localhost|127\.0\.0\.1|\[::1\])$|\.localhost$/;

/** The receipt client's rules for `endpoint` (https, or http on localhost), checked before they fail. */
export function checkEndpoint(host: Host): void {
  const endpoint = host.endpoint;
  if (endpoint === undefined || endpoint === null) return;
  let problem: string | undefined;
  if (endpoint === '') problem = 'is empty';
  else {
    try {
      const url = new URL(endpoint);
      if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOST.test(url.hostname))) problem = 'does not use https:';
    } catch {
      problem = 'is not an absolute URL';
    }
  }
  if (problem) explain({ code: 'endpoint-invalid', host, problem });
}

const language = (locale: string) => locale.split('-')[0]!.toLowerCase();

/** The element's own `lang` names a language the notice has (nl-BE finds nl); else another one is shown. */
export function checkLang(host: Host, locales: readonly string[]): void {
  const lang = host.getAttribute('lang');
  if (!lang || !locales.length) return;
  let wellFormed = true;
  try {
    Intl.getCanonicalLocales(lang);
  } catch {
    wellFormed = false;
  }
  if (!wellFormed || !locales.some((locale) => language(locale) === language(lang))) {
    explain({ code: 'lang-unsupported', host, lang, locales, wellFormed });
  }
}

/** `heading-level` is 1 to 6. */
export function checkHeadingLevel(host: Host & { headingLevel: number }): void {
  const level = Number(host.headingLevel);
  if (!(Number.isInteger(level) && level >= 1 && level <= 6)) explain({ code: 'heading-level-invalid', host });
}

/** Another class holds the tag: another copy or version of Akkoord on the page. Said at once, by define(). */
export function reportDuplicate(tag: string): void {
  devWarning(
    'duplicate-define',
    `<${tag}> is already defined by another script (another copy or version of Akkoord?); keeping that one.`,
    'Load Akkoord once per page: either the script tag (akkoord.min.js) or the npm package in your bundle, not both, and one version of it.',
    tag,
  );
}
