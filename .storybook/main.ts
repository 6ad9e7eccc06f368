import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/web-components-vite';

/**
 * What `npm run build` (akkoord-notice build) wrote for the launch notices.
 * Read when Storybook starts: after a new `npm run build`, restart `npm run storybook`.
 */
const BUILT_DATA = fileURLToPath(new URL('../packages/notices/dist/data', import.meta.url));
const built = ['gmo-registry', 'dcube-resource'].every((id) => existsSync(`${BUILT_DATA}/${id}/manifest.json`));

const config: StorybookConfig = {
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-a11y', '@storybook/addon-docs'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // The notices' JSON files are served as they are, as a registrar would serve them;
  // what `akkoord-notice build` wrote is served beside them when it exists.
  staticDirs: [
    { from: '../packages/notices/notices', to: '/notices' },
    ...(built ? [{ from: '../packages/notices/dist/data', to: '/notices-built' }] : []),
  ],
  async viteFinal(viteConfig) {
    // Resolve our workspaces to their TypeScript sources, as the tests and rollup do.
    viteConfig.resolve ??= {};
    viteConfig.resolve.conditions = ['akkoord-source', 'module', 'browser', 'development|production'];
    // Tells the stories (stories/notices.ts) whether /notices-built exists; without it they load the raw documents.
    viteConfig.define = { ...viteConfig.define, __AKKOORD_NOTICES_BUILT__: JSON.stringify(built) };
    return viteConfig;
  },
};
export default config;
