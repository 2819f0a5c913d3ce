/**
 * The typed map of every telemetry event: name → `{ measurements, metadata }`, mirroring Elixir's
 * `:telemetry`. Durations are milliseconds (`*_ms`), sizes bytes.
 *
 * @example
 * socket.telemetry.on('push:reply', ({ measurements, metadata }) => log(metadata.topic, measurements.rtt_ms));
 */
export interface TelemetryEventMap {
  'socket:connecting': { measurements: { attempt: number }; metadata: { url: string; transport: string } };
  'socket:connected': { measurements: { duration_ms: number }; metadata: { url: string; transport: string } };
  'socket:disconnected': { measurements: Record<string, never>; metadata: { code: number; reason: string; requested: boolean } };
  'socket:error': { measurements: Record<string, never>; metadata: { error: unknown } };
  'socket:reconnect_scheduled': { measurements: { attempt: number; delay_ms: number }; metadata: { reason: string } };
  'socket:reconnect_exhausted': { measurements: { attempts: number }; metadata: Record<string, never> };
  /**
   * `failures` connections in a row failed or closed within `healthyAfterMs` of opening: the socket stops
   * for `cool_down_ms` (status `'suspended'`), then tries once more. `error` is the `CircuitOpenError`
   * `onError` callbacks got.
   */
  'socket:circuit_open': { measurements: { failures: number; cool_down_ms: number }; metadata: { reason: string; error: unknown } };
  /** A connection made after the circuit opened stayed up `healthyAfterMs`: retries count from zero again. */
  'socket:circuit_closed': { measurements: { open_ms: number }; metadata: Record<string, never> };
  heartbeat: { measurements: { rtt_ms: number }; metadata: { ref: string } };
  'heartbeat:timeout': { measurements: { timeout_ms: number }; metadata: { ref: string } };
  'channel:joining': { measurements: { attempt: number }; metadata: { topic: string; join_ref: string } };
  'channel:joined': { measurements: { duration_ms: number }; metadata: { topic: string; join_ref: string } };
  'channel:join_failed': { measurements: { duration_ms: number }; metadata: { topic: string; join_ref: string; reason: unknown } };
  'channel:left': { measurements: Record<string, never>; metadata: { topic: string; join_ref: string | null } };
  'channel:error': { measurements: Record<string, never>; metadata: { topic: string; join_ref: string | null; reason: unknown } };
  /**
   * A channel failed `failures` joins in a row (refused, timed out, or errored within `healthyAfterMs` of
   * joining): it waits `cool_down_ms` before the next rejoin. `error` is the `CircuitOpenError` its
   * `onError` handlers got.
   */
  'channel:circuit_open': { measurements: { failures: number; cool_down_ms: number }; metadata: { topic: string; error: unknown } };
  'message:sent': { measurements: { bytes: number }; metadata: { topic: string; event: string; ref: string | null } };
  'message:received': { measurements: { bytes: number }; metadata: { topic: string; event: string; ref: string | null } };
  'message:dropped': { measurements: Record<string, never>; metadata: { topic: string; event: string; join_ref: string | null; reason: 'stale_join_ref' | 'unknown_topic' | 'hook' } };
  'push:reply': { measurements: { rtt_ms: number }; metadata: { topic: string; event: string; ref: string; status: string } };
  'push:timeout': { measurements: { timeout_ms: number }; metadata: { topic: string; event: string; ref: string } };
  'buffer:overflow': { measurements: { limit: number; size: number }; metadata: { topic: string; event: string; policy: 'drop-oldest' | 'reject' } };
  'decode:error': { measurements: { bytes: number }; metadata: { error: unknown } };
  /** A user callback (channel handler, hook, telemetry subscriber) threw; dispatch went on. */
  'handler:error': { measurements: Record<string, never>; metadata: { error: unknown; where: string } };
  /** Something was configured but does not apply here (e.g. Node TCP tuning in a browser). Emitted once. */
  'transport:notice': { measurements: Record<string, never>; metadata: { message: string } };
  /**
   * The socket switched to its fallback transport (`longPollFallbackMs`): the primary did not open (or answer
   * a ping) within the limit, failed before opening, or the page session remembered an earlier switch
   * (`after_ms` 0). Every later (re)connect of this socket uses the fallback.
   */
  'transport:fallback': { measurements: { after_ms: number }; metadata: { from: string; to: string } };
  /**
   * `hibernation`: the socket went quiet (`idle`: no app traffic for `idleTimeoutMs`; `hidden`: the page was
   * hidden that long) or its caches passed `memoryThreshold` (`memory`). `bytes_released` is what the
   * caches gave back (approximate). `mode: 'disconnect'` means the transport is being closed too.
   */
  'socket:hibernated': {
    measurements: { bytes_released: number; idle_ms: number };
    metadata: { reason: 'idle' | 'hidden' | 'memory'; mode: 'shed' | 'disconnect' };
  };
  /**
   * `rateLimit`: app pushes (`kind: 'push'`) or joins (`kind: 'join'`) started waiting for the client-side
   * rate limit; `waiting` is how many wait now, `wait_ms` until the next may go. Nothing is dropped.
   */
  'rate_limit:throttled': { measurements: { waiting: number; wait_ms: number }; metadata: { kind: 'push' | 'join' } };
  /** `rateLimit`: every waiting push (or join) went out; `throttled_ms` since throttling started, `sent` meanwhile. */
  'rate_limit:released': { measurements: { throttled_ms: number; sent: number }; metadata: { kind: 'push' | 'join' } };
  /**
   * `rateLimit`: the server answered that the client is rate limited (`reason`): the socket's joins (`scope:
   * 'socket'`, after a refused join) or one channel's pushes (`scope: 'channel'`, after an error reply) wait
   * `pause_ms` (backoff over `attempt`, the consecutive limited replies).
   */
  'rate_limit:paused': {
    measurements: { pause_ms: number; attempt: number };
    metadata: { kind: 'push' | 'join'; scope: 'socket' | 'channel'; topic: string | null; reason: unknown };
  };
  /** `rateLimit`: a pause ended; what waited goes out again at the client-side rate. */
  'rate_limit:resumed': { measurements: { paused_ms: number }; metadata: { kind: 'push' | 'join'; scope: 'socket' | 'channel'; topic: string | null } };
  /**
   * `catchUp`: a numeric cursor jumped: `missed` messages (`from`..`to`) never arrived on `topic` (the server
   * skipped them or could not replay them).
   */
  'catch_up:gap': { measurements: { missed: number; from: number; to: number }; metadata: { topic: string; event: string } };
  /** `hibernation`: the socket woke; `reconnect` is true when it reopens a transport hibernation closed. */
  'socket:woke': {
    measurements: { hibernated_ms: number };
    metadata: { reason: 'traffic' | 'push' | 'join' | 'visible' | 'connect'; reconnect: boolean };
  };
  /**
   * `SharedSocket` (`@phx-socket/client/shared`): the tab uses the SharedWorker's socket (`'shared-worker'`),
   * the socket of a leader tab elected over Web Locks (`'leader-tab'`; `leader` is true in the tab that runs
   * it), or its own (`'local'`); `reason` says why (`shared_worker`, `no_shared_worker`, `elected`,
   * `leader_gone`, `worker_error`, `worker_start_timeout`, `worker_gone`, `worker_silent`, `version`,
   * `mode_option`, `released`...).
   */
  'shared:mode': {
    measurements: Record<string, never>;
    metadata: { mode: 'shared-worker' | 'leader-tab' | 'local'; reason: string; leader?: boolean };
  };
}

/** Name of a telemetry event. */
export type TelemetryEventName = keyof TelemetryEventMap;
/** Data of one telemetry event. */
export type TelemetryEvent<K extends TelemetryEventName = TelemetryEventName> = TelemetryEventMap[K];
