/**
 * Which GDPR rights a purpose offers, by its legal basis: the DPV mapping
 * (`w3c/dpv` `legal_basis_rights_mapping.csv`, CONFORMANCE.md T9), as data.
 *
 * Articles 13 and 14 (the right to be informed) are met by the notice
 * itself, so they map to no request; the others map to the `RightId`s of
 * the notice model. An element claims a right for a purpose only when the
 * purpose's basis has it here (B16): a purpose under legal obligation alone
 * does not offer portability, erasure or objection.
 */
// Types only: the notice schema's module holds zod, which a page showing rights need not load.
// The rights themselves are defined here, and the schema takes them from here.
import type { LegalBasis } from '../notice/schema.js';

/**
 * The rights a person can ask the registrar to act on (a complaint goes to
 * the authority, withdrawal to the preferences): what a rights request
 * (`@akkoord/core/sync`'s contract) may name.
 */
export const REQUESTABLE_RIGHTS = [
  'access',
  'rectification',
  'erasure',
  'restriction',
  'portability',
  'objection',
  'automated-decisions',
] as const;
export type RequestableRight = (typeof REQUESTABLE_RIGHTS)[number];

/** GDPR rights, by their usual names (the notice model's `RightId`s); the article of each is in `ARTICLE_OF_RIGHT`. */
export const RIGHTS = [...REQUESTABLE_RIGHTS, 'withdraw-consent', 'complaint'] as const;
export type RightId = (typeof RIGHTS)[number];

/** The GDPR article of each right, in the order of `RIGHTS` (the notice schema's `RIGHT_ARTICLES`). */
export const ARTICLE_OF_RIGHT: Readonly<Record<RightId, string>> = {
  access: '15',
  rectification: '16',
  erasure: '17',
  restriction: '18',
  portability: '20',
  objection: '21',
  'automated-decisions': '22',
  'withdraw-consent': '7(3)',
  complaint: '77',
};

/** A GDPR article that grants a right, as DPV and CONFORMANCE.md write it. */
export type RightArticle = '13' | '14' | '15' | '16' | '17' | '18' | '20' | '21' | '22' | '7(3)' | '77';

/** The GDPR article of each legal basis (art. 6(1)), as DPV's `eu-gdpr:A6-1-x`. */
export const BASIS_ARTICLES: Record<LegalBasis, string> = {
  consent: 'A6-1-a',
  contract: 'A6-1-b',
  'legal-obligation': 'A6-1-c',
  'vital-interests': 'A6-1-d',
  'public-task': 'A6-1-e',
  'legitimate-interests': 'A6-1-f',
};

/**
 * The rights each basis gives, by article. a, b, c and f are DPV's mapping
 * verbatim (T9). DPV's table has no rows for d and e; these follow from the
 * GDPR's text:
 * - vital interests (A6-1-d): the general rights of 13–18, 22 and 77. No 20
 *   (art. 20(1)(a): only consent and contract), no 21 (art. 21(1): only
 *   6(1)(e) and (f)), no 7(3) (no consent to withdraw).
 * - public task (A6-1-e): 21 applies (art. 21(1)); 17 does not (art.
 *   17(3)(b) exempts processing for a task in the public interest) and 20
 *   does not (art. 20(3)); 22 and the general rights remain.
 */
export const RIGHTS_BY_BASIS: Readonly<Record<LegalBasis, readonly RightArticle[]>> = {
  consent: ['13', '14', '15', '16', '17', '18', '20', '22', '7(3)', '77'],
  contract: ['13', '14', '15', '16', '17', '18', '20', '22', '77'],
  'legal-obligation': ['13', '15', '16', '18', '77'],
  'vital-interests': ['13', '14', '15', '16', '17', '18', '22', '77'],
  'public-task': ['13', '14', '15', '16', '18', '21', '22', '77'],
  'legitimate-interests': ['13', '14', '15', '16', '17', '18', '21', '22', '77'],
};

/** The right of the notice model that an article grants; 13 and 14 are the notice itself. */
export const RIGHT_OF_ARTICLE: Readonly<Record<RightArticle, RightId | undefined>> = {
  '13': undefined,
  '14': undefined,
  ...(Object.fromEntries(Object.entries(ARTICLE_OF_RIGHT).map(([right, article]) => [article, right])) as Record<
    Exclude<RightArticle, '13' | '14'>,
    RightId
  >),
};

/** The rights a person can use for a purpose on this basis, in the order of `ARTICLE_OF_RIGHT`. */
export function rightsForBasis(basis: LegalBasis): RightId[] {
  const articles = RIGHTS_BY_BASIS[basis] ?? [];
  return RIGHTS.filter((right) => articles.includes(ARTICLE_OF_RIGHT[right] as RightArticle));
}

/** Whether a purpose on this basis offers this right. */
export function rightApplies(right: RightId, basis: LegalBasis): boolean {
  return rightsForBasis(basis).includes(right);
}

/** The purposes (of a notice) for which a right applies. */
export function purposesWithRight<P extends { legalBasis: LegalBasis }>(purposes: readonly P[], right: RightId): P[] {
  return purposes.filter((purpose) => rightApplies(right, purpose.legalBasis));
}

/**
 * The rights that apply to at least one of these purposes, in the order of
 * `ARTICLE_OF_RIGHT`. The complaint to a supervisory authority (art. 77)
 * applies to every basis, so it is always among them.
 */
export function applicableRights(purposes: readonly { legalBasis: LegalBasis }[]): RightId[] {
  const bases = new Set(purposes.map((p) => p.legalBasis));
  return RIGHTS.filter(
    (right) => right === 'complaint' || [...bases].some((basis) => rightApplies(right, basis)),
  );
}

export type { LegalBasis };
