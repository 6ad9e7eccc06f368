import { expect } from '@open-wc/testing';
import { validateNotice, parseNotice, InvalidNoticeError, type NoticeIssue } from './validate.js';
import { lintNotice } from './lint.js';
import type { NoticeDocument } from './schema.js';

/** The smallest notice that passes every rule; each test breaks one thing. */
function validNotice(): NoticeDocument {
  const both = (nl: string, en: string) => ({ nl, en });
  return {
    id: 'example-registrar',
    version: '2026-01-01',
    locales: ['nl', 'en'],
    defaultLocale: 'nl',
    jurisdiction: 'NL',
    policyUrl: 'https://registrar.example/privacy',
    controller: {
      name: 'Voorbeeld Registrar B.V.',
      establishedIn: 'NL',
      address: { streetAddress: 'Kade 1', postalCode: '1011 AA', addressLocality: 'Amsterdam', addressCountry: 'NL' },
      email: 'privacy@registrar.example',
    },
    summary: {
      intro: both('Wij verwerken uw gegevens om uw domeinnamen te registreren.', 'We process your data to register your domain names.'),
      withdrawal: both('U trekt uw toestemming in via Privacyinstellingen.', 'You withdraw your consent through Privacy settings.'),
    },
    dataCategories: [{ id: 'email', title: both('E-mailadres', 'E-mail address') }],
    purposes: [
      {
        id: 'registration',
        title: both('Domeinregistratie', 'Domain registration'),
        description: both('Wij registreren de domeinnamen die u bestelt.', 'We register the domain names you order.'),
        legalBasis: 'contract',
        category: 'service-provision',
        dataCategories: ['email'],
      },
      {
        id: 'marketing',
        title: both('Nieuws en aanbiedingen', 'News and offers'),
        description: both('Wij mailen u over nieuwe extensies.', 'We e-mail you about new extensions.'),
        legalBasis: 'consent',
        category: 'direct-marketing',
        dataCategories: ['email'],
        channel: 'email',
      },
    ],
    sections: [
      {
        id: 'purposes',
        topic: 'purposes',
        title: both('Doeleinden', 'Purposes'),
        summary: both('Waarvoor wij uw gegevens gebruiken.', 'What we use your data for.'),
        body: {
          nl: [{ type: 'paragraph', text: ['Zie ook ', { text: 'uw rechten', href: '#rights' }, '.'] }],
          en: [{ type: 'paragraph', text: ['See also ', { text: 'your rights', href: '#rights' }, '.'] }],
        },
      },
      {
        id: 'rights',
        topic: 'rights',
        title: both('Uw rechten', 'Your rights'),
        summary: both('U heeft recht op inzage.', 'You have the right of access.'),
        body: { nl: [{ type: 'list', items: ['Inzage'] }], en: [{ type: 'list', items: ['Access'] }] },
      },
    ],
    rights: [{ right: 'access', title: both('Inzage', 'Access'), description: both('U ziet uw gegevens in.', 'You see your data.') }],
    requestChannels: [
      { type: 'email', address: 'privacy@registrar.example', instructions: both('Mail ons.', 'E-mail us.') },
    ],
    supervisoryAuthorities: [
      { name: both('Autoriteit Persoonsgegevens', 'Dutch Data Protection Authority'), country: 'NL', url: 'https://autoriteitpersoonsgegevens.nl' },
    ],
  };
}

function issuesOf(input: unknown): NoticeIssue[] {
  const result = validateNotice(input);
  if (result.ok) throw new Error('expected the document to be invalid');
  return result.issues;
}

function expectIssue(input: unknown, path: string, messagePart: string | RegExp) {
  const issues = issuesOf(input);
  const match = issues.find((i) => i.path === path);
  expect(match, `no issue at ${path}; got ${JSON.stringify(issues)}`).to.exist;
  if (typeof messagePart === 'string') expect(match!.message).to.include(messagePart);
  else expect(match!.message).to.match(messagePart);
}

