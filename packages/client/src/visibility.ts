/**
 * Page signals in browsers: whether the page is hidden, and when it is worth trying to reconnect at once
 * (shown again, restored from the back/forward cache, back online). Feature-detected at run time, so the
 * same code is a no-op in Node.
 */

interface EventTargetLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

interface DocumentLike extends EventTargetLike {
  readonly hidden?: boolean;
  readonly visibilityState?: string;
}

function pageDocument(): DocumentLike | undefined {
  const doc = (globalThis as { document?: DocumentLike }).document;
  return doc && typeof doc.addEventListener === 'function' ? doc : undefined;
}

function pageWindow(): EventTargetLike | undefined {
  const win = (globalThis as { window?: EventTargetLike }).window;
  return win && typeof win.addEventListener === 'function' ? win : undefined;
}

/** True when a browser page is hidden (background tab, minimised); always false elsewhere. */
export function isPageHidden(): boolean {
  const doc = pageDocument();
  if (!doc) return false;
  return doc.visibilityState === 'hidden' || doc.hidden === true;
}

/**
 * Calls `onWake` when the page becomes visible, is shown again (`pageshow`, `resume`) or comes back
 * `online`. Returns the function that removes the listeners; a no-op outside browsers.
 *
 * @example
 * const stop = watchPage(() => { if (!socket.isConnected()) reconnectNow(); });
 */
export function watchPage(onWake: () => void): () => void {
  const doc = pageDocument();
  const win = pageWindow();
  if (!doc && !win) return () => {};
  const onVisibility = (): void => {
    if (!isPageHidden()) onWake();
  };
  doc?.addEventListener('visibilitychange', onVisibility);
  // Some Chrome versions skip visibilitychange after a frozen page resumes.
  doc?.addEventListener('resume', onVisibility);
  win?.addEventListener('pageshow', onVisibility);
  win?.addEventListener('online', onWake);
  return () => {
    doc?.removeEventListener('visibilitychange', onVisibility);
    doc?.removeEventListener('resume', onVisibility);
    win?.removeEventListener('pageshow', onVisibility);
    win?.removeEventListener('online', onWake);
  };
}
