/**
 * The message protocol between a tab (`SharedSocket`) and the host that owns the real `Socket` (the
 * SharedWorker). Every message is a plain structured-cloneable object `{ v, t, ... }`: `v` is the protocol
 * version (a host refuses a tab speaking another one, and the tab falls back to its own socket), `t` the
 * message type. Wire names live here once.
 */
import type { SocketState } from '@phx-socket/client';

/** Version of the tab ↔ worker protocol. Bumped on any incompatible change. */
export const SHARED_PROTOCOL_VERSION = 1 as const;

/** Message types a tab sends. */
export const TAB_MESSAGES = Object.freeze({
  hello: 'hello',
  locked: 'locked',
  connect: 'connect',
  disconnect: 'disconnect',
  join: 'join',
  leave: 'leave',
  push: 'push',
  ping: 'ping',
  resolved: 'resolved',
  bye: 'bye',
} as const);

/** Message types the worker sends. */
export const WORKER_MESSAGES = Object.freeze({
  welcome: 'welcome',
  refused: 'refused',
  telemetry: 'telemetry',
  joined: 'joined',
  joinFailed: 'join_failed',
  channelError: 'channel_error',
  channelClosed: 'channel_closed',
  event: 'event',
  reply: 'reply',
  pong: 'pong',
  resolve: 'resolve',
} as const);

/** Plain-data JSON-ish object (join params, connect params). */
export type WireParams = Record<string, unknown>;

/** An error as it crosses the port: classes do not survive structured clone, their `code` does. */
export interface WireError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  /** `ReplyError` / `JoinError`: the server's answer. */
  readonly response?: unknown;
  /** `ConnectionLostError`: how often the push went out again. */
  readonly resends?: number;
}

/**
 * Socket options that can cross into the worker (no functions, no classes). The worker's `Socket` is built
 * from the options of the first tab that opened this endpoint.
 */
export interface WireSocketOptions {
  timeout?: number;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  /** A number, or steps in ms (the last one repeats): `[200, 500, 1000, 5000]`. */
  reconnectAfterMs?: number | readonly number[];
  /** A number, or steps in ms (the last one repeats). */
  rejoinAfterMs?: number | readonly number[];
  jitter?: 'full' | 'none';
  healthyAfterMs?: number;
  circuitBreaker?: { threshold?: number; coolDownMs?: number } | false;
  reconnect?: boolean;
  maxReconnectAttempts?: number;
  sendBufferLimit?: number;
  overflowPolicy?: 'drop-oldest' | 'reject';
  inFlightPolicy?: 'resend' | 'fail';
  maxResends?: number;
  vsn?: string;
  binaryType?: 'arraybuffer' | 'blob';
  longPollFallbackMs?: number;
}

/** What a value needs the tab to compute (a function option cannot cross the port). */
export type ResolveWhat = 'params' | 'authToken';

interface Base {
  readonly v: typeof SHARED_PROTOCOL_VERSION;
}

/** tab → worker */
export type TabMessage =
  | (Base & {
      readonly t: 'hello';
      /** Random id of this tab's SharedSocket. */
      readonly client: string;
      /** Which real socket to share: endpoint + params (or the `shareKey` option). */
      readonly key: string;
      readonly url: string;
      readonly options: WireSocketOptions;
      readonly params: WireParams;
      readonly authToken: string | null;
      /** The tab asks the worker to re-read params / authToken through it at every reconnect. */
      readonly dynamic: { readonly params: boolean; readonly authToken: boolean };
      /** Whether the tab wants telemetry events forwarded. */
      readonly telemetry: boolean;
      /** Release this tab's channels when it stays silent this long, ms (it pings at a third of it or faster). */
      readonly timeoutMs: number;
    })
  /** The tab now holds the Web Lock `lock`: the worker waits on it to learn when the tab is gone. */
  | (Base & { readonly t: 'locked'; readonly lock: string })
  | (Base & { readonly t: 'connect'; readonly params: WireParams | null })
  | (Base & { readonly t: 'disconnect' })
  | (Base & { readonly t: 'join'; readonly chan: number; readonly topic: string; readonly params: WireParams; readonly timeoutMs: number })
  | (Base & { readonly t: 'leave'; readonly chan: number })
  | (Base & {
      readonly t: 'push';
      readonly chan: number;
      readonly id: number;
      readonly event: string;
      readonly payload: unknown;
      readonly timeoutMs: number;
      readonly maxResends: number | null;
    })
  | (Base & { readonly t: 'ping' })
  | (Base & { readonly t: 'resolved'; readonly id: number; readonly ok: boolean; readonly value: unknown })
  | (Base & { readonly t: 'bye' });

