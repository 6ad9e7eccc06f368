/**
 * The notice document: one registrar's privacy policy, authored once as JSON.
 *
 * The schema is built per document: `locales` decides which keys every
 * localized text must have, so a missing translation is a validation error at
 * its own path (`purposes[2].title.en`), never a silent fallback.
 */
import * as z from 'zod/mini';
import { ARTICLE_OF_RIGHT, RIGHTS, type RightId } from '../rights/index.js';
import { CONSENT_MODE_SIGNALS } from '../consent/consent-mode-signals.js';

export const LEGAL_BASES = [
  'consent',
  'contract',
  'legal-obligation',
  'vital-interests',
  'public-task',
  'legitimate-interests',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

// The rights and their articles are defined in ../rights (no zod, for the pages that show rights).
export { RIGHTS, type RightId };
/** The GDPR article of each right. */
export const RIGHT_ARTICLES: Readonly<Record<RightId, string>> = ARTICLE_OF_RIGHT;

/** What a purpose is for, in DPV's terms; `direct-marketing` is what GPC turns off by default. */
export const PURPOSE_CATEGORIES = [
  'service-provision',
  'customer-communication',
  'direct-marketing',
  'billing',
  'legal-compliance',
  'security',
  'research',
  'service-development',
  'business-management',
  'recruitment',
  'employment',
] as const;

export const SECTION_TOPICS = [
  'general',
  'purposes',
  'data-collected',
  'rights',
  'legal-grounds',
  'special-categories',
  'transfers',
  'safeguards',
  'joint-control',
  'recipients',
  'retention',
  'contact',
  'complaints',
  'requests',
] as const;
export type SectionTopic = (typeof SECTION_TOPICS)[number];

export const REQUEST_MEANS = ['phone', 'fax', 'email', 'verbal', 'postal', 'online'] as const;

/**
 * Whom a purpose concerns. A purpose without `audience` concerns everyone.
 * The banner and the preferences show only the purposes that concern the
 * people who see them (`concernsSiteVisitors`); the full notice shows all.
 */
export const AUDIENCES = [
  'visitors',
  'customers',
  'business-partners',
  'employees',
  'retirees',
  'candidates',
  'family-members',
] as const;
export type Audience = (typeof AUDIENCES)[number];

/** The people who see a registrar's website, and so its banner and preferences. */
export const SITE_AUDIENCES: readonly Audience[] = ['visitors', 'customers'];

/** Whether a purpose concerns the people who visit the website (no `audience`: everyone). */
export function concernsSiteVisitors(purpose: { audience?: readonly Audience[] }): boolean {
  return !purpose.audience || purpose.audience.some((a) => SITE_AUDIENCES.includes(a));
}

/**
 * The conditions of GDPR art. 9(2) under which special categories of data
 * may be processed at all, by their letter. A basis of art. 6 is needed too:
 * art. 9 adds a condition, it does not replace the basis.
 */
export const SPECIAL_CATEGORY_CONDITIONS = {
  'explicit-consent': 'a',
  'employment-and-social-security-law': 'b',
  'vital-interests': 'c',
  'not-for-profit-body': 'd',
  'made-public-by-the-data-subject': 'e',
  'legal-claims': 'f',
  'substantial-public-interest': 'g',
  'health-or-social-care': 'h',
  'public-health': 'i',
  'archiving-research-or-statistics': 'j',
} as const;
export type SpecialCategoryCondition = keyof typeof SPECIAL_CATEGORY_CONDITIONS;

/** The appropriate safeguards of art. 46 (and binding corporate rules, art. 47) for a transfer without an adequacy decision. */
export const TRANSFER_SAFEGUARDS = [
  'standard-contractual-clauses',
  'binding-corporate-rules',
  'code-of-conduct',
  'certification',
  'derogation',
] as const;

// A check, not z.trim(): that would rewrite the text, eating the space before a link and changing the hash.
const nonEmpty = () => z.string().check(z.refine((s) => s.trim().length > 0, 'expected non-empty text'));
const slug = () =>
  z.string().check(z.regex(/^[a-z][a-z0-9-]*$/, 'expected an id of lowercase letters, digits and hyphens'));
const countryCode = () =>
  z.string().check(z.regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 country code such as "NL"'));
const localeTag = () =>
  z.string().check(z.regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'expected a language tag such as "nl", "en" or "nl-BE"'));
const httpsUrl = () =>
  z.string().check(z.regex(/^https:\/\/[^\s]+$/, 'expected an https: URL'));
const email = () => z.email('expected an e-mail address');
/** Whose law: "EU" for Union law, otherwise the country. */
const lawCode = () =>
  z.string().check(z.regex(/^(EU|[A-Z]{2})$/, 'expected "EU" for Union law, or an ISO 3166-1 alpha-2 country code such as "NL"'));
const uniqueList = <T extends z.ZodMiniType<string>>(item: T, what: string) =>
  z.array(item).check(
    z.minLength(1, `expected at least one ${what}`),
    z.refine((items) => new Set(items).size === items.length, `each ${what} may be named once`),
  );

/**
 * A link target: `https:`, `mailto:`, or `#id` of a section or right in the
 * same document (checked by the document rules). Anything else, such as
 * `javascript:`, is rejected here so that it can never reach a page.
 */
const href = () =>
  z.string().check(
    z.regex(/^(https:\/\/[^\s]+|mailto:[^\s]+|#[a-z][a-z0-9-]*)$/, 'expected an https: or mailto: URL, or #id of a section'),
  );

/**
 * A cookie's name, or a pattern in which `*` stands for any characters
 * (`_ga_*`): the characters RFC 6265 allows in a cookie name.
 */
const cookieName = () =>
  z.string().check(
    z.regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'expected a cookie name, or a pattern with * for any characters such as "_ga_*"'),
  );
/** A storage key, or a pattern with `*`: anything but white space. */
const storageKey = () =>
  z.string().check(z.regex(/^\S+$/, 'expected a storage key without spaces, or a pattern with * for any characters such as "ajs_*"'));
/** The host a cookie is set on (`www.registrar.example`), or with a leading dot the domain and its subdomains. */
const cookieDomain = () =>
  z.string().check(
    z.regex(
      /^\.?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
      'expected a host such as "www.registrar.example", or a domain with its subdomains such as ".registrar.example" (lowercase)',
    ),
  );
const months = () =>
  z.number({ error: 'expected a whole number of months' }).check(
    z.refine((n) => Number.isInteger(n), 'expected a whole number of months'),
    z.gte(1, 'expected at least 1 month'),
    z.lte(24, 'expected at most 24 months'),
  );
const cookiePath = () => z.string().check(z.regex(/^\/[^\s;]*$/, 'expected a path that starts with "/", such as "/"'));

const list = <T extends z.ZodMiniType>(item: T, what: string) =>
  z.array(item).check(z.minLength(1, `expected at least one ${what}`));

export const InlineSchema = z.union([nonEmpty(), z.strictObject({ text: nonEmpty(), href: href() })], {
  error: 'expected a string or a {text, href} link',
});
/** Text with optional links: a plain string, or a run of strings and links. */
export const RichTextSchema = z.union([nonEmpty(), list(InlineSchema, 'string or link')], {
  error: 'expected text: a string, or a list of strings and {text, href} links',
});

export const BlockSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('paragraph'), text: RichTextSchema }),
  z.strictObject({
    type: z.literal('list'),
    ordered: z.optional(z.boolean()),
    items: list(RichTextSchema, 'item'),
  }),
  z.strictObject({ type: z.literal('heading'), text: nonEmpty() }),
  z.strictObject({ type: z.literal('address'), lines: list(nonEmpty(), 'line') }),
  z.strictObject({ type: z.literal('note'), text: RichTextSchema }),
], { error: 'expected a block of type "paragraph", "list", "heading", "address" or "note"' });

