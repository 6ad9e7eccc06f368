import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { expect } from 'storybook/test';
import '@akkoord/elements/privacy-notice.js';
import type { PrivacyNotice } from '@akkoord/elements';
import { argTypes, documentUrl, langOf, noticeUrl, ownFrameOnDocs, part } from './notices.js';
import { privacyNotice } from './templates.js';

const noticeIn = (canvasElement: HTMLElement) => canvasElement.querySelector<PrivacyNotice>('privacy-notice')!;

interface Args {
  notice: string;
  lang: string;
  'heading-level': number;
}

/**
 * `<privacy-notice>`: the layered privacy notice. The first layer says who is
 * responsible, what the data is used for and on which legal basis; the second
 * holds every section, each opening to its full text.
 *
 * The language comes from the toolbar (Nederlands, Nederlands (België),
 * English) through the element's `lang` attribute. GMO Registry's notice is in
 * `nl` and `en`, D-Cube Resource's in `nl-BE` and `en`: asking GMO for `nl-BE`
 * shows its Dutch, asking D-Cube for `nl` shows its Belgian Dutch.
 */
const meta = {
  title: 'Elements/Privacy notice',
  component: 'privacy-notice',
  argTypes: {
    notice: argTypes.notice,
    lang: argTypes.lang,
    'heading-level': argTypes['heading-level'],
  },
  args: { notice: noticeUrl('gmo-registry'), lang: '', 'heading-level': 2 },
  render: (args, { globals }) =>
    privacyNotice({ notice: args.notice, lang: langOf(args, globals), headingLevel: args['heading-level'] }),
  // Done when the notice has loaded and rendered in its language (or failed), so the accessibility checks see it.
  play: async ({ canvasElement }) => {
    await noticeIn(canvasElement).loadComplete;
  },
} satisfies Meta<Args>;
export default meta;

type Story = StoryObj<Args>;

/** GMO Registry, Inc. (Tokyo): 18 purposes, three of them on consent, an EU representative and a DPO. */
export const GmoRegistry: Story = {
  name: 'GMO Registry',
  args: { notice: noticeUrl('gmo-registry') },
};

/** D-Cube Resource (Belgium): no consent purposes; Belgian Dutch and English. */
export const DCubeResource: Story = {
  name: 'D-Cube Resource',
  args: { notice: noticeUrl('dcube-resource') },
};

const NEVER_ANSWERS = 'notices/never-answers.json';

/**
 * While the notice loads: a status message. This story's URL never answers:
 * the story replaces `fetch` for that one URL with a request that stays
 * pending until the element gives up on it, and puts `fetch` back when you
 * leave the story.
 */
export const Loading: Story = {
  args: { notice: NEVER_ANSWERS },
  argTypes: { notice: { control: false } },
  parameters: ownFrameOnDocs(240),
  beforeEach: () => {
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!url.endsWith(`/${NEVER_ANSWERS}`)) return realFetch(input, init);
      return new Promise((_, reject) => {
        const signal = init?.signal;
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    };
    return () => {
      window.fetch = realFetch;
    };
  },
  play: async ({ canvasElement }) => {
    await part(noticeIn(canvasElement), 'status');
  },
};

/**
 * A notice URL that answers 404: a readable error in the reader's language,
 * a *try again* button, and the details for developers. The element fires
 * `consent-error` (`code: 'notice-fetch-failed'`) and throws nothing into the page;
 * the browser itself logs the failed request in the console.
 */
export const FetchError: Story = {
  name: 'Error: notice not found',
  args: { notice: 'notices/missing.json' },
  play: async ({ canvasElement }) => {
    const notice = noticeIn(canvasElement);
    await expect(await notice.loadComplete).toBe(false);
    await part(notice, 'retry-button');
  },
};

/**
 * GMO Registry's notice with three typical authoring mistakes, given to the
 * `.notice` property as an object: a purpose with two legal bases, a title
 * missing in English, and an `http:` link. The element validates it, shows
 * that the notice contains errors, and lists each issue with its path under
 * *details for developers* (opened here). `npx akkoord-notice check` reports
 * the same issues in CI.
 */
export const InvalidDocument: Story = {
  name: 'Invalid document',
  argTypes: { notice: { control: false } },
  loaders: [
    async () => {
      const response = await fetch(documentUrl('gmo-registry'));
      const doc = (await response.json()) as {
        summary: { intro: Record<string, unknown> };
        purposes: { legalBasis: unknown; title: Record<string, string> }[];
      };
      doc.purposes[2]!.legalBasis = ['consent', 'legitimate-interests'];
      delete doc.purposes[0]!.title.en;
      doc.summary.intro.en = [`${String(doc.summary.intro.en)} `, { text: 'More about us', href: 'http://www.gmoregistry.com/' }];
      return { invalid: doc };
    },
  ],
  render: (args, { globals, loaded }) =>
    privacyNotice({ notice: loaded.invalid as object, lang: langOf(args, globals), headingLevel: args['heading-level'] }),
  play: async ({ canvasElement }) => {
    const notice = noticeIn(canvasElement);
    await expect(await notice.loadComplete).toBe(false);
    const details = await part<HTMLDetailsElement>(notice, 'error-details');
    details.open = true;
    await expect(details.querySelectorAll('li')).toHaveLength(3);
  },
};

/**
 * A link to `…/privacy#rights` opens the rights section and scrolls to it.
 * The story puts `#rights` in the frame's URL before the notice renders, and
 * takes it away when you leave the story.
 */
export const DeepLink: Story = {
  name: 'Deep link to a section (#rights)',
  args: { notice: noticeUrl('gmo-registry') },
  parameters: ownFrameOnDocs(640),
  beforeEach: () => {
    const before = location.hash;
    history.replaceState(history.state, '', '#rights');
    return () => history.replaceState(history.state, '', `${location.pathname}${location.search}${before}`);
  },
  play: async ({ canvasElement }) => {
    const notice = noticeIn(canvasElement);
    await expect(await notice.loadComplete).toBe(true);
    const rights = notice.shadowRoot!.getElementById('rights') as HTMLDetailsElement;
    await expect(rights.open).toBe(true);
  },
};

/**
 * The theming hooks: `--akkoord-*` custom properties set on the element, and
 * `::part()` rules for what they do not cover. See *Guides/Theming*.
 */
export const Themed: Story = {
  args: { notice: noticeUrl('dcube-resource') },
  render: (args, { globals }) => html`
    <style>
      privacy-notice.themed {
        --akkoord-font-family: Georgia, 'Times New Roman', serif;
        --akkoord-color-text: #2b2118;
        --akkoord-color-background: #fffaf2;
        --akkoord-color-surface: #f4ead9;
        --akkoord-color-link: #7a2e00;
        --akkoord-focus-ring-color: #7a2e00;
        --akkoord-radius: 0;
      }
      privacy-notice.themed::part(heading) {
        border-bottom: 3px double currentColor;
      }
      privacy-notice.themed::part(legal-basis) {
        font-variant: small-caps;
      }
    </style>
    ${privacyNotice({ notice: args.notice, lang: langOf(args, globals), headingLevel: args['heading-level'], className: 'themed' })}
  `,
};
