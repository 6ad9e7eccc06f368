/**
 * Advice on a valid notice: things the law or the regulators' guidance ask
 * for that a schema cannot decide alone. Warnings, not errors: the registrar
 * decides, but `akkoord-notice check` shows them.
 */
import {
  concernsSiteVisitors,
  type Audience,
  type NoticeDocument,
  type RichText,
  type SectionTopic,
} from './schema.js';
import { isInEEA } from './eea.js';
import { adequacyDecision } from './adequacy.js';
import { plainText } from './rich-text.js';

export interface NoticeWarning {
  path: string;
  message: string;
}

/** Hedging words that make a purpose vague (art. 12(1); WP260 ¶13). */
const VAGUE_WORDS: Record<string, RegExp> = {
  en: /\b(may|might|some|possibly|perhaps)\b/i,
  nl: /\b(kan|kunnen|mogelijk|mogelijkerwijs|sommige|eventueel)\b/i,
};

/** What art. 13 asks a notice to cover, by the section topic that covers it. */
const ART13_TOPICS: [SectionTopic, string][] = [
  ['purposes', 'the purposes and their legal basis (art. 13(1)(c))'],
  ['recipients', 'the recipients (art. 13(1)(e))'],
  ['retention', 'how long data is kept (art. 13(2)(a))'],
  ['rights', "the data subject's rights (art. 13(2)(b))"],
  ['complaints', 'the right to complain to a supervisory authority (art. 13(2)(d))'],
];

/** People a purpose can concern who are not a party to the controller's contracts. */
const NOT_PARTY_TO_A_CONTRACT: Partial<Record<Audience, string>> = {
  'family-members': 'family members',
  retirees: 'retirees',
};