describe('NoticeDocument validation', () => {
  it('accepts the minimal valid notice', () => {
    const result = validateNotice(validNotice());
    expect(result.ok, JSON.stringify(!result.ok && result.issues)).to.be.true;
  });

  it('rejects input that is not a document, with a message instead of a throw', () => {
    for (const input of [null, 'notice', 42, [], undefined]) {
      expect(issuesOf(input).length).to.be.greaterThan(0);
    }
  });

  it('names the path and what was expected for a missing field', () => {
    const doc: Partial<NoticeDocument> = validNotice();
    delete doc.policyUrl;
    expectIssue(doc, 'policyUrl', 'missing');
  });

  it('allows exactly one legal basis per purpose', () => {
    const doc = validNotice() as any;
    doc.purposes[1].legalBasis = ['consent', 'contract'];
    expectIssue(doc, 'purposes[1].legalBasis', 'expected one legal basis');
    doc.purposes[1].legalBasis = 'because-we-can';
    expectIssue(doc, 'purposes[1].legalBasis', 'expected one legal basis');
  });

  it('validates the cookies and storage keys a purpose declares, each problem at its own path', () => {
    const doc = validNotice() as any;
    const both = (nl: string, en: string) => ({ nl, en });
    doc.purposes[1].cookies = [
      { name: '_ga', provider: 'Google', domain: '.registrar.example', lifetime: both('13 maanden', '13 months'), description: both('Telt bezoeken.', 'Counts visits.') },
      { name: '_ga_*', provider: 'Google', path: '/', lifetime: both('13 maanden', '13 months'), description: both('Houdt de sessie bij.', 'Keeps the session.') },
    ];
    doc.purposes[1].storage = [{ key: 'ajs_user_id', type: 'local', provider: 'Segment', lifetime: both('tot u het wist', 'until you clear it'), description: both('Herkent u.', 'Recognizes you.') }];
    const valid = validateNotice(doc);
    expect(valid.ok, JSON.stringify(!valid.ok && valid.issues)).to.be.true;

    doc.purposes[1].cookies[0].name = 'two words';
    doc.purposes[1].cookies[0].domain = 'https://registrar.example';
    doc.purposes[1].cookies[1].path = 'analytics';
    delete doc.purposes[1].cookies[1].lifetime.en;
    doc.purposes[1].storage[0].type = 'indexeddb';
    const issues = issuesOf(doc);
    const at = (path: string) => issues.find((i) => i.path === path)?.message ?? `nothing at ${path}: ${JSON.stringify(issues)}`;
    expect(at('purposes[1].cookies[0].name')).to.include('expected a cookie name, or a pattern with *');
    expect(at('purposes[1].cookies[0].domain')).to.include('expected a host such as');
    expect(at('purposes[1].cookies[1].path')).to.include('expected a path that starts with "/"');
    expect(at('purposes[1].cookies[1].lifetime.en')).to.include('missing');
    expect(at('purposes[1].storage[0].type')).to.include('expected "local" (localStorage) or "session"');

    doc.purposes[1].cookies = [];
    expectIssue(doc, 'purposes[1].cookies', 'expected at least one cookie');
  });

  it('takes how long decisions are kept in whole months, and warns outside the regulators\' advice', () => {
    const doc = validNotice() as any;
    doc.consentLifetime = { grantedMonths: 12, refusedMonths: 6 };
    expect(validateNotice(doc).ok).to.be.true;
    expect(lintNotice(doc).map((w) => w.path)).to.not.include.members(['consentLifetime.grantedMonths', 'consentLifetime.refusedMonths']);
    doc.consentLifetime = { grantedMonths: 24, refusedMonths: 1 };
    expect(lintNotice(doc).map((w) => w.path)).to.include.members(['consentLifetime.grantedMonths', 'consentLifetime.refusedMonths']);
    doc.consentLifetime = { grantedMonths: 12.5, refusedMonths: 0, forever: true };
    const issues = issuesOf(doc);
    expect(issues.find((i) => i.path === 'consentLifetime.grantedMonths')?.message).to.equal('expected a whole number of months');
    expect(issues.find((i) => i.path === 'consentLifetime.refusedMonths')?.message).to.equal('expected at least 1 month');
    expect(issues.find((i) => i.path === 'consentLifetime')?.message).to.include('unknown field "forever"');
  });

  it('maps consent purposes to Google Consent Mode signals, and only consent purposes', () => {
    const doc = validNotice() as any;
    doc.purposes[1].consentMode = ['ad_storage', 'ad_user_data'];
    expect(validateNotice(doc).ok).to.be.true;
    doc.purposes[1].consentMode = ['ad_storage', 'ad_storage', 'ads'];
    const issues = issuesOf(doc);
    expect(issues.find((i) => i.path === 'purposes[1].consentMode[2]')?.message).to.include('expected a Consent Mode signal, one of: ad_storage');
    doc.purposes[1].consentMode = ['analytics_storage'];
    doc.purposes[0].consentMode = ['ad_storage'];
    expectIssue(doc, 'purposes[0].consentMode', 'consentMode applies to consent purposes only');
  });

  it('requires a legitimate-interests purpose to state the interest', () => {
    const doc = validNotice();
    doc.purposes[0]!.legalBasis = 'legitimate-interests';
    expectIssue(doc, 'purposes[0].legitimateInterest', 'must state the interest');
    doc.purposes[0]!.legitimateInterest = { nl: 'Fraude voorkomen.', en: 'Preventing fraud.' };
    expect(validateNotice(doc).ok).to.be.true;
  });

  it('requires an EU representative when the controller is outside the EEA', () => {
    const doc = validNotice();
    doc.controller.establishedIn = 'JP';
    expectIssue(doc, 'controller.representative', 'art. 27');
    doc.controller.representative = {
      name: 'Rep B.V.',
      address: { streetAddress: 'Straat 2', addressLocality: 'Utrecht', addressCountry: 'NL' },
    };
    expect(validateNotice(doc).ok).to.be.true;
  });

  it('requires every text in every declared locale, with no fallback', () => {
    const doc = validNotice() as any;
    delete doc.purposes[1].title.en;
    expectIssue(doc, 'purposes[1].title.en', 'missing');
    const body = validNotice() as any;
    delete body.sections[1].body.nl;
    expectIssue(body, 'sections[1].body.nl', 'missing');
  });

  it('rejects text in a locale the document does not declare', () => {
    const doc = validNotice() as any;
    doc.summary.intro.de = 'Wir verarbeiten Ihre Daten.';
    expect(issuesOf(doc).some((i) => i.path.startsWith('summary.intro'))).to.be.true;
  });

  it('requires the default locale to be one of the declared locales', () => {
    const doc = validNotice();
    doc.defaultLocale = 'fr';
    expectIssue(doc, 'defaultLocale', 'declared locales');
  });

  it('rejects links other than https:, mailto: and #section', () => {
    for (const href of ['javascript:alert(1)', 'http://registrar.example', 'data:text/html,<script>1</script>', ' https://x']) {
      const doc = validNotice() as any;
      doc.sections[0].body.en[0].text[1].href = href;
      expectIssue(doc, 'sections[0].body.en[0].text[1].href', 'https:');
    }
  });

  it('rejects an internal link to a section that does not exist', () => {
    const doc = validNotice() as any;
    doc.sections[0].body.nl[0].text[1].href = '#nowhere';
    expectIssue(doc, 'sections[0].body.nl[0].text[1].href', '"#nowhere"');
  });

  it('rejects duplicate ids and unknown data categories', () => {
    const doc = validNotice();
    doc.purposes[1]!.id = 'registration';
    expectIssue(doc, 'purposes[1].id', 'duplicate');
    const cats = validNotice();
    cats.purposes[0]!.dataCategories = ['email', 'shoe-size'];
    expectIssue(cats, 'purposes[0].dataCategories[1]', 'unknown data category');
  });

  it('rejects unknown fields instead of ignoring them', () => {
    const doc = validNotice() as any;
    doc.purposes[0].legalBases = ['contract'];
    expectIssue(doc, 'purposes[0]', 'unknown field "legalBases"');
  });

  it('gives a channel only to consent purposes', () => {
    const doc = validNotice();
    doc.purposes[0]!.channel = 'email';
    expectIssue(doc, 'purposes[0].channel', 'consent purposes only');
  });

  it('requires a withdrawal sentence in the summary (art. 7(3))', () => {
    const doc = validNotice() as any;
    delete doc.summary.withdrawal;
    expectIssue(doc, 'summary.withdrawal', 'missing');
  });

  it('rejects an unknown request channel type and names the known ones', () => {
    const doc = validNotice() as any;
    doc.requestChannels[0] = { type: 'fax', number: '+31' };
    expectIssue(doc, 'requestChannels[0].type', '"postal", "email"');
  });

  it('takes an audience per purpose from the agreed list, each named once', () => {
    const doc = validNotice();
    doc.purposes[0]!.audience = ['customers', 'employees', 'retirees', 'family-members'];
    expect(validateNotice(doc).ok).to.be.true;
    (doc.purposes[0] as any).audience = ['shareholders'];
    expectIssue(doc, 'purposes[0].audience[0]', '"candidates"');
    doc.purposes[0]!.audience = [];
    expectIssue(doc, 'purposes[0].audience', 'at least one audience');
    doc.purposes[0]!.audience = ['employees', 'employees'];
    expectIssue(doc, 'purposes[0].audience', 'named once');
  });

  it('takes a condition of art. 9(2) only on a purpose that processes special categories', () => {
    const doc = validNotice();
    doc.purposes[0]!.specialCategoryCondition = 'explicit-consent';
    expectIssue(doc, 'purposes[0].specialCategoryCondition', 'special categories');
    doc.dataCategories.push({ id: 'health', title: { nl: 'Gezondheid', en: 'Health' }, special: true });
    doc.purposes[0]!.dataCategories.push('health');
    expect(validateNotice(doc).ok).to.be.true;
    (doc.purposes[0] as any).specialCategoryCondition = 'because-we-asked';
    expectIssue(doc, 'purposes[0].specialCategoryCondition', '"explicit-consent"');
  });

  it('takes whose law imposes an obligation only on a legal-obligation purpose', () => {
    const doc = validNotice();
    doc.purposes[0]!.obligationLaw = 'NL';
    expectIssue(doc, 'purposes[0].obligationLaw', 'legal-obligation purposes only');
    doc.purposes[0]!.legalBasis = 'legal-obligation';
    for (const law of ['NL', 'EU', 'JP']) {
      doc.purposes[0]!.obligationLaw = law;
      expect(validateNotice(doc).ok, law).to.be.true;
    }
    doc.purposes[0]!.obligationLaw = 'Japan';
    expectIssue(doc, 'purposes[0].obligationLaw', '"EU" for Union law');
  });

  it('takes transfers by country, once each, with what protects them', () => {
    const doc = validNotice();
    doc.transfers = [{ country: 'JP', adequacyDecision: true }, { country: 'IN', adequacyDecision: false, safeguard: 'standard-contractual-clauses' }];
    expect(validateNotice(doc).ok).to.be.true;
    doc.transfers.push({ country: 'JP', adequacyDecision: false });
    expectIssue(doc, 'transfers[2].country', 'duplicate');
    (doc as any).transfers = [{ country: 'IN', adequacyDecision: false, safeguard: 'a-promise' }];
    expectIssue(doc, 'transfers[0].safeguard', '"standard-contractual-clauses"');
  });

  it('throws InvalidNoticeError listing every issue from parseNotice', () => {
    const doc = validNotice() as any;
    doc.id = 'Not An Id';
    doc.jurisdiction = 'Netherlands';
    try {
      parseNotice(doc);
      expect.fail('parseNotice accepted an invalid document');
    } catch (error) {
      expect(error).to.be.instanceOf(InvalidNoticeError);
      expect((error as InvalidNoticeError).issues.map((i) => i.path)).to.include.members(['id', 'jurisdiction']);
      expect((error as Error).message).to.include('jurisdiction: expected an ISO 3166-1 alpha-2');
    }
  });
});

