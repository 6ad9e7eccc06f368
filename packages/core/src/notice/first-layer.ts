/**
 * The first layer of a notice in one locale: what the consent banner shows
 * before anyone opens the full notice. Small on purpose: the banner loads it
 * on every page, inside a 10 kB budget, and never validates it (the notice
 * was validated here, where it was authored).
 */
import type { LegalBasis, NoticeDocument, PurposeCategory, RichText } from './schema.js';
import { consentFingerprint, storedItems } from './fingerprint.js';
import type { ConsentNotice, ConsentNoticePurpose } from '../consent/types.js';

/**
 * It carries what the consent controller needs (`ConsentNotice`): id,
 * version, hash, the consent fingerprint and each purpose's basis, so a
 * banner page needs no other file.
 */
export interface FirstLayer {
  id: string;
  version: string;
  /** `hashJson` of the whole document: what the banner's receipts name. */
  hash: string;
  /** Hash of the consent purposes: a change there asks everyone again. */
  consentFingerprint: string;
  /** The locales the document has, so the banner can offer the others. */
  locales: string[];
  locale: string;
  /**
   * The representative's country is named, in this locale: a representative
   * outside the EU is not an EU representative, and the banner must not
   * call it one.
   */
  controller: { name: string; representative?: { name: string; country?: string } };
  summary: { intro: RichText; notable: RichText[]; withdrawal: RichText };
  /** Every purpose with its basis, in the notice's order. */
  purposes: FirstLayerPurpose[];
  /** How long decisions are kept, only when the notice says (the controller has defaults). */
  consentLifetime?: ConsentNotice['consentLifetime'];
  /** The first section on the rights (topic `rights`), for a "your rights" link into the notice page. */
  rightsSectionId?: string;
  policyUrl: string;
}

/** A purpose the person decides on: what a decision names (id), GPC reads (category), and the preferences explain. */
export interface FirstLayerConsentPurpose {
  id: string;
  title: string;
  legalBasis: 'consent';
  category: PurposeCategory;
  description: RichText;
  /** Only when the notice declares them: what refusing the purpose deletes. */
  cookies?: ConsentNoticePurpose['cookies'];
  storage?: ConsentNoticePurpose['storage'];
  /** Only when the notice declares them: the Google Consent Mode signals the purpose covers. */
  consentMode?: ConsentNoticePurpose['consentMode'];
}

/** A purpose on another legal basis: the banner and the preferences list it by title and basis only. */
export interface FirstLayerOtherPurpose {
  title: string;
  legalBasis: Exclude<LegalBasis, 'consent'>;
}

export type FirstLayerPurpose = FirstLayerConsentPurpose | FirstLayerOtherPurpose;

/** The people who see a first layer (the banner, the preferences): a site's visitors and its customers. */
const SITE_AUDIENCES: readonly string[] = ['visitors', 'customers'];

/**
 * Whether a purpose concerns the people who see the first layer. A notice
 * may say whom a purpose concerns (`audience`: employees, candidates, ...);
 * a purpose that says nothing concerns everyone. The full notice shows
 * every purpose; the first layer only these.
 */
export function concernsSiteVisitors(purpose: object): boolean {
  const { audience } = purpose as { audience?: readonly string[] };
  return !audience || audience.some((who) => SITE_AUDIENCES.includes(who));
}

export async function firstLayer(notice: NoticeDocument, locale: string, hash: string): Promise<FirstLayer> {
  if (!notice.locales.includes(locale)) throw new RangeError(`Notice "${notice.id}" has no locale "${locale}"`);
  const t = <T>(value: Record<string, T>): T => value[locale] as T;
  const { controller } = notice;
  return {
    id: notice.id,
    version: notice.version,
    hash,
    consentFingerprint: await consentFingerprint(notice),
    locales: notice.locales,
    locale,
    controller: {
      name: controller.name,
      ...(controller.representative && {
        representative: {
          name: controller.representative.name,
          ...(controller.representative.address && {
            country: countryName(controller.representative.address.addressCountry, locale),
          }),
        },
      }),
    },
    summary: {
      intro: t(notice.summary.intro),
      notable: notice.summary.notable ? t(notice.summary.notable) : [],
      withdrawal: t(notice.summary.withdrawal),
    },
    // Only the purposes a person decides need more than a title and a basis.
    purposes: notice.purposes.filter(concernsSiteVisitors).map((p): FirstLayerPurpose =>
      p.legalBasis === 'consent'
        ? {
            id: p.id,
            title: t(p.title),
            legalBasis: p.legalBasis,
            category: p.category,
            description: t(p.description),
            ...storedItems(p.cookies, p.storage, p.consentMode),
          }
        : { title: t(p.title), legalBasis: p.legalBasis },
    ),
    ...(notice.consentLifetime && { consentLifetime: notice.consentLifetime }),
    rightsSectionId: notice.sections.find((s) => s.topic === 'rights')?.id,
    policyUrl: notice.policyUrl,
  };
}

/** A country's name in `locale`, written here so that the banner needs no code for it; the code where the runtime has no names. */
function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}
