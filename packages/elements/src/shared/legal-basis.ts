/** Legal bases as a reader reads them, in the element's UI language. */
import type { LegalBasis } from '@akkoord/core/notice';
import { msg } from '../localization.js';

export function basisLabel(basis: LegalBasis): string {
  switch (basis) {
    case 'consent':
      return msg('With your consent', { id: 'notice.basis.consent' });
    case 'contract':
      return msg('Legal basis: a contract with you', { id: 'notice.basis.contract' });
    case 'legal-obligation':
      return msg('Legal basis: a legal obligation', { id: 'notice.basis.legal-obligation' });
    case 'vital-interests':
      return msg('Legal basis: vital interests', { id: 'notice.basis.vital-interests' });
    case 'public-task':
      return msg('Legal basis: a task in the public interest', { id: 'notice.basis.public-task' });
    case 'legitimate-interests':
      return msg('Legal basis: legitimate interests', { id: 'notice.basis.legitimate-interests' });
    default:
      return basis;
  }
}
