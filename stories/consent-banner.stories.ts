import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect, userEvent, waitFor } from 'storybook/test';
import '@akkoord/elements/consent-banner.js';
import { argTypes, freshSubject, langOf, noticeUrl, ownFrameOnDocs, part, withGlobalPrivacyControl } from './notices.js';
import { consentBanner, type BannerArgs } from './templates.js';

interface Args {
  notice: string;
  lang: string;
  subject: string;
  'privacy-href': string;
}

/**
 * `<consent-banner>`: the first layer of consent, with *accept all*, *reject
 * all* and *choose* as three equal buttons. It shows only when the person
 * must be asked; after a decision it collapses to a *privacy settings* button
 * that opens the preferences in a dialog.
 *
 * Decisions are stored in IndexedDB per notice and subject, and IndexedDB
 * outlives a story. So unless you type a `subject`, every render is a new
 * visitor (a random subject): a decision made in one story never hides the
 * banner in another. The banner sits at the bottom of the frame.
 */
const meta = {
  title: 'Elements/Consent banner',
  component: 'consent-banner',
  argTypes: {
    notice: argTypes.notice,
    lang: argTypes.lang,
    subject: argTypes.subject,
    'privacy-href': argTypes['privacy-href'],
  },
  args: { notice: noticeUrl('gmo-registry'), lang: '', subject: '', 'privacy-href': '' },
  parameters: { layout: 'fullscreen' },
  loaders: [() => ({ visitor: freshSubject() })],
  render: (args, context) => consentBanner(bannerArgs(args, context)),
} satisfies Meta<Args>;
export default meta;

type Story = StoryObj<Args>;

/** The story's args as the template takes them: an empty subject is the render's new visitor. */
function bannerArgs(args: Args, { globals, loaded }: { globals: Record<string, unknown>; loaded: Record<string, unknown> }): BannerArgs {
  return { notice: args.notice, subject: args.subject || (loaded.visitor as string), lang: langOf(args, globals), privacyHref: args['privacy-href'] };
}

const bannerIn = (canvasElement: HTMLElement) => canvasElement.querySelector('consent-banner');

/** A first visit to a GMO Registry page: the first layer and the three choices. */
export const FirstVisit: Story = {
  name: 'First visit',
  play: async ({ canvasElement }) => {
    await part(bannerIn(canvasElement), 'accept-button');
  },
};

/**
 * A browser that sends Global Privacy Control (`navigator.globalPrivacyControl`
 * is set to `true` before the banner connects, and put back when you leave the
 * story). GMO Registry's consent purposes are all direct marketing, so the
 * signal decides them all as refused and there is nothing left to ask: the
 * banner collapses to *privacy settings* at once. The story opens it, and the
 * preferences say that the signal was honoured; opting in stays possible.
 */
export const GlobalPrivacyControl: Story = {
  name: 'GPC on',
  beforeEach: withGlobalPrivacyControl,
  parameters: ownFrameOnDocs(480),
  play: async ({ canvasElement }) => {
    const banner = bannerIn(canvasElement);
    await userEvent.click(await part(banner, 'settings-button'));
    const dialog = await part<HTMLDialogElement>(banner, 'dialog');
    await waitFor(() => expect(dialog.open).toBe(true));
    await part(() => dialog.querySelector('consent-preferences'), 'gpc-note');
  },
};

/**
 * After *reject all* (clicked by the story): the banner is gone, and a small
 * *privacy settings* button stays, so withdrawing is as easy as giving.
 */
export const AfterDecision: Story = {
  name: 'After a decision',
  play: async ({ canvasElement }) => {
    const banner = bannerIn(canvasElement);
    await userEvent.click(await part(banner, 'reject-button'));
    await expect(await part(banner, 'settings-button')).toBeVisible();
    await expect(banner!.shadowRoot!.querySelector('[part="region"]')).toBeNull();
  },
};

/**
 * *Choose* (clicked by the story) opens the preferences in a modal dialog:
 * one switch per consent purpose, all off. Closing it decides nothing.
 */
