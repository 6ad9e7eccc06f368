/**
 * Runs `task` once the next frame has been painted and the browser is idle,
 * at the latest after `timeoutMs` (also in a hidden tab, which paints no
 * frames): for work that must not delay a first paint (loading the consent
 * controller, the developer-error checks). Returns a cancel function.
 */
export function whenIdle(task: () => void, timeoutMs: number): () => void {
  // Cancelling only disarms: a timer or callback still to come finds nothing to do (fewer bytes than
  // tracking and clearing each handle, on the banner's first load).
  let pending = true;
  const run = () => {
    if (pending) {
      pending = false;
      task();
    }
  };
  // A frame's callbacks run before it is painted; an idle period comes after.
  requestAnimationFrame(() => (typeof requestIdleCallback === 'function' ? requestIdleCallback(run, { timeout: timeoutMs }) : setTimeout(run)));
  setTimeout(run, timeoutMs);
  return () => {
    pending = false;
  };
}
