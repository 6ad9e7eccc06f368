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

/** A basis as the lead of a list of purposes on the banner: "Required by law: A; B". */
export function basisGroupLabel(basis: LegalBasis): string {
  switch (basis) {
    case 'contract':
      return msg('Needed for our contract with you:', { id: 'banner.basis.contract' });
    case 'legal-obligation':
      return msg('Required by law:', { id: 'banner.basis.legal-obligation' });
    case 'legitimate-interests':
      return msg('In our legitimate interest:', { id: 'banner.basis.legitimate-interests' });
    case 'vital-interests':
      return msg('To protect someone’s vital interests:', { id: 'banner.basis.vital-interests' });
    case 'public-task':
      return msg('For a task in the public interest:', { id: 'banner.basis.public-task' });
    default:
      return basisLabel(basis);
  }
}
