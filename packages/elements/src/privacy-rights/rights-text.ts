/**
 * The words of `<privacy-rights>` that depend on a right or a means: each
 * right's plain name and explanation, and the sentences a request letter or
 * e-mail uses. UI strings, in the element's UI language (`msg`), so that every
 * right is explained even when a notice does not describe it.
 */
import { str } from '@lit/localize';
import type { LocalizedChannel, RightId } from '@akkoord/core/notice';
import type { RequestableRight } from '@akkoord/core/rights';
import { msg } from '../localization.js';

/** A right's short, plain name (select options, the per-purpose list). */
export function rightName(right: RightId): string {
  switch (right) {
    case 'access':
      return msg('Access to your data', { id: 'rights.name.access' });
    case 'rectification':
      return msg('Correction', { id: 'rights.name.rectification' });
    case 'erasure':
      return msg('Erasure', { id: 'rights.name.erasure' });
    case 'restriction':
      return msg('Restriction of use', { id: 'rights.name.restriction' });
    case 'portability':
      return msg('Taking your data with you', { id: 'rights.name.portability' });
    case 'objection':
      return msg('Objection', { id: 'rights.name.objection' });
    case 'automated-decisions':
      return msg('A decision by a person, not a computer', { id: 'rights.name.automated-decisions' });
    case 'withdraw-consent':
      return msg('Withdrawing consent', { id: 'rights.name.withdraw-consent' });
    case 'complaint':
      return msg('Complaint to a supervisory authority', { id: 'rights.name.complaint' });
    default:
      return right;
  }
}

/** What a right means for the person, in one or two plain sentences. */
export function rightExplanation(right: RightId): string {
  switch (right) {
    case 'access':
      return msg(
        'You can ask whether we use your personal data. If we do, you get a copy, and we tell you what we use it for, who receives it, how long we keep it and where it came from.',
        { id: 'rights.explain.access' },
      );
    case 'rectification':
      return msg('If your data is wrong or incomplete, you can ask us to correct or complete it.', { id: 'rights.explain.rectification' });
    case 'erasure':
      return msg(
        'You can ask us to delete your data, for example when we no longer need it or when you withdraw your consent. What the law obliges us to keep, we keep until that obligation ends.',
        { id: 'rights.explain.erasure' },
      );
    case 'restriction':
      return msg(
        'You can ask us to stop using your data for a while, except to store it, for example while we check whether it is correct.',
        { id: 'rights.explain.restriction' },
      );
    case 'portability':
      return msg(
        'You can ask for the data you gave us in a common, machine-readable file, to keep or to take to another company.',
        { id: 'rights.explain.portability' },
      );
    case 'objection':
      return msg(
        'You can object at any time to our use of your data for a legitimate interest or a task in the public interest, because of your own situation. We then stop, unless we have compelling reasons that outweigh yours. You can always object to direct marketing, without giving reasons, and we then stop at once.',
        { id: 'rights.explain.objection' },
      );
    case 'automated-decisions':
      return msg(
        'You have the right not to be subject to a decision made only by a computer that has legal or similarly significant effects on you. You can ask for a person to review it, and give your view.',
        { id: 'rights.explain.automated-decisions' },
      );
    case 'withdraw-consent':
      return msg(
        'Where you gave consent, you can withdraw it at any time, as easily as you gave it, in the privacy settings. What we did before you withdrew it remains lawful.',
        { id: 'rights.explain.withdraw-consent' },
      );
    case 'complaint':
      return msg(
        'If you think we handle your data wrongly, you can complain to a data protection authority. That is free.',
        { id: 'rights.explain.complaint' },
      );
    default:
      return '';
  }
}

/** "Article 15 GDPR", for a right's article as `RIGHT_ARTICLES` writes it. */
export function articleLabel(article: string): string {
  return msg(str`Article ${article} GDPR`, { id: 'rights.article' });
}

