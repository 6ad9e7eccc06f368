/**
 * Validation of a notice document: the schema first, then the rules that
 * span fields (ids that refer to each other, locales, art. 27).
 * Errors name the path of the bad field and what was expected there.
 */
import * as z from 'zod/mini';
import { createNoticeSchema, type NoticeDocument, type RichText } from './schema.js';
import { isInEEA } from './eea.js';

export interface NoticeIssue {
  /** Where in the document, as `purposes[2].title.en`; empty for the document itself. */
  path: string;
  message: string;
}

export type NoticeValidation =
  | { ok: true; notice: NoticeDocument }
  | { ok: false; issues: NoticeIssue[] };

export class InvalidNoticeError extends Error {
  override name = 'InvalidNoticeError';
  constructor(readonly issues: NoticeIssue[]) {
    super(`Invalid notice document:\n${issues.map((i) => `  ${formatIssue(i)}`).join('\n')}`);
  }
}

export function formatIssue(issue: NoticeIssue): string {
  return issue.path ? `${issue.path}: ${issue.message}` : issue.message;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

const LocaleHeader = z.object({
  locales: z.array(z.string()).check(z.minLength(1, 'expected at least one locale')),
});

export function validateNotice(input: unknown): NoticeValidation {
  // The declared locales decide the schema, so read them first.
  const header = LocaleHeader.safeParse(input, { reportInput: true });
  if (!header.success) return { ok: false, issues: fromZod(header.error) };
  const locales = [...new Set(header.data.locales)];
  const [first, ...rest] = locales as [string, ...string[]];
  const schema = createNoticeSchema(z.enum([first, ...rest]));
  const parsed = schema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    // The rules across fields too, as far as the document lets them run: one pass shows every problem.
    const issues = fromZod(parsed.error);
    const seen = new Set(issues.map((i) => `${i.path}\n${i.message}`));
    for (const issue of asFarAsItGoes(() => documentRules(input as NoticeDocument, header.data.locales))) {
      if (!seen.has(`${issue.path}\n${issue.message}`)) issues.push(issue);
    }
    return { ok: false, issues };
  }
  const notice = parsed.data as NoticeDocument;
  const issues = documentRules(notice, header.data.locales);
  return issues.length ? { ok: false, issues } : { ok: true, notice };
}

/**
 * A check written for a valid document, run on one that is not: what it
 * finds before it meets a missing field, or nothing. The schema's own issues
 * already name whatever stopped it.
 */
export function asFarAsItGoes<T>(check: () => T[]): T[] {
  try {
    return check();
  } catch {
    return [];
  }
}

/** Like `validateNotice`, but throws `InvalidNoticeError`. */
export function parseNotice(input: unknown): NoticeDocument {
  const result = validateNotice(input);
  if (!result.ok) throw new InvalidNoticeError(result.issues);
  return result.notice;
}

function fromZod(error: z.core.$ZodError): NoticeIssue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: describe(issue) }));
}

