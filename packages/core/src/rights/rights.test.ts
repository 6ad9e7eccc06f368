import { expect } from '@open-wc/testing';
import { LEGAL_BASES, RIGHT_ARTICLES, RIGHTS } from '../notice/schema.js';
import { ARTICLE_OF_RIGHT, applicableRights, purposesWithRight, rightApplies, rightsForBasis, RIGHTS_BY_BASIS, RIGHT_OF_ARTICLE } from './index.js';

describe('rights by legal basis (DPV mapping, T9)', () => {
  it('copies DPV for consent, contract, legal obligation and legitimate interests', () => {
    expect(RIGHTS_BY_BASIS.consent).to.deep.equal(['13', '14', '15', '16', '17', '18', '20', '22', '7(3)', '77']);
    expect(RIGHTS_BY_BASIS.contract).to.deep.equal(['13', '14', '15', '16', '17', '18', '20', '22', '77']);
    expect(RIGHTS_BY_BASIS['legal-obligation']).to.deep.equal(['13', '15', '16', '18', '77']);
    expect(RIGHTS_BY_BASIS['legitimate-interests']).to.deep.equal(['13', '14', '15', '16', '17', '18', '21', '22', '77']);
  });

  it('a purpose under legal obligation alone does not offer portability, erasure or objection (B16)', () => {
    expect(rightsForBasis('legal-obligation')).to.deep.equal(['access', 'rectification', 'restriction', 'complaint']);
    expect(rightApplies('portability', 'legal-obligation')).to.be.false;
    expect(rightApplies('erasure', 'legal-obligation')).to.be.false;
    expect(rightApplies('objection', 'legal-obligation')).to.be.false;
  });

  it('offers withdrawal only under consent, objection only under legitimate interests and public task', () => {
    for (const basis of LEGAL_BASES) {
      expect(rightApplies('withdraw-consent', basis), basis).to.equal(basis === 'consent');
      expect(rightApplies('objection', basis), basis).to.equal(basis === 'legitimate-interests' || basis === 'public-task');
      expect(rightApplies('complaint', basis), basis).to.be.true;
    }
  });

  it('offers portability only under consent and contract (art. 20(1)(a))', () => {
    expect(LEGAL_BASES.filter((basis) => rightApplies('portability', basis))).to.deep.equal(['consent', 'contract']);
  });

  it('derives public task from the GDPR: objection, and no erasure or portability', () => {
    expect(rightsForBasis('public-task')).to.deep.equal([
      'access',
      'rectification',
      'restriction',
      'objection',
      'automated-decisions',
      'complaint',
    ]);
  });

  it("gives each right its GDPR article, the same table as the notice schema's", () => {
    const gdpr = { access: '15', rectification: '16', erasure: '17', restriction: '18', portability: '20', objection: '21', 'automated-decisions': '22', 'withdraw-consent': '7(3)', complaint: '77' };
    expect(ARTICLE_OF_RIGHT).to.deep.equal(gdpr);
    expect(RIGHT_ARTICLES).to.deep.equal(gdpr);
    expect(Object.keys(ARTICLE_OF_RIGHT)).to.deep.equal([...RIGHTS], 'in the order of RIGHTS');
  });

  it('maps articles 13 and 14 to no request: the notice itself informs', () => {
    expect(RIGHT_OF_ARTICLE['13']).to.equal(undefined);
    expect(RIGHT_OF_ARTICLE['14']).to.equal(undefined);
    expect(RIGHT_OF_ARTICLE['21']).to.equal('objection');
    expect(RIGHT_OF_ARTICLE['7(3)']).to.equal('withdraw-consent');
  });

  it('finds the purposes a right applies to, and the rights a set of purposes has', () => {
    const purposes = [
      { id: 'billing', legalBasis: 'contract' as const },
      { id: 'accounting', legalBasis: 'legal-obligation' as const },
      { id: 'security', legalBasis: 'legitimate-interests' as const },
    ];
    expect(purposesWithRight(purposes, 'portability').map((p) => p.id)).to.deep.equal(['billing']);
    expect(purposesWithRight(purposes, 'objection').map((p) => p.id)).to.deep.equal(['security']);
    expect(purposesWithRight(purposes, 'access').map((p) => p.id)).to.deep.equal(['billing', 'accounting', 'security']);
    expect(applicableRights(purposes)).to.deep.equal([
      'access',
      'rectification',
      'erasure',
      'restriction',
      'portability',
      'objection',
      'automated-decisions',
      'complaint',
    ]);
    expect(applicableRights([{ legalBasis: 'legal-obligation' }])).to.deep.equal(['access', 'rectification', 'restriction', 'complaint']);
  });
});
