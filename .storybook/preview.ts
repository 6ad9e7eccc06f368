import { html } from 'lit';
import { setCustomElementsManifest, type Preview } from '@storybook/web-components-vite';

// Controls and docs come from the elements' JSDoc: `npm run build` writes the
// manifest (cem analyze). A glob import, so that a Storybook started before the
// first build still runs, only without generated docs.
const manifests = import.meta.glob('../packages/elements/custom-elements.json', { eager: true, import: 'default' });
const manifest = Object.values(manifests)[0] as CustomElementsManifest | undefined;
if (manifest) setCustomElementsManifest(publicApiOnly(manifest));

interface Member {
  name: string;
  privacy?: string;
}
interface CustomElementsManifest {
  modules?: { declarations?: { members?: Member[] }[] }[];
}

/**
 * The manifest as the docs' API tables should show it: cem lists every
 * class member, `#private` fields and `private`/`protected` ones included,
 * which are no API a page can use.
 */
function publicApiOnly(manifest: CustomElementsManifest): CustomElementsManifest {
  const isPublic = (member: Member) => !member.name.startsWith('#') && (member.privacy ?? 'public') === 'public';
  return {
    ...manifest,
    modules: manifest.modules?.map((module) => ({
      ...module,
      declarations: module.declarations?.map((declaration) => ({ ...declaration, members: declaration.members?.filter(isPublic) })),
    })),
  };
}

/**
 * A toolbar switch for the page language: stories render inside an element
 * with that `lang`, which is how a registrar's page tells our elements. The
 * element stories also pass it as the element's own `lang` attribute (see
 * stories/notices.ts), so switching re-renders them at once.
 */
const preview: Preview = {
  globalTypes: {
    locale: {
      description: 'Page language',
      toolbar: {
        title: 'Language',
        icon: 'globe',
        items: [
          { value: 'nl', title: 'Nederlands' },
          { value: 'nl-BE', title: 'Nederlands (België)' },
          { value: 'en', title: 'English' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { locale: 'nl' },
  decorators: [(story, { globals }) => html`<div lang=${globals.locale ?? 'nl'}>${story()}</div>`],
  tags: ['autodocs'],
  parameters: {
    a11y: { test: 'error' },
    controls: { expanded: true },
  },
};
export default preview;
