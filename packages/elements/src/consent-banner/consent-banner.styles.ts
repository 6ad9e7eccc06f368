/**
 * The banner's own styles, as CSS text: it paints without Lit, so it adopts
 * them (with the shared theme) as one constructed sheet.
 */
export const BANNER_CSS = `
    :host {
      --akkoord-banner-max-width: 64rem;
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
      max-height: 90vh;
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
      font-size: 1.125em;
      margin: 0;
      padding: 0.75rem var(--akkoord-space) 0;
    }
    .body {
      overflow: auto;
      padding: 0 var(--akkoord-space);
      font-size: 0.875em;
    }
    .body > * {
      margin: 0.4em 0;
    }
    .body ul {
      padding-inline-start: 1.25em;
    }
    /* The consent purposes on one line, as a sentence would name them. */
    .body [part=purposes] {
      display: inline;
      padding: 0;
    }
    [part=purposes] li {
      display: inline;
    }
    [part=purposes] li + li::before {
      content: ' · ';
    }
    /* Three equal buttons: stacked on a phone, in one row on a wider screen; never two and one. */
    .actions {
      display: flex;
      gap: 0.5rem;
      padding: 0.75rem var(--akkoord-space);
    }
    @media (max-width: 40rem) {
      .actions {
        flex-direction: column;
      }
      .choice {
        flex: none;
      }
    }
    @media print {
      .panel,
      .spacer {
        display: none;
      }
    }
  `;
