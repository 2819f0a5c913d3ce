import type { FetchLike, FetchResponseLike } from '../../src/longpoll-options';

/** One request the transport made, answerable by the test. */
export interface FakeRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  readonly signal: AbortSignal;
  /** Answers like Phoenix: HTTP 200 with `{status, ...}` as JSON. */
  answer(status: number, extra?: { token?: string; messages?: string[] }): void;
  /** Answers with a raw HTTP status and body. */
  raw(httpStatus: number, text: string): void;
  /** Fails like a network error. */
  fail(error?: Error): void;
}

/**
 * A scripted `fetch`: every call waits in `requests` until the test answers it; `next()` resolves with the
 * next unanswered request (of `method`, if given).
 */
export function fakeFetch(): { fetch: FetchLike; requests: FakeRequest[]; next(method?: 'GET' | 'POST'): Promise<FakeRequest> } {
  const requests: FakeRequest[] = [];
  const taken = new Set<FakeRequest>();
  const waiters: Array<() => void> = [];
  const fetch: FetchLike = (url, init) =>
    new Promise<FetchResponseLike>((resolve, reject) => {
      const respond = (status: number, text: string) => resolve({ status, text: () => Promise.resolve(text) });
      init.signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
      requests.push({
        url,
        method: init.method,
        headers: init.headers,
        body: init.body,
        signal: init.signal,
        answer: (status, extra = {}) => respond(200, JSON.stringify({ status, ...extra })),
        raw: respond,
        fail: (error = new TypeError('fetch failed')) => reject(error),
      });
      for (const wake of waiters.splice(0)) wake();
    });
  async function next(method?: 'GET' | 'POST'): Promise<FakeRequest> {
    for (;;) {
      const found = requests.find((r) => !taken.has(r) && (method === undefined || r.method === method));
      if (found) {
        taken.add(found);
        return found;
      }
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  }
  return { fetch, requests, next };
}
