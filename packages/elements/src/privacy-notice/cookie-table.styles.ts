import { css } from 'lit';

/** The cookie table's styles, adopted by the element beside its own when the table's module loads. */
export const styles = css`
  [part='cookie-table-scroller'] {
    overflow-x: auto;
    margin-block-start: 0.5em;
  }
  [part='cookie-table'] {
    border-collapse: collapse;
    font-size: 0.875em;
    /* The notice's overflow-wrap: anywhere would let the columns shrink to a letter and break "Name" as
       "Nam|e"; break-word still breaks a long cookie name or domain, but only where it does not fit. */
    overflow-wrap: break-word;
  }
  [part='cookie-table'] caption {
    text-align: start;
    font-weight: 600;
    padding-block-end: 0.25em;
  }
  [part='cookie-table'] th,
  [part='cookie-table'] td {
    padding: 0.25em 0.5em;
    border: 1px solid var(--akkoord-color-border);
    text-align: start;
    vertical-align: top;
  }
  [part='cookie-table'] thead th {
    background: var(--akkoord-color-surface);
  }
`;