function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `missing: expected ${issue.expected}`;
      return `expected ${issue.expected}, got ${typeName(issue.input)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_value':
      return issue.message.startsWith('Invalid')
        ? `expected one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`
        : issue.message;
    case 'invalid_key':
      return `unknown locale key; expected one of the declared locales`;
    case 'invalid_union':
      return issue.input === undefined ? `missing: ${issue.message}` : issue.message;
    default:
      return issue.message;
  }
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function documentRules(notice: NoticeDocument, declaredLocales: string[]): NoticeIssue[] {
  const issues: NoticeIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  if (new Set(declaredLocales).size !== declaredLocales.length) add('locales', 'each locale may be declared once');
  if (!notice.locales.includes(notice.defaultLocale)) {
    add('defaultLocale', `expected one of the declared locales (${notice.locales.join(', ')})`);
  }

  unique(notice.purposes.map((p) => p.id), 'purposes', add);
  unique(notice.sections.map((s) => s.id), 'sections', add);
  unique(notice.dataCategories.map((c) => c.id), 'dataCategories', add);
  unique(notice.rights.map((r) => r.right), 'rights', add, 'right');
  unique((notice.transfers ?? []).map((t) => t.country), 'transfers', add, 'country');

  const categories = new Set(notice.dataCategories.map((c) => c.id));
  const special = new Set(notice.dataCategories.filter((c) => c.special).map((c) => c.id));
  notice.purposes.forEach((purpose, i) => {
    purpose.dataCategories.forEach((id, j) => {
      if (!categories.has(id)) add(`purposes[${i}].dataCategories[${j}]`, `unknown data category "${id}"; declare it in dataCategories`);
    });
    // A condition of art. 9(2) on a purpose without special categories would claim a safeguard that protects nothing.
    if (purpose.specialCategoryCondition && !purpose.dataCategories.some((id) => special.has(id))) {
      add(
        `purposes[${i}].specialCategoryCondition`,
        'applies only to a purpose that processes special categories of data (a data category with "special": true, art. 9(1))',
      );
    }
  });

  if (!isInEEA(notice.controller.establishedIn) && !notice.controller.representative) {
    add(
      'controller.representative',
      `the controller is established outside the EEA (${notice.controller.establishedIn}), so it must name its EU representative (GDPR art. 27)`,
    );
  }

  const anchors = new Set(notice.sections.map((s) => s.id));
  for (const [path, text] of richTexts(notice)) {
    for (const [linkPath, target] of internalLinks(text, path)) {
      if (!anchors.has(target)) add(linkPath, `links to "#${target}", but no section has that id`);
    }
  }
  return issues;
}

function unique(
  ids: string[],
  path: string,
  add: (path: string, message: string) => void,
  field = 'id',
): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) add(`${path}[${i}].${field}`, `duplicate ${field} "${id}"`);
    seen.add(id);
  });
}

function* internalLinks(text: RichText, path: string): Generator<[string, string]> {
  if (typeof text === 'string') return;
  for (const [i, part] of text.entries()) {
    if (typeof part !== 'string' && part.href.startsWith('#')) yield [`${path}[${i}].href`, part.href.slice(1)];
  }
}

/** Every rich text in the document, with its path: where links can hide. */
export function* richTexts(notice: NoticeDocument): Generator<[string, RichText]> {
  const perLocale = function* (path: string, value: Record<string, RichText> | undefined) {
    if (!value) return;
    for (const [locale, text] of Object.entries(value)) yield [`${path}.${locale}`, text] as [string, RichText];
  };
  yield* perLocale('summary.intro', notice.summary.intro);
  yield* perLocale('summary.withdrawal', notice.summary.withdrawal);
  for (const [locale, list] of Object.entries(notice.summary.notable ?? {})) {
    for (const [i, text] of list.entries()) yield [`summary.notable.${locale}[${i}]`, text];
  }
  if (notice.controller.jointControllers) {
    yield* perLocale('controller.jointControllers.description', notice.controller.jointControllers.description);
  }
  for (const [i, p] of notice.purposes.entries()) {
    yield* perLocale(`purposes[${i}].description`, p.description);
    yield* perLocale(`purposes[${i}].legitimateInterest`, p.legitimateInterest);
    yield* perLocale(`purposes[${i}].retention`, p.retention);
  }
  for (const [i, s] of notice.sections.entries()) {
    yield* perLocale(`sections[${i}].summary`, s.summary);
    for (const [locale, blocks] of Object.entries(s.body)) {
      for (const [j, block] of blocks.entries()) {
        const at = `sections[${i}].body.${locale}[${j}]`;
        if (block.type === 'paragraph' || block.type === 'note') yield [`${at}.text`, block.text];
        if (block.type === 'list') for (const [k, item] of block.items.entries()) yield [`${at}.items[${k}]`, item];
      }
    }
  }
  for (const [i, r] of notice.rights.entries()) yield* perLocale(`rights[${i}].description`, r.description);
  for (const [i, c] of notice.requestChannels.entries()) {
    yield* perLocale(`requestChannels[${i}].instructions`, c.instructions);
    if (c.type === 'email') yield* perLocale(`requestChannels[${i}].proofOfIdentity`, c.proofOfIdentity);
  }
}