/** worker → tab */
export type WorkerMessage =
  | (Base & { readonly t: 'welcome'; readonly worker: string; readonly timeOrigin: number; readonly state: SocketState })
  | (Base & { readonly t: 'refused'; readonly reason: 'version' | 'unknown_client' | 'bad_message'; readonly message: string })
  | (Base & { readonly t: 'telemetry'; readonly name: string; readonly event: { measurements: unknown; metadata: unknown }; readonly state: SocketState })
  | (Base & { readonly t: 'joined'; readonly chans: readonly number[]; readonly joinRef: string | null; readonly response: unknown })
  | (Base & {
      readonly t: 'join_failed';
      readonly chans: readonly number[];
      readonly status: 'error' | 'timeout';
      readonly response: unknown;
      readonly error: WireError;
      /** True when the worker will not retry (params mismatch): the tab's channel closes. */
      readonly final: boolean;
    })
  | (Base & { readonly t: 'channel_error'; readonly chans: readonly number[]; readonly reason: unknown })
  | (Base & { readonly t: 'channel_closed'; readonly chans: readonly number[]; readonly payload: unknown })
  | (Base & {
      readonly t: 'event';
      readonly chans: readonly number[];
      readonly event: string;
      readonly payload: unknown;
      readonly ref: string | null;
      readonly joinRef: string | null;
    })
  | (Base & { readonly t: 'reply'; readonly id: number; readonly status: 'ok' | 'error' | 'timeout'; readonly response: unknown; readonly error: WireError | null })
  | (Base & { readonly t: 'pong' })
  | (Base & { readonly t: 'resolve'; readonly id: number; readonly what: ResolveWhat });

/** Distributes `Omit` over a union, so building a message keeps its discriminant. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A tab message without its version field. */
export type TabMessageBody = DistributiveOmit<TabMessage, 'v'>;
/** A worker message without its version field. */
export type WorkerMessageBody = DistributiveOmit<WorkerMessage, 'v'>;

/** Adds the protocol version. */
export function tabMessage(body: TabMessageBody): TabMessage {
  return { v: SHARED_PROTOCOL_VERSION, ...body } as TabMessage;
}

/** Adds the protocol version. */
export function workerMessage(body: WorkerMessageBody): WorkerMessage {
  return { v: SHARED_PROTOCOL_VERSION, ...body } as WorkerMessage;
}

const TAB_TYPES: ReadonlySet<string> = new Set(Object.values(TAB_MESSAGES));
const WORKER_TYPES: ReadonlySet<string> = new Set(Object.values(WORKER_MESSAGES));

/** Reads the version of anything that looks like a protocol message, or null. */
export function messageVersion(data: unknown): number | null {
  if (typeof data !== 'object' || data === null) return null;
  const v = (data as { v?: unknown }).v;
  return typeof v === 'number' ? v : null;
}

/** True for a well-formed tab message of this protocol version. */
export function isTabMessage(data: unknown): data is TabMessage {
  if (messageVersion(data) !== SHARED_PROTOCOL_VERSION) return false;
  const t = (data as { t?: unknown }).t;
  return typeof t === 'string' && TAB_TYPES.has(t);
}

