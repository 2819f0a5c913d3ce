/**
 * What a connect attempt needs before it can open a transport: the `params` and `authToken` sources,
 * each a value or a (sync or async) function re-read before every attempt, resolved and checked. A
 * failure becomes a `ConnectError` naming the stage.
 */
import { ConnectError } from './errors';

/** True for promises and other thenables. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Calls a params/authToken function; a throw or rejection becomes a `ConnectError` naming the stage. */
export function resolveSource(stage: 'params' | 'auth_token', source: unknown): unknown {
  if (typeof source !== 'function') return source;
  let value: unknown;
  try {
    value = (source as () => unknown)();
  } catch (cause) {
    return Promise.reject(new ConnectError(stage, { cause }));
  }
  if (!isThenable(value)) return value;
  return Promise.resolve(value).catch((cause: unknown) => Promise.reject(new ConnectError(stage, { cause })));
}
