/**
 * Option checks used by `resolveOptions()`: each takes the options object and an option's name, returns
 * the option's value (or `undefined` when it was not given) and throws `TypeError` (wrong type) or
 * `RangeError` (out of range) with a message naming the option.
 */
import type { BackoffSchedule } from './backoff';

/** The options object as the checks read it. */
export type Given = Readonly<Record<string, unknown>>;

const MAX_TIMER_MS = 2_147_483_647;

export function fail(kind: 'type' | 'range', option: string, expected: string, got: unknown): never {
  const shown = typeof got === 'number' || typeof got === 'string' ? JSON.stringify(got) : got === null ? 'null' : typeof got;
  const message = `${option} must be ${expected}, got ${shown}`;
  throw kind === 'type' ? new TypeError(message) : new RangeError(message);
}

export function ms(given: Given, option: string, allowZero: boolean, value = given[option]): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) fail('type', option, 'a number of milliseconds', value);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0) || value > MAX_TIMER_MS) {
    fail('range', option, `${allowZero ? '>= 0' : '> 0'} and <= ${MAX_TIMER_MS} ms`, value);
  }
  return value;
}

export function fn<T>(given: Given, option: string, expected: string, value = given[option]): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') fail('type', option, expected, value);
  return value as T;
}

export function bool(given: Given, option: string): boolean | undefined {
  const value = given[option];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') fail('type', option, 'a boolean', value);
  return value;
}

export function oneOf<T extends string>(given: Given, option: string, allowed: readonly T[]): T | undefined {
  const value = given[option];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') fail('type', option, allowed.map((a) => `'${a}'`).join(' or '), value);
  if (!(allowed as readonly string[]).includes(value)) fail('range', option, allowed.map((a) => `'${a}'`).join(' or '), value);
  return value as T;
}

export function countOrInfinity(given: Given, option: string, min: number): number | undefined {
  const value = given[option];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) fail('type', option, 'a number', value);
  if (value !== Infinity && (!Number.isInteger(value) || value < min)) fail('range', option, `an integer >= ${min} or Infinity`, value);
  return value;
}

export function schedule(given: Given, option: string): BackoffSchedule | undefined {
  const value = given[option];
  if (typeof value === 'number') {
    const constant = ms(given, option, true, value) as number;
    return () => constant;
  }
  return fn<BackoffSchedule>(given, option, 'a number of ms or a function (tries) => ms', value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isPlainObjectLike(value: unknown): value is Record<string, unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}