/** True for a well-formed worker message of this protocol version. */
export function isWorkerMessage(data: unknown): data is WorkerMessage {
  if (messageVersion(data) !== SHARED_PROTOCOL_VERSION) return false;
  const t = (data as { t?: unknown }).t;
  return typeof t === 'string' && WORKER_TYPES.has(t);
}

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` give one key. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** The key that decides which tabs share one socket: endpoint, protocol version and params. */
export function socketKey(url: string, vsn: string | undefined, params: WireParams, authToken: string | null): string {
  return stableStringify([url, vsn ?? null, params, authToken]);
}

/** The key of a channel's join params: two joins of one topic share a channel only when these match. */
export function paramsKey(params: WireParams): string {
  return stableStringify(params);
}

/** An error (or anything thrown) as plain data. */
export function toWireError(error: unknown): WireError {
  if (typeof error === 'object' && error !== null) {
    const e = error as { name?: unknown; code?: unknown; message?: unknown; response?: unknown; resends?: unknown };
    const wire: { -readonly [K in keyof WireError]: WireError[K] } = {
      name: typeof e.name === 'string' ? e.name : 'Error',
      code: typeof e.code === 'string' ? e.code : 'error',
      message: typeof e.message === 'string' ? e.message : String(error),
    };
    if ('response' in e) wire.response = e.response;
    if (typeof e.resends === 'number') wire.resends = e.resends;
    return wire;
  }
  return { name: 'Error', code: 'error', message: String(error) };
}

/**
 * Telemetry metadata made cloneable: `Error` values become {@link WireError}s (structured clone would
 * drop their class and `code`). Only the top level is walked; the socket's metadata is flat.
 */
export function toWireMetadata(metadata: unknown): unknown {
  if (typeof metadata !== 'object' || metadata === null) return metadata;
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(metadata)) {
    if (v instanceof Error) {
      out ??= { ...(metadata as Record<string, unknown>) };
      out[k] = { ...toWireError(v), remote: true };
    }
  }
  return out ?? metadata;
}

/** True for a {@link WireError} marked by {@link toWireMetadata}. */
export function isWireErrorValue(value: unknown): value is WireError & { remote: true } {
  return typeof value === 'object' && value !== null && (value as { remote?: unknown }).remote === true && typeof (value as { code?: unknown }).code === 'string';
}

/** The clock fields of a `SocketState`, which the tab shifts from the worker's time origin to its own. */
export const STATE_TIME_FIELDS = Object.freeze(['startedAt', 'connectedAt', 'since', 'nextAttemptAt', 'resumeAt'] as const);

/** A state snapshot with its clock fields moved by `offsetMs` (null stays null). */
export function shiftState(state: SocketState, offsetMs: number): SocketState {
  if (offsetMs === 0) return state;
  const out: Record<string, unknown> = { ...state };
  for (const field of STATE_TIME_FIELDS) {
    const v = out[field];
    if (typeof v === 'number') out[field] = v + offsetMs;
  }
  return out as unknown as SocketState;
}

/** The `Socket` form of a wire schedule: steps become a step function whose last step repeats. */
export function scheduleOption(value: number | readonly number[] | undefined): number | ((tries: number) => number) | undefined {
  if (value === undefined || typeof value === 'number') return value;
  const steps = [...value];
  const last = steps[steps.length - 1] ?? 0;
  return (tries) => steps[tries - 1] ?? last;
}

/** The `Socket` options of wire options (schedules converted). */
export function socketOptionsOf(wire: WireSocketOptions): Omit<WireSocketOptions, 'reconnectAfterMs' | 'rejoinAfterMs'> & {
  reconnectAfterMs?: number | ((tries: number) => number);
  rejoinAfterMs?: number | ((tries: number) => number);
} {
  const { reconnectAfterMs, rejoinAfterMs, ...rest } = wire;
  const out: ReturnType<typeof socketOptionsOf> = { ...rest };
  const reconnect = scheduleOption(reconnectAfterMs);
  const rejoin = scheduleOption(rejoinAfterMs);
  if (reconnect !== undefined) out.reconnectAfterMs = reconnect;
  if (rejoin !== undefined) out.rejoinAfterMs = rejoin;
  return out;
}

/**
 * Envelope kinds on the leader tab's `BroadcastChannel`. A BroadcastChannel reaches every tab, so protocol
 * messages travel inside an envelope that names the leader and the one tab port they are for.
 */
export const LEADER_ENVELOPES = Object.freeze({
  /** A tab port asks who leads. */
  who: 'who',
  /** The leader announces itself (at start and in answer to `who`). */
  leader: 'leader',
  /** The leader steps down: its tabs reconnect to the next one. */
  gone: 'gone',
  /** A tab message for the leader's host. */
  toLeader: 'to_leader',
  /** A host message for one tab port. */
  toTab: 'to_tab',
} as const);

/** One message on the leader tab's BroadcastChannel. `leader` and `port` are random ids. */
export type LeaderEnvelope =
  | (Base & { readonly e: 'who'; readonly port: string })
  | (Base & { readonly e: 'leader'; readonly leader: string })
  | (Base & { readonly e: 'gone'; readonly leader: string })
  | (Base & { readonly e: 'to_leader'; readonly leader: string; readonly port: string; readonly msg: unknown })
  | (Base & { readonly e: 'to_tab'; readonly leader: string; readonly port: string; readonly msg: unknown });

const ENVELOPE_KINDS: ReadonlySet<string> = new Set(Object.values(LEADER_ENVELOPES));

/** True for a well-formed envelope of this protocol version. */
export function isLeaderEnvelope(data: unknown): data is LeaderEnvelope {
  if (messageVersion(data) !== SHARED_PROTOCOL_VERSION) return false;
  const e = (data as { e?: unknown }).e;
  return typeof e === 'string' && ENVELOPE_KINDS.has(e);
}

/** Names of the BroadcastChannel and the election lock of the tabs sharing the socket `key`. */
export function leaderNames(key: string): { readonly channel: string; readonly lock: string } {
  return { channel: `phx-socket:leader:${key}`, lock: `phx-socket:leader:${key}` };
}
