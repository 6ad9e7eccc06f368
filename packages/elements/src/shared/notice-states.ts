/**
 * The notice's loading and error states, the same in every element that
 * renders with Lit: a loading message, and an error that says in the
 * reader's language what went wrong, offers to try again when a fetch
 * failed (an invalid notice stays invalid), and keeps the details for the
 * developer in English.
 *
 * Parts: `status`, `error`, `error-details`, `retry-button`.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { msg } from '../localization.js';
import { NoticeLoadError } from './notice-failure.js';

export function noticePending(): TemplateResult {
  return html`<p part="status" role="status">${msg('Loading the privacy notice…', { id: 'notice.loading' })}</p>`;
}

/** The error screen; `retry` loads the notice again. */
export function noticeError(error: unknown, retry: () => void): TemplateResult {
  const failure = error instanceof NoticeLoadError ? error : new NoticeLoadError('notice-invalid', String(error));
  const fetchFailed = failure.code === 'notice-fetch-failed';
  return html`
    <div part="error" role="alert">
      <p>
        <strong>
          ${fetchFailed
            ? msg('The privacy notice could not be loaded.', { id: 'notice.error.fetch' })
            : msg('The privacy notice could not be shown because it contains errors.', { id: 'notice.error.invalid' })}
        </strong>
        ${msg('Please try again later, or contact the owner of this website.', { id: 'notice.error.hint' })}
      </p>
      ${fetchFailed
        ? html`<button part="retry-button" type="button" @click=${retry}>${msg('Try again', { id: 'notice.error.retry' })}</button>`
        : nothing}
      <details part="error-details">
        <summary>${msg('Details for developers', { id: 'notice.error.details' })}</summary>
        <div lang="en">
          <p>${failure.message}</p>
          ${failure.issues.length
            ? html`<ul>
                ${failure.issues.map((issue) => html`<li><code>${issue.path || '(document)'}</code>: ${issue.message}</li>`)}
              </ul>`
            : nothing}
        </div>
      </details>
    </div>
  `;
}

// In a `.styles.ts` module of its own, which the bundle's CSS minifier reads (it would squeeze the templates' text here).
export { noticeStateStyles } from './notice-states.styles.js';
