import type { Preview } from '@storybook/web-components-vite';

/**
 * A toolbar switch for the page language: stories render inside an element
 * with that `lang`, which is how a registrar's page tells our elements.
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
  parameters: {
    a11y: { test: 'error' },
    controls: { expanded: true },
  },
};
export default preview;
