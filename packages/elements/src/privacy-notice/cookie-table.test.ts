import { expect, fixture, waitUntil } from '@open-wc/testing';
import { validateNotice, type NoticeDocument } from '@akkoord/core/notice';
import './define.js';
import type { PrivacyNotice } from './privacy-notice.js';
import { sampleNotice } from '../../../../test/fixtures/notices.js';
import { privacyNotice } from '../../../../stories/templates.js';

/** The sample notice, whose consent purpose (newsletter) declares two cookies and a storage key. */
function noticeWithCookies(): NoticeDocument {
  const notice = sampleNotice();
  const newsletter = notice.purposes.find((p) => p.id === 'newsletter')!;
  newsletter.cookies = [
    {
      name: '_nb_id',
      provider: 'Nieuwsbrief B.V.',
      domain: '.registry.example',
      lifetime: { nl: '13 maanden', en: '13 months' },
      description: { nl: 'Herkent u als abonnee van de nieuwsbrief.', en: 'Recognizes you as a subscriber to the newsletter.' },
    },
    {
      name: '_nb_campaign_*',
      provider: 'Voorbeeld Registry K.K.',
      lifetime: { nl: 'tot u de browser sluit', en: 'until you close the browser' },
      description: { nl: 'Onthoudt via welke nieuwsbrief u kwam.', en: 'Remembers which newsletter brought you here.' },
    },
  ];
  newsletter.storage = [
    {
      key: 'nb-preferences',
      type: 'local',
      provider: 'Nieuwsbrief B.V.',
      lifetime: { nl: 'tot u het wist', en: 'until you clear it' },
      description: { nl: 'Bewaart welke onderwerpen u kiest.', en: 'Keeps the topics you choose.' },
    },
  ];
  return notice;
}

/** The notice, once its cookie table (which loads after the notice, with its strings) is on screen. */
async function show(lang: string): Promise<PrivacyNotice> {
  const el = await fixture<PrivacyNotice>(privacyNotice({ notice: noticeWithCookies(), lang }));
  await el.loadComplete;
  await waitUntil(() => el.shadowRoot!.querySelector('[part="cookie-table"]'), 'the cookie table shows');
  return el;
}

/** The table's cells, row by row, as a reader sees them. */
function cells(el: PrivacyNotice): string[][] {
  const table = el.shadowRoot!.querySelector('[data-purpose="newsletter"] [part="cookie-table"]')!;
  return [...table.querySelectorAll('tr')].map((row) => [...row.children].map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim()));
}

describe('<privacy-notice>: the cookies and storage a purpose declares', () => {
  it('uses a fixture notice that validates', () => {
    const result = validateNotice(noticeWithCookies());
    expect(result.ok, JSON.stringify(!result.ok && result.issues)).to.be.true;
  });

  it('shows them as a table under the purpose, in English', async () => {
    const el = await show('en');
    const table = el.shadowRoot!.querySelector('[data-purpose="newsletter"] [part="cookie-table"]')!;
    const title = noticeWithCookies().purposes.find((p) => p.id === 'newsletter')!.title.en;
    expect(table.querySelector('caption')!.textContent).to.equal(`Cookies and storage: ${title}`);
    expect(cells(el)).to.deep.equal([
      ['Name', 'Kind', 'Provider', 'Domain', 'Kept for', 'Used for'],
      ['_nb_id', 'cookie', 'Nieuwsbrief B.V.', '.registry.example', '13 months', 'Recognizes you as a subscriber to the newsletter.'],
      ['_nb_campaign_*', 'cookie', 'Voorbeeld Registry K.K.', location.hostname, 'until you close the browser', 'Remembers which newsletter brought you here.'],
      ['nb-preferences', 'localStorage', 'Nieuwsbrief B.V.', location.hostname, 'until you clear it', 'Keeps the topics you choose.'],
    ]);
    expect(el.shadowRoot!.querySelectorAll('[part="cookie-table"]'), 'only the purpose that declares cookies has a table').to.have.length(1);
    await expect(el).to.be.accessible();
  });

  for (const lang of ['nl', 'nl-BE']) {
    it(`shows them in Dutch under lang=${lang}`, async () => {
      const el = await show(lang);
      const rows = cells(el);
      expect(rows[0]).to.deep.equal(['Naam', 'Soort', 'Aanbieder', 'Domein', 'Bewaartermijn', 'Waarvoor']);
      expect(rows[2]).to.deep.equal(['_nb_campaign_*', 'cookie', 'Voorbeeld Registry K.K.', location.hostname, 'tot u de browser sluit', 'Onthoudt via welke nieuwsbrief u kwam.']);
      const title = noticeWithCookies().purposes.find((p) => p.id === 'newsletter')!.title.nl;
      expect(el.shadowRoot!.querySelector('[part="cookie-table"] caption')!.textContent).to.equal(`Cookies en opslag: ${title}`);
      await expect(el).to.be.accessible();
    });
  }

  it('loads no table code for a notice that declares no cookies', async () => {
    const el = await fixture<PrivacyNotice>(privacyNotice({ notice: sampleNotice(), lang: 'en' }));
    await el.loadComplete;
    expect(el.cookieTable, 'the table module was not attached').to.equal(undefined);
    expect(el.shadowRoot!.querySelector('[part="cookie-table"]')).to.equal(null);
  });

  it('lets a keyboard user reach the table to scroll it, named by its caption', async () => {
    const el = await show('en');
    const scroller = el.shadowRoot!.querySelector<HTMLElement>('[part="cookie-table-scroller"]')!;
    expect(scroller.tabIndex).to.equal(0);
    expect(scroller.getAttribute('role')).to.equal('region');
    const caption = el.shadowRoot!.getElementById(scroller.getAttribute('aria-labelledby')!)!;
    expect(caption.tagName).to.equal('CAPTION');
  });
});
