/** The banner's leads for its purposes grouped by legal basis, in the element's UI language. */
import type { LegalBasis } from '@akkoord/core/notice';
import { msg } from '../localization.js';

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
      return basis; // consent purposes are listed apart, with their own lead
  }
}
