import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  stories: ['../stories/**/*.mdx', '../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-a11y', '@storybook/addon-docs'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  core: { disableTelemetry: true, disableWhatsNewNotifications: true },
  // The notices' JSON files are served as they are, as a registrar would serve them.
  staticDirs: [{ from: '../packages/notices/notices', to: '/notices' }],
  async viteFinal(viteConfig) {
    // Resolve our workspaces to their TypeScript sources, as the tests and rollup do.
    viteConfig.resolve ??= {};
    viteConfig.resolve.conditions = ['akkoord-source', 'module', 'browser', 'development|production'];
    return viteConfig;
  },
};
export default config;