/** The subject line of a request letter or e-mail. */
export function requestSubject(right: RequestableRight): string {
  switch (right) {
    case 'access':
      return msg('Request for access to my personal data (article 15 GDPR)', { id: 'request.subject.access' });
    case 'rectification':
      return msg('Request to correct my personal data (article 16 GDPR)', { id: 'request.subject.rectification' });
    case 'erasure':
      return msg('Request to erase my personal data (article 17 GDPR)', { id: 'request.subject.erasure' });
    case 'restriction':
      return msg('Request to restrict the processing of my personal data (article 18 GDPR)', { id: 'request.subject.restriction' });
    case 'portability':
      return msg('Request to receive my personal data (article 20 GDPR)', { id: 'request.subject.portability' });
    case 'objection':
      return msg('Objection to the processing of my personal data (article 21 GDPR)', { id: 'request.subject.objection' });
    case 'automated-decisions':
      return msg('Request about a decision made by a computer (article 22 GDPR)', { id: 'request.subject.automated-decisions' });
    default:
      return right;
  }
}

/** The sentence that makes the request, in the person's voice. */
export function requestSentence(right: RequestableRight): string {
  switch (right) {
    case 'access':
      return msg(
        'Under article 15 of the GDPR, I ask you to confirm whether you process personal data about me and, if so, to give me a copy of that data together with the information that article lists: the purposes, the kinds of data, the recipients, how long you keep it, where you got it and my rights.',
        { id: 'request.sentence.access' },
      );
    case 'rectification':
      return msg(
        'Under article 16 of the GDPR, I ask you to correct the personal data about me that is wrong, and to complete what is incomplete, as I describe below.',
        { id: 'request.sentence.rectification' },
      );
    case 'erasure':
      return msg('Under article 17 of the GDPR, I ask you to erase the personal data you hold about me.', { id: 'request.sentence.erasure' });
    case 'restriction':
      return msg(
        'Under article 18 of the GDPR, I ask you to restrict the processing of my personal data, for the reason I describe below.',
        { id: 'request.sentence.restriction' },
      );
    case 'portability':
      return msg(
        'Under article 20 of the GDPR, I ask you to give me the personal data I provided to you, in a structured, commonly used and machine-readable format.',
        { id: 'request.sentence.portability' },
      );
    case 'objection':
      return msg('Under article 21 of the GDPR, I object to the processing of my personal data, as I describe below.', {
        id: 'request.sentence.objection',
      });
    case 'automated-decisions':
      return msg(
        'Under article 22 of the GDPR, I ask that a person reviews the decision about me that was made by a computer alone, and I want to give my point of view.',
        { id: 'request.sentence.automated-decisions' },
      );
    default:
      return right;
  }
}

/** A means of making a request, as it follows "does not accept requests …". */
export function meansLabel(means: string): string {
  switch (means) {
    case 'phone':
      return msg('by telephone', { id: 'requests.means.phone' });
    case 'fax':
      return msg('by fax', { id: 'requests.means.fax' });
    case 'email':
      return msg('by e-mail', { id: 'requests.means.email' });
    case 'verbal':
      return msg('in person', { id: 'requests.means.verbal' });
    case 'postal':
      return msg('by post', { id: 'requests.means.postal' });
    case 'online':
      return msg('online', { id: 'requests.means.online' });
    default:
      return means;
  }
}

/** The documents to enclose with a letter: the notice's `enclosures`, else what registrars usually ask for (said so beside the list). */
export function enclosures(channel: Extract<LocalizedChannel, { type: 'postal' }>): string[] {
  if (channel.enclosures?.length) return channel.enclosures;
  return [
    msg('A copy of an identity document. You may black out the photo and your national identification number.', {
      id: 'requests.enclose.default',
    }),
  ];
}

/** "My customer number is …", in a letter and an e-mail. */
export function customerNumberLine(number: string): string {
  const value = number.trim();
  return msg(str`My customer number is ${value}.`, { id: 'letter.customer-number' });
}

/** Where the answer goes, and the month the GDPR gives, in a letter and an e-mail. */
export function answerLine(email: string): string {
  const address = email.trim();
  return msg(str`Please send your answer to ${address}. The GDPR asks you to answer within one month (article 12(3)).`, {
    id: 'letter.answer-to',
  });
}
