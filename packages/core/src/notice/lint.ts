/**
 * Advice on a valid notice: things the law or the regulators' guidance ask
 * for that a schema cannot decide alone. Warnings, not errors: the registrar
 * decides, but `akkoord-notice check` shows them.
 */
import type { NoticeDocument, RichText, SectionTopic } from './schema.js';
import { isInEEA } from './eea.js';
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

export function lintNotice(notice: NoticeDocument): NoticeWarning[] {
  const warnings: NoticeWarning[] = [];
  const warn = (path: string, message: string) => warnings.push({ path, message });

  const representative = notice.controller.representative;
  const representativeCountry = representative?.address?.addressCountry;
  if (representativeCountry && !isInEEA(representativeCountry)) {
    warn(
      'controller.representative.address.addressCountry',
      `the EU representative is established in ${representativeCountry}, outside the EEA; art. 27(3) asks for one in a member state`,
    );
  }
  if (!notice.controller.address) {
    warn('controller.address', 'the controller publishes no postal address; receipts and letters need one');
  }

  notice.purposes.forEach((purpose, i) => {
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

  const topics = new Set(notice.sections.map((s) => s.topic));
  for (const [topic, what] of ART13_TOPICS) {
    if (!topics.has(topic)) warn('sections', `no section has topic "${topic}": the notice does not say ${what}`);
  }
  return warnings;
}