export const PostalAddressSchema = z.strictObject({
  streetAddress: nonEmpty(),
  postalCode: z.optional(nonEmpty()),
  addressLocality: nonEmpty(),
  addressRegion: z.optional(nonEmpty()),
  addressCountry: countryCode(),
});

export const PartySchema = z.strictObject({
  name: nonEmpty(),
  /** Optional because not every policy publishes one; `lintNotice` points out a missing address. */
  address: z.optional(PostalAddressSchema),
  email: z.optional(email()),
  phone: z.optional(z.string().check(z.regex(/^tel:\+[0-9-]+$/, 'expected an RFC 3966 number such as "tel:+31-20-000-0000"'))),
  url: z.optional(httpsUrl()),
});

type KeySchema = z.ZodMiniType<string, string>;

/**
 * The whole document's schema, with localized texts keyed by `localeKey`.
 * `createNoticeSchema(z.string())` gives the shape for types; validation uses
 * an enum of the document's own locales, which zod treats as exhaustive.
 */
export function createNoticeSchema<K extends KeySchema>(localeKey: K) {
  const localized = <T extends z.ZodMiniType>(value: T) => z.record(localeKey, value);
  const text = () => localized(nonEmpty());
  const rich = () => localized(RichTextSchema);
  const blocks = () => localized(list(BlockSchema, 'block'));

  /**
   * A cookie a purpose sets, or has others set (a provider's script). The
   * notice shows it; refusing or withdrawing a consent purpose deletes it.
   */
  const cookie = z.strictObject({
    name: cookieName(),
    /** Who sets it and reads it: the registrar itself, or a third party by name. */
    provider: nonEmpty(),
    /** Where it is set; without it, the host of the page. */
    domain: z.optional(cookieDomain()),
    /** Its path; without it, "/". */
    path: z.optional(cookiePath()),
    /** How long it lasts ("13 maanden", "until the browser closes"). */
    lifetime: text(),
    /** What it is for. */
    description: rich(),
  });
  /** A key in the browser's localStorage or sessionStorage, declared like a cookie. */
  const storageEntry = z.strictObject({
    key: storageKey(),
    type: z.enum(['local', 'session'], { error: 'expected "local" (localStorage) or "session" (sessionStorage)' }),
    provider: nonEmpty(),
    lifetime: text(),
    description: rich(),
  });

  const purpose = z
    .strictObject({
      id: slug(),
      title: text(),
      description: rich(),
      legalBasis: z.enum(LEGAL_BASES, {
        error: `expected one legal basis, one of: ${LEGAL_BASES.join(', ')}`,
      }),
      /** Required for `legitimate-interests` (art. 13(1)(d)). */
      legitimateInterest: z.optional(rich()),
      category: z.enum(PURPOSE_CATEGORIES),
      dataCategories: list(slug(), 'data category id'),
      retention: z.optional(rich()),
      /** How a consent purpose reaches the person (ePrivacy: unsolicited mail). */
      channel: z.optional(z.enum(['email', 'post', 'phone', 'web'])),
      /** Whom the purpose concerns; without it, everyone. */
      audience: z.optional(uniqueList(z.enum(AUDIENCES), 'audience')),
      /** For a purpose that processes special categories of data: its condition of art. 9(2). */
      specialCategoryCondition: z.optional(
        z.enum(Object.keys(SPECIAL_CATEGORY_CONDITIONS) as [SpecialCategoryCondition, ...SpecialCategoryCondition[]]),
      ),
      /** For a legal-obligation purpose: whose law imposes it ("EU" or a country). */
      obligationLaw: z.optional(lawCode()),
      /** Data is handed over because someone (such as an authority) asks for it, not because a law demands it. */
      disclosedOnRequest: z.optional(z.boolean()),
      /** The cookies the purpose covers. */
      cookies: z.optional(list(cookie, 'cookie')),
      /** The localStorage and sessionStorage keys the purpose covers. */
      storage: z.optional(list(storageEntry, 'storage key')),
      /** The Google Consent Mode signals a consent purpose covers (e.g. ["ad_storage", "ad_user_data"]). */
      consentMode: z.optional(
        uniqueList(z.enum(CONSENT_MODE_SIGNALS, { error: `expected a Consent Mode signal, one of: ${CONSENT_MODE_SIGNALS.join(', ')}` }), 'signal'),
      ),
    })
    .check(
      z.refine((p) => p.legalBasis !== 'legitimate-interests' || p.legitimateInterest !== undefined, {
        message: 'a legitimate-interests purpose must state the interest (legitimateInterest)',
        path: ['legitimateInterest'],
      }),
      z.refine((p) => p.legalBasis === 'consent' || p.channel === undefined, {
        message: 'channel applies to consent purposes only',
        path: ['channel'],
      }),
      z.refine((p) => p.legalBasis === 'consent' || p.consentMode === undefined, {
        message: 'consentMode applies to consent purposes only',
        path: ['consentMode'],
      }),
      z.refine((p) => p.legalBasis === 'legal-obligation' || p.obligationLaw === undefined, {
        message: 'obligationLaw applies to legal-obligation purposes only',
        path: ['obligationLaw'],
      }),
    );

  const requestChannel = z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('postal'),
      recipient: z.strictObject({ ...PartySchema.def.shape, address: PostalAddressSchema }),
      registeredMail: z.boolean(),
      instructions: rich(),
      enclosures: z.optional(localized(z.array(nonEmpty()))),
      formUrl: z.optional(httpsUrl()),
    }),
    z.strictObject({
      type: z.literal('email'),
      address: email(),
      instructions: rich(),
      proofOfIdentity: z.optional(rich()),
    }),
    z.strictObject({
      type: z.literal('self-service'),
      url: httpsUrl(),
      label: text(),
      instructions: rich(),
    }),
    z.strictObject({
      type: z.literal('online'),
      instructions: rich(),
    }),
  ], { error: 'expected a channel of type "postal", "email", "self-service" or "online"' });

  return z.strictObject({
    $schema: z.optional(z.string()),
    id: slug(),
    version: nonEmpty(),
    locales: list(localeTag(), 'locale'),
    defaultLocale: localeTag(),
    jurisdiction: countryCode(),
    policyUrl: httpsUrl(),
    controller: z.strictObject({
      ...PartySchema.def.shape,
      /** Where the controller is established: decides whether art. 27 applies. */
      establishedIn: countryCode(),
      dpo: z.optional(PartySchema),
      /** Art. 27: required when the controller is established outside the EEA. */
      representative: z.optional(PartySchema),
      jointControllers: z.optional(z.strictObject({ description: rich(), url: z.optional(httpsUrl()) })),
    }),
    summary: z.strictObject({
      intro: rich(),
      /** Processing a person would not expect; shown on the first layer (WP260). */
      notable: z.optional(localized(z.array(RichTextSchema))),
      /** How to withdraw consent, said before anyone consents (art. 7(3)). */
      withdrawal: rich(),
    }),
    dataCategories: list(
      z.strictObject({ id: slug(), title: text(), special: z.optional(z.boolean()) }),
      'data category',
    ),
    purposes: list(purpose, 'purpose'),
    /**
     * How long a decision is kept before the person is asked again, in
     * months: one that grants every consent purpose (default 12), and one
     * that refuses any (default 6).
     */
    consentLifetime: z.optional(
      z.strictObject({
        grantedMonths: z.optional(months()),
        refusedMonths: z.optional(months()),
      }),
    ),
    /**
     * The countries outside the EEA that data is transferred to, and what
     * the notice says protects it there (art. 13(1)(f)): an adequacy
     * decision of the Commission (art. 45), or a safeguard (art. 46).
     */
    transfers: z.optional(
      list(
        z.strictObject({
          country: countryCode(),
          adequacyDecision: z.boolean(),
          safeguard: z.optional(z.enum(TRANSFER_SAFEGUARDS)),
        }),
        'transfer',
      ),
    ),
    sections: list(
      z.strictObject({ id: slug(), topic: z.enum(SECTION_TOPICS), title: text(), summary: rich(), body: blocks() }),
      'section',
    ),
    rights: list(z.strictObject({ right: z.enum(RIGHTS), title: text(), description: rich() }), 'right'),
    requestChannels: list(requestChannel, 'request channel'),
    /** Means the registrar explicitly does not accept requests through. */
    refusedRequestMeans: z.optional(z.array(z.enum(REQUEST_MEANS))),
    supervisoryAuthorities: list(
      z.strictObject({
        name: text(),
        country: countryCode(),
        url: httpsUrl(),
        email: z.optional(email()),
        address: z.optional(PostalAddressSchema),
      }),
      'supervisory authority',
    ),
  });
}

const TypeShape = createNoticeSchema(z.string());
export type NoticeDocument = z.infer<typeof TypeShape>;
export type Localized<T> = Record<string, T>;
export type Inline = z.infer<typeof InlineSchema>;
export type RichText = z.infer<typeof RichTextSchema>;
export type Block = z.infer<typeof BlockSchema>;
export type PostalAddress = z.infer<typeof PostalAddressSchema>;
export type Party = z.infer<typeof PartySchema>;
export type Purpose = NoticeDocument['purposes'][number];
export type CookieDeclaration = NonNullable<Purpose['cookies']>[number];
export type StorageDeclaration = NonNullable<Purpose['storage']>[number];
export type Section = NoticeDocument['sections'][number];
export type Right = NoticeDocument['rights'][number];
export type RequestChannel = NoticeDocument['requestChannels'][number];
export type PurposeCategory = (typeof PURPOSE_CATEGORIES)[number];
