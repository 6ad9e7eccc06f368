/**
 * The theming layer, as CSS text: `tokens.ts` gives it to Lit elements, and
 * the banner, which paints without Lit, adopts it as a constructed sheet.
 *
 * Every element declares these `--akkoord-*` custom properties
 * with their defaults, light and dark, all meeting WCAG AA contrast. A host
 * overrides them on the element (`consent-banner { --akkoord-color-button: … }`),
 * which wins over these `:host` defaults; set on an ancestor, they do not
 * reach in, as each element declares its own defaults. The banner passes its
 * values on to the preferences in its dialog. `--akkoord-transition` is
 * `none` when the reader prefers reduced motion.
 */

export const TOKENS = `
  :host {
    --akkoord-font-family: system-ui, sans-serif;
    --akkoord-font-size: 1rem;
    --akkoord-line-height: 1.5;
    --akkoord-color-text: #1f2328;
    --akkoord-color-text-muted: #4e5661;
    --akkoord-color-background: #ffffff;
    --akkoord-color-surface: #f3f5f7;
    --akkoord-color-border: #6e7781;
    --akkoord-color-link: #0550ae;
    --akkoord-color-error: #a40e26;
    --akkoord-focus-ring-color: #0550ae;
    --akkoord-focus-ring-width: 3px;
    --akkoord-focus-ring-offset: 2px;
    --akkoord-space: 1rem;
    --akkoord-radius: 0.375rem;
    --akkoord-color-button: #0550ae;
    --akkoord-color-button-text: #ffffff;
  }

  @media (prefers-color-scheme: dark) {
    :host {
      --akkoord-color-text: #e6edf3;
      --akkoord-color-text-muted: #a7b0bb;
      --akkoord-color-background: #0d1117;
      --akkoord-color-surface: #161b22;
      --akkoord-color-border: #8b949e;
      --akkoord-color-link: #79c0ff;
      --akkoord-color-error: #ffa198;
      --akkoord-focus-ring-color: #79c0ff;
      --akkoord-color-button: #79c0ff;
      --akkoord-color-button-text: #0d1117;
    }
  }

  @media (prefers-reduced-motion: reduce) {
    :host {
      --akkoord-transition: none;
    }
  }
`;

/**
 * The choice buttons (accept, reject, choose, save): all alike, so that no
 * choice is steered by its looks (EDPB 03/2022, "lacking hierarchy").
 */
export const CHOICE_BUTTONS = `
  .choice {
    flex: 1 1 10em;
    min-height: 2.75rem;
    padding: 0.5em 1em;
    font: inherit;
    font-weight: 600;
    color: var(--akkoord-color-button-text);
    background: var(--akkoord-color-button);
    border: 2px solid var(--akkoord-color-button);
    border-radius: var(--akkoord-radius);
    cursor: pointer;
  }
  :focus-visible {
    outline: var(--akkoord-focus-ring-width) solid var(--akkoord-focus-ring-color);
    outline-offset: var(--akkoord-focus-ring-offset);
  }
  a {
    color: var(--akkoord-color-link);
  }
`;