describe('lintNotice', () => {
  it('has nothing to say about the minimal notice but the art. 13 topics it lacks', () => {
    const warnings = lintNotice(validNotice());
    expect(warnings.every((w) => w.path === 'sections')).to.be.true;
    expect(warnings.map((w) => w.message).join('\n')).to.include('"retention"');
  });

  it('flags vague purpose wording in Dutch and English (art. 12(1))', () => {
    const doc = validNotice();
    doc.purposes[0]!.description = { nl: 'Wij kunnen uw gegevens delen.', en: 'We may share some data.' };
    const paths = lintNotice(doc).map((w) => w.path);
    expect(paths).to.include.members(['purposes[0].description.nl', 'purposes[0].description.en']);
  });

  it('flags direct marketing on a basis other than consent', () => {
    const doc = validNotice();
    doc.purposes[1]!.legalBasis = 'contract';
    delete doc.purposes[1]!.channel;
    expect(lintNotice(doc).map((w) => w.path)).to.include('purposes[1].legalBasis');
  });

  it('flags an EU representative established outside the EEA', () => {
    const doc = validNotice();
    doc.controller.establishedIn = 'JP';
    doc.controller.representative = {
      name: 'Rep Ltd.',
      address: { streetAddress: 'Sandling Road', addressLocality: 'Maidstone', addressCountry: 'GB' },
    };
    expect(validateNotice(doc).ok).to.be.true;
    expect(lintNotice(doc).map((w) => w.path)).to.include('controller.representative.address.addressCountry');
  });

  const messageAt = (doc: NoticeDocument, path: string) => {
    expect(validateNotice(doc).ok, 'the document stays valid: these are warnings').to.be.true;
    const warning = lintNotice(doc).find((w) => w.path === path);
    expect(warning, `no warning at ${path}; got ${JSON.stringify(lintNotice(doc))}`).to.exist;
    return warning!.message;
  };

  it('flags special categories without a condition of art. 9(2), and not once one is named', () => {
    const doc = validNotice();
    doc.dataCategories.push({ id: 'health', title: { nl: 'Gezondheid', en: 'Health' }, special: true });
    doc.purposes[0]!.dataCategories.push('health');
    expect(messageAt(doc, 'purposes[0].specialCategoryCondition')).to.include('art. 9(2)').and.include('health');
    doc.purposes[0]!.specialCategoryCondition = 'explicit-consent';
    expect(lintNotice(doc).map((w) => w.path)).not.to.include('purposes[0].specialCategoryCondition');
  });

  it('flags a legal obligation under the law of a third country (art. 6(3)), and one of a controller abroad that names no law', () => {
    const doc = validNotice();
    doc.purposes[0]!.legalBasis = 'legal-obligation';
    doc.purposes[0]!.obligationLaw = 'JP';
    expect(messageAt(doc, 'purposes[0].obligationLaw')).to.include('art. 6(3)').and.include('JP');
    for (const law of ['NL', 'EU', 'NO']) {
      doc.purposes[0]!.obligationLaw = law;
      expect(lintNotice(doc).map((w) => w.path), law).not.to.include('purposes[0].obligationLaw');
    }
    delete doc.purposes[0]!.obligationLaw;
    expect(lintNotice(doc).map((w) => w.path)).not.to.include('purposes[0].obligationLaw');
    doc.controller.establishedIn = 'JP';
    doc.controller.representative = { name: 'Rep B.V.', address: { streetAddress: 'Straat 2', addressLocality: 'Utrecht', addressCountry: 'NL' } };
    expect(messageAt(doc, 'purposes[0].obligationLaw')).to.include('art. 6(3)');
  });

  it('flags a disclosure on request filed as a legal obligation', () => {
    const doc = validNotice();
    doc.purposes[0]!.legalBasis = 'legal-obligation';
    doc.purposes[0]!.obligationLaw = 'NL';
    doc.purposes[0]!.disclosedOnRequest = true;
    expect(messageAt(doc, 'purposes[0].disclosedOnRequest')).to.include('art. 6(1)(c)');
    doc.purposes[0]!.legalBasis = 'legitimate-interests';
    delete doc.purposes[0]!.obligationLaw;
    doc.purposes[0]!.legitimateInterest = { nl: 'Meewerken met de politie.', en: 'Cooperating with the police.' };
    expect(lintNotice(doc).map((w) => w.path)).not.to.include('purposes[0].disclosedOnRequest');
  });

  it('flags contract as the basis for people who are not party to it (art. 6(1)(b))', () => {
    const doc = validNotice();
    doc.purposes[0]!.audience = ['employees'];
    expect(lintNotice(doc).map((w) => w.path)).not.to.include('purposes[0].legalBasis');
    doc.purposes[0]!.audience = ['employees', 'family-members', 'retirees'];
    expect(messageAt(doc, 'purposes[0].legalBasis')).to.include('art. 6(1)(b)').and.include('family members and retirees');
  });

  it('flags a consent purpose that no visitor or customer is asked for', () => {
    const doc = validNotice();
    doc.purposes[1]!.audience = ['customers'];
    expect(lintNotice(doc).map((w) => w.path)).not.to.include('purposes[1].audience');
    doc.purposes[1]!.audience = ['employees'];
    expect(messageAt(doc, 'purposes[1].audience')).to.include('banner');
  });

  it('flags a transfer said to lack an adequacy decision that the Commission adopted, naming the decision', () => {
    const doc = validNotice();
    doc.transfers = [
      { country: 'JP', adequacyDecision: false },
      { country: 'US', adequacyDecision: false, safeguard: 'standard-contractual-clauses' },
      { country: 'IN', adequacyDecision: false, safeguard: 'standard-contractual-clauses' },
    ];
    expect(messageAt(doc, 'transfers[0].adequacyDecision')).to.include('2019/419').and.include('art. 45(3)');
    doc.transfers.push({ country: 'CN', adequacyDecision: false });
    expect(messageAt(doc, 'transfers[3].safeguard')).to.include('art. 46');
    expect(messageAt(doc, 'transfers[1].adequacyDecision')).to.include('2023/1795').and.include('Data Privacy Framework');
    const paths = lintNotice(doc).map((w) => w.path);
    for (const path of ['transfers[0].safeguard', 'transfers[1].safeguard', 'transfers[2].adequacyDecision', 'transfers[2].safeguard']) {
      expect(paths).not.to.include(path);
    }
  });
});