export function lintNotice(notice: NoticeDocument): NoticeWarning[] {
  const warnings: NoticeWarning[] = [];
  const warn = (path: string, message: string) => warnings.push({ path, message });

  const representative = notice.controller.representative;
  const representativeCountry = representative?.address?.addressCountry;
  if (representativeCountry && !isInEEA(representativeCountry)) {
    warn(
      'controller.representative.address.addressCountry',
      `the representative is established in ${representativeCountry}, outside the EU; art. 27(3) asks for a representative ` +
        'established in a member state where the data subjects are, so it must not be presented as the EU representative',
    );
  }
  if (!notice.controller.address) {
    warn('controller.address', 'the controller publishes no postal address; receipts and letters need one');
  }

  const special = new Set(notice.dataCategories.filter((c) => c.special).map((c) => c.id));
  const controllerAbroad = !isInEEA(notice.controller.establishedIn);

  notice.purposes.forEach((purpose, i) => {
    const at = `purposes[${i}]`;
    const specialData = purpose.dataCategories.filter((id) => special.has(id));
    if (specialData.length && !purpose.specialCategoryCondition) {
      warn(
        `${at}.specialCategoryCondition`,
        `the purpose processes special categories of data (${specialData.join(', ')}); a legal basis of art. 6 is not enough: ` +
          `art. 9(1) forbids it unless a condition of art. 9(2) applies, and the notice names none`,
      );
    }
    if (purpose.legalBasis === 'legal-obligation') {
      const law = purpose.obligationLaw;
      if (law && law !== 'EU' && !isInEEA(law)) {
        warn(
          `${at}.obligationLaw`,
          `an obligation under the law of ${law} is not a legal obligation in the sense of art. 6(1)(c): ` +
            `art. 6(3) counts only Union or member-state law; name that law, or another basis`,
        );
      } else if (!law && controllerAbroad) {
        warn(
          `${at}.obligationLaw`,
          `the controller is established in ${notice.controller.establishedIn}: say whose law imposes this obligation ` +
            `(obligationLaw), since art. 6(3) counts only Union or member-state law`,
        );
      }
      if (purpose.disclosedOnRequest) {
        warn(
          `${at}.disclosedOnRequest`,
          'data handed over because someone asks for it is not a legal obligation (art. 6(1)(c)): ' +
            'only a duty to disclose under Union or member-state law is (art. 6(3)); otherwise name another basis',
        );
      }
    }
    if (purpose.legalBasis === 'contract') {
      const outsiders = (purpose.audience ?? []).flatMap((a) => NOT_PARTY_TO_A_CONTRACT[a] ?? []);
      if (outsiders.length) {
        warn(
          `${at}.legalBasis`,
          `contract (art. 6(1)(b)) covers only processing necessary for a contract to which the data subject is party; ` +
            `${outsiders.join(' and ')} are not party to it: name another basis for them`,
        );
      }
    }
    if (purpose.legalBasis === 'consent' && !concernsSiteVisitors(purpose)) {
      warn(
        `${at}.audience`,
        'a consent purpose that concerns neither visitors nor customers is not shown in the banner or the preferences, ' +
          'so no one can give or withdraw this consent there (art. 7(3))',
      );
    }
    if (purpose.category === 'direct-marketing' && purpose.legalBasis !== 'consent') {
      warn(`purposes[${i}].legalBasis`, 'direct marketing by e-mail needs consent (ePrivacy art. 13); Akkoord offers it as a consent purpose');
    }
    for (const [field, value] of [['title', purpose.title], ['description', purpose.description]] as const) {
      for (const [locale, text] of Object.entries(value)) {
        const words = VAGUE_WORDS[locale.split('-')[0]!];
        const found = words && plainText(text as RichText).match(words);
        if (found) warn(`purposes[${i}].${field}.${locale}`, `"${found[0]}" makes the purpose vague; say what is done (art. 12(1))`);
      }
    }
  });

  (notice.transfers ?? []).forEach((transfer, i) => {
    const at = `transfers[${i}]`;
    const decision = adequacyDecision(transfer.country);
    if (transfer.adequacyDecision) return;
    // Where a decision exists, citing it is the fix; asking for a safeguard as well would send the registrar the wrong way.
    if (decision) {
      warn(
        `${at}.adequacyDecision`,
        `the notice says ${transfer.country} has no adequacy decision, but the Commission adopted ${decision.decision} ` +
          `on ${decision.adopted} (art. 45(3))` +
          (decision.scope ? `; it covers ${decision.scope}, so say whether the recipients there are` : '') +
          '; correct the notice rather than tell readers there is none',
      );
    } else if (!transfer.safeguard) {
      warn(
        `${at}.safeguard`,
        `the notice names neither an adequacy decision nor a safeguard for transfers to ${transfer.country}; ` +
          'art. 13(1)(f) asks for the safeguard of art. 46 (such as standard contractual clauses) and where to get a copy',
      );
    }
  });

  const topics = new Set(notice.sections.map((s) => s.topic));
  for (const [topic, what] of ART13_TOPICS) {
    if (!topics.has(topic)) warn('sections', `no section has topic "${topic}": the notice does not say ${what}`);
  }
  const lifetime = notice.consentLifetime;
  if (lifetime?.grantedMonths !== undefined && lifetime.grantedMonths > 13) {
    warn(
      'consentLifetime.grantedMonths',
      `consent is kept ${lifetime.grantedMonths} months; the French regulator (CNIL) advises asking again after at most 13, the Italian (Garante) after 12`,
    );
  }
  if (lifetime?.refusedMonths !== undefined && lifetime.refusedMonths < 6) {
    warn(
      'consentLifetime.refusedMonths',
      `a refusal is kept ${lifetime.refusedMonths} months; the Italian and French regulators advise not asking again within 6, so that refusing is not worn down by repetition`,
    );
  }

  for (const [path, text] of placeholders(notice)) {
    warn(path, `still a placeholder of the starter notice ("${text.length > 60 ? `${text.slice(0, 57)}…` : text}"): write your own`);
  }

  return warnings;
}

/** The starter's example domain (`akkoord-notice init`). */
const EXAMPLE_DOMAIN = /(^|[@./])example\.com(\/|$)/;

/**
 * The starter notice's placeholders still in a document: a text with
 * «guillemets», or an address at example.com. Every string, wherever it is.
 */
function* placeholders(value: unknown, path = ''): Generator<[string, string]> {
  if (typeof value === 'string') {
    if ((value.includes('«') && value.includes('»')) || EXAMPLE_DOMAIN.test(value)) yield [path, value];
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) yield* placeholders(item, `${path}[${i}]`);
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key !== '$schema') yield* placeholders(item, path ? `${path}.${key}` : key);
    }
  }
}
