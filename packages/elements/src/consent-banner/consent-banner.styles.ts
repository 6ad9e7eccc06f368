/**
 * The banner's own styles, as CSS text: it paints without Lit, so it adopts
 * them (with the shared theme) as one constructed sheet.
 */
export const BANNER_CSS = `
    :host {
      --akkoord-banner-max-width: 60rem;
      display: block;
      font-family: var(--akkoord-font-family);
      font-size: var(--akkoord-font-size);
      line-height: var(--akkoord-line-height);
      color: var(--akkoord-color-text);
    }
    .panel {
      position: fixed;
      inset: auto 0 0 0;
      z-index: 2147483000;
      box-sizing: border-box;
      max-width: var(--akkoord-banner-max-width);
      max-height: 70vh;
      margin: 0 auto;
      display: flex;
      flex-direction: column;
      background: var(--akkoord-color-background);
      border: 1px solid var(--akkoord-color-border);
      border-bottom: 0;
      border-radius: var(--akkoord-radius) var(--akkoord-radius) 0 0;
      box-shadow: 0 -2px 12px rgb(0 0 0 / 0.2);
    }
    h2 {
      font-size: 1.25em;
      margin: 0;
      padding: var(--akkoord-space) var(--akkoord-space) 0;
    }
    .body {
      overflow: auto;
      padding: 0 var(--akkoord-space);
      font-size: 0.9375em;
    }
    .body ul {
      padding-inline-start: 1.25em;
      margin: 0.5em 0;
    }
    .actions {
      display: flex;
      flex-wrap: wrap;
      gap: calc(var(--akkoord-space) / 2);
      padding: var(--akkoord-space);
    }
    .settings {
      position: fixed;
      left: var(--akkoord-space);
      bottom: var(--akkoord-space);
      z-index: 2147483000;
      flex: none;
    }
    .settings-spacer {
      height: calc(2.75rem + 2 * var(--akkoord-space));
    }
    @media print {
      .panel,
      .settings,
      .settings-spacer,
      .spacer {
        display: none;
      }
    }
  `;
