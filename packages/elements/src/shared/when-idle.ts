/**
 * Runs `task` once the next frame has been painted and the browser is idle,
 * at the latest after `timeoutMs` (also in a hidden tab, which paints no
 * frames): for work that must not delay a first paint (loading the consent
 * controller, the developer-error checks). Returns a cancel function.
 */
export function whenIdle(task: () => void, timeoutMs: number): () => void {
  let idle: (() => void) | undefined;
  const cancel = () => {
    cancelAnimationFrame(frame);
    clearTimeout(deadline);
    idle?.();
  };
  const run = () => {
    cancel();
    task();
  };
  // A frame's callbacks run before it is painted; an idle period comes after.
  const frame = requestAnimationFrame(() => {
    if (typeof requestIdleCallback === 'function') {
      const handle = requestIdleCallback(run, { timeout: timeoutMs });
      idle = () => cancelIdleCallback(handle);
    } else {
      const handle = setTimeout(run, 0);
      idle = () => clearTimeout(handle);
    }
  });
  const deadline = setTimeout(run, timeoutMs);
  return cancel;
}
