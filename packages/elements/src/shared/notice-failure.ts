/**
 * What every element does when its notice cannot load, whichever loader
 * failed (the first layer or the whole document): one `NoticeLoadError`
 * (anything else thrown becomes `notice-invalid`), `consent-error` on the
 * element, and the developer's console told what to fix. Plain DOM, no Lit:
 * the banner's first load carries it.
 */
import { ConsentErrorEvent } from '@akkoord/core/consent/error-event';
import { NoticeLoadError } from '@akkoord/core/notice-loading/first-layer';
import { devLater } from './dev-later.js';

export { NoticeLoadError };

type Host = HTMLElement & { notice?: unknown };

/**
 * Reports the failure on `host` and returns it as the error to show. The
 * developer's console hears it a moment later (devLater), so that no
 * element's first paint waits for the checks.
 */
export function noticeFailure(host: Host, cause: unknown): NoticeLoadError {
  const error = cause instanceof NoticeLoadError ? cause : new NoticeLoadError('notice-invalid', String(cause));
  host.dispatchEvent(new ConsentErrorEvent(error.code, error.message, error.issues));
  devLater((checks) => checks.reportNoticeError(host, error));
  return error;
}
