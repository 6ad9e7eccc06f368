/**
 * `<privacy-notice>` elements that are in the page before their definition
 * loads: elements upgraded by `customElements.define` before the localization
 * hooks in would otherwise miss a later locale switch.
 * Its own file, so that no import has defined the tag before the test runs.
 */
import { expect } from '@open-wc/testing';
import { sampleNotice } from '../../../../test/fixtures/notices.js';

const text = (el: Element, selector: string) => el.shadowRoot!.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim();

describe('<privacy-notice> defined after it is in the page', () => {
  it('upgrades, renders, and follows setLocale() and lang changes', async () => {
    expect(customElements.get('privacy-notice')).to.equal(undefined);
    const byProperty = document.createElement('privacy-notice') as HTMLElement & { notice?: unknown };
    byProperty.notice = sampleNotice(); // set on the plain HTMLElement, before the upgrade
    const byUrl = document.createElement('privacy-notice');
    byUrl.setAttribute('notice', URL.createObjectURL(new Blob([JSON.stringify(sampleNotice())], { type: 'application/json' })));
    byUrl.lang = 'en'; // the native lang property, before the upgrade
    const container = document.createElement('div');
    container.lang = 'en';
    container.append(byProperty, byUrl);
    document.body.append(container);

    const { PrivacyNotice } = await import('./define.js');
    const { setLocale } = await import('../localization.js');
    expect(byProperty).to.be.instanceOf(PrivacyNotice);
    const [first, second] = [byProperty, byUrl] as InstanceType<typeof PrivacyNotice>[];
    expect(await first!.loadComplete).to.equal(true);
    expect(await second!.loadComplete).to.equal(true);
    expect(text(first!, '#akkoord-summary')).to.equal('In short');
    expect(text(second!, '#akkoord-summary')).to.equal('In short');

    await setLocale('nl');
    await first!.loadComplete;
    expect(text(first!, '#akkoord-summary')).to.equal('In het kort');
    expect(text(first!, '[part="intro"]')).to.contain('Wij registreren domeinnamen');
    expect(first!.shadowRoot!.querySelector('[part="base"]')!.getAttribute('lang')).to.equal('nl');
    // Its own lang outranks the page-wide locale.
    expect(text(second!, '#akkoord-summary')).to.equal('In short');

    second!.lang = 'nl-BE';
    await second!.loadComplete;
    expect(text(second!, '#akkoord-summary')).to.equal('In het kort');

    await setLocale('en');
    await first!.loadComplete;
    expect(text(first!, '#akkoord-summary')).to.equal('In short');
    container.remove();
  });
});