export const DialogOpen: Story = {
  name: 'Dialog open',
  play: async ({ canvasElement }) => {
    const banner = bannerIn(canvasElement);
    await userEvent.click(await part(banner, 'choose-button'));
    const dialog = await part<HTMLDialogElement>(banner, 'dialog');
    await waitFor(() => expect(dialog.open).toBe(true));
    await part(() => dialog.querySelector('consent-preferences'), 'switch');
  },
};

/**
 * D-Cube Resource asks no consent: every purpose rests on another legal
 * basis, so there is nothing to ask and the banner shows only *privacy
 * settings*, whose dialog says so.
 */
export const DCubeResource: Story = {
  name: 'D-Cube Resource (no consent purposes)',
  args: { notice: noticeUrl('dcube-resource') },
  play: async ({ canvasElement }) => {
    await part(bannerIn(canvasElement), 'settings-button');
  },
};

/**
 * The settings button in the other corner: `settings-position="start"` (bottom
 * left on a left-to-right page). D-Cube Resource asks nothing, so the button
 * shows at once; its name shows beside it on hover and keyboard focus.
 */
export const SettingsAtStart: Story = {
  name: 'Settings button at the start corner',
  args: { notice: noticeUrl('dcube-resource') },
  render: (args, context) => consentBanner({ ...bannerArgs(args, context), settingsPosition: 'start' }),
  play: async ({ canvasElement }) => {
    await part(bannerIn(canvasElement), 'settings-button');
  },
};

/**
 * A host with its own link to the privacy settings (in its footer, say):
 * `settings-control="hidden"` leaves the banner's button out, and the link
 * calls `openPreferences()` on the banner. Focus goes back to the link when
 * the dialog closes.
 */
export const HostLink: Story = {
  name: 'Hidden settings button, the host\'s own link',
  args: { notice: noticeUrl('dcube-resource') },
  render: (args, context) => html`
    <p style="padding: 1rem">
      <button type="button" @click=${(event: Event) => void (event.currentTarget as Element).closest('div')?.querySelector('consent-banner')?.openPreferences()}>
        ${langOf(args, context.globals).startsWith('en') ? 'Privacy settings' : 'Privacy-instellingen'}
      </button>
    </p>
    ${consentBanner({ ...bannerArgs(args, context), settingsControl: 'hidden' })}
  `,
  play: async ({ canvasElement }) => {
    await part(bannerIn(canvasElement), 'settings-button');
  },
};

/** A theme: `--akkoord-*` properties set on the banner, passed on to the preferences in its dialog. */
const themed = (className: string, css: string): Story => ({
  render: (args, context) => html`
    <style>
      consent-banner.${className} {
        ${css}
      }
    </style>
    ${consentBanner({ ...bannerArgs(args, context), className })}
  `,
  play: async ({ canvasElement }) => {
    await part(bannerIn(canvasElement), 'accept-button');
  },
});

/**
 * The dark theme, as a page that is dark itself sets it (the same values apply
 * by themselves under `prefers-color-scheme: dark`). The story test checks its
 * contrast with axe, like every story's.
 */
export const DarkTheme: Story = {
  name: 'Dark theme',
  ...themed(
    'dark',
    `--akkoord-color-text: #e6edf3; --akkoord-color-text-muted: #a7b0bb; --akkoord-color-background: #0d1117;
     --akkoord-color-surface: #161b22; --akkoord-color-border: #8b949e; --akkoord-color-link: #79c0ff;
     --akkoord-focus-ring-color: #79c0ff; --akkoord-color-button: #79c0ff; --akkoord-color-button-text: #0d1117;`,
  ),
};

/**
 * A registrar's brand: its own blue for the three choices (still the same for
 * all three), its font, square corners. White on #003d80 is 11:1.
 */
export const RegistrarBrand: Story = {
  name: 'Registrar brand',
  ...themed(
    'brand',
    `--akkoord-color-button: #003d80; --akkoord-color-button-text: #ffffff; --akkoord-color-link: #003d80;
     --akkoord-focus-ring-color: #003d80; --akkoord-font-family: 'Segoe UI', Roboto, sans-serif; --akkoord-radius: 0;`,
  ),
};
