/**
 * Option checks used by `resolveOptions()`: each takes the option's name and the given value, returns it
 * (or `undefined` when it was not given) and throws `TypeError` (wrong type) or `RangeError` (out of
 * range) with a message naming the option.
 */
import type { BackoffSchedule } from './backoff';

const MAX_TIMER_MS = 2_147_483_647;

export function fail(kind: 'type' | 'range', option: string, expected: string, got: unknown): never {
  const shown = typeof got === 'number' || typeof got === 'string' ? JSON.stringify(got) : got === null ? 'null' : typeof got;
  const message = `${option} must be ${expected}, got ${shown}`;
  throw kind === 'type' ? new TypeError(message) : new RangeError(message);
}

export function ms(option: string, value: unknown, { allowZero }: { allowZero: boolean }): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) fail('type', option, 'a number of milliseconds', value);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0) || value > MAX_TIMER_MS) {
    fail('range', option, `${allowZero ? '>= 0' : '> 0'} and <= ${MAX_TIMER_MS} ms`, value);
  }
  return value;
}

export function fn<T>(option: string, value: unknown, expected: string): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') fail('type', option, expected, value);
  return value as T;
}

export function bool(option: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') fail('type', option, 'a boolean', value);
  return value;
}

export function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail('type', option, allowed.map((a) => `'${a}'`).join(' or '), value);
  if (!(allowed as readonly string[]).includes(value)) fail('range', option, allowed.map((a) => `'${a}'`).join(' or '), value);
  return value as T;
}

export function countOrInfinity(option: string, value: unknown, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) fail('type', option, 'a number', value);
  if (value !== Infinity && (!Number.isInteger(value) || value < min)) fail('range', option, `an integer >= ${min} or Infinity`, value);
  return value;
}

export function schedule(option: string, value: unknown): BackoffSchedule | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') {
    const constant = ms(option, value, { allowZero: true }) as number;
    return () => constant;
  }
  return fn<BackoffSchedule>(option, value, 'a number of ms or a function (tries) => ms');
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isPlainObjectLike(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}
