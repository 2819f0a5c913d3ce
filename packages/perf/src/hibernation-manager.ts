/**
 * HibernationManager: notices when a socket has carried no app traffic for a while (heartbeats do not
 * count; in browsers a hidden page counts as idle) and makes it cheap to keep around — caches shed,
 * cleanup sweeps paused, and with `mode: 'disconnect'` the transport closed — then wakes it on the next
 * push, join, inbound message or page view. Modelled on tRPC's `lazy` close-when-idle client. It decides
 * *when*; the socket (its `HibernationHost`) decides *how*.
 */
import { bytes, durationMs, flag, invalid, optionsObject, platformScheduler, type PerfScheduler } from './options-check';

/** `'shed'` keeps the connection and drops memory; `'disconnect'` also closes the transport when allowed. */
export type HibernationMode = 'shed' | 'disconnect';

/** Why a socket hibernated: no traffic, a hidden page without traffic... or caches over `memoryThreshold`. */
export type HibernationReason = 'idle' | 'hidden' | 'memory';

/** What woke it. */
export type WakeReason = 'traffic' | 'push' | 'join' | 'visible' | 'connect';

/** `awake`; `shed` (caches dropped, connection kept); `disconnected` (transport closed by hibernation). */
export type HibernationState = 'awake' | 'shed' | 'disconnected';

/**
 * Options of `hibernation` (`new Socket(url, { hibernation: { enabled: true, idleTimeoutMs: 60_000 } })`).
 */
export interface HibernationOptions {
  /** Turn hibernation on. Giving the object without `enabled` turns it on too. @default true */
  enabled?: boolean;
  /**
   * Ms without app traffic (pushes, joins, inbound messages; heartbeats excluded) before hibernating.
   * Checked every quarter of it, so hibernation starts between 1× and 1.25× this. > 0. @default 300000
   */
  idleTimeoutMs?: number;
  /**
   * Bytes the socket's caches (binary pool + route cache) may hold; above it they are shed at the next
   * check (`socket:hibernated` with reason `'memory'`), traffic or not. `Infinity` = no limit.
   * @default Infinity
   */
  memoryThreshold?: number;
  /**
   * `'shed'`: drop caches, pause sweeps, keep the connection. `'disconnect'`: also close the transport
   * when no joined channel needs live delivery (see `needsLiveDelivery`), and reconnect + rejoin on the
   * next push, join or page view. Broadcasts sent while disconnected are not received. @default 'shed'
   */
  mode?: HibernationMode;
  /**
   * `mode: 'disconnect'` only: whether the joined channel `topic` must keep receiving while idle. The
   * transport closes only when this is false for every joined (or joining) channel. Return false for
   * topics whose state is re-sent on join (dashboards, presence lists). @default () => true (close only
   * when no channel is joined)
   */
  needsLiveDelivery?: (topic: string) => boolean;
  /**
   * Heartbeat interval while hibernated with the connection kept (`'shed'`), ms: fewer wake-ups of a
   * background tab or an idle bot. Keep it below the server's idle timeout (Phoenix closes a socket
   * silent for 60 s). `0` = unchanged. @default 0
   */
  heartbeatIntervalMs?: number;
}

/** Defaults of {@link HibernationOptions}. */
export const DEFAULT_HIBERNATION_OPTIONS = /* @__PURE__ */ Object.freeze({
  enabled: true,
  idleTimeoutMs: 300_000,
  memoryThreshold: Infinity,
  mode: 'shed' as HibernationMode,
  needsLiveDelivery: (_topic: string): boolean => true,
  heartbeatIntervalMs: 0,
});

/** Options after defaults and checks. */
export type ResolvedHibernationOptions = Readonly<Required<HibernationOptions>>;

/**
 * Checks `hibernation` eagerly (TypeError/RangeError naming the option); `null` when it is off.
 *
 * @example
 * resolveHibernationOptions({ idleTimeoutMs: 0 }); // RangeError: hibernation.idleTimeoutMs must be > 0 ...
 */
export function resolveHibernationOptions(options: HibernationOptions | undefined, option = 'hibernation'): ResolvedHibernationOptions | null {
  if (options === undefined) return null;
  const given = optionsObject<HibernationOptions>(option, options);
  const d = DEFAULT_HIBERNATION_OPTIONS;
  const mode = given.mode ?? d.mode;
  if (mode !== 'shed' && mode !== 'disconnect') invalid(typeof mode === 'string' ? 'range' : 'type', `${option}.mode`, "'shed' or 'disconnect'", mode);
  const live = given.needsLiveDelivery ?? d.needsLiveDelivery;
  if (typeof live !== 'function') invalid('type', `${option}.needsLiveDelivery`, 'a function (topic) => boolean', live);
  const resolved = Object.freeze({
    enabled: flag(`${option}.enabled`, given.enabled, d.enabled),
    idleTimeoutMs: durationMs(`${option}.idleTimeoutMs`, given.idleTimeoutMs, d.idleTimeoutMs, false),
    memoryThreshold: bytes(`${option}.memoryThreshold`, given.memoryThreshold, d.memoryThreshold),
    mode,
    needsLiveDelivery: live,
    heartbeatIntervalMs: durationMs(`${option}.heartbeatIntervalMs`, given.heartbeatIntervalMs, d.heartbeatIntervalMs, true),
  });
  return resolved.enabled ? resolved : null;
}

/** `socket:hibernated` telemetry. */
export interface HibernatedEvent {
  measurements: { bytes_released: number; idle_ms: number };
  metadata: { reason: HibernationReason; mode: HibernationMode };
}

/** `socket:woke` telemetry. */
export interface WokeEvent {
  measurements: { hibernated_ms: number };
  metadata: { reason: WakeReason; reconnect: boolean };
}

/** What the manager asks of its socket. */
export interface HibernationHost {
  /** Drops caches (and any other memory that can be rebuilt); returns the approximate bytes released. */
  shed(): number;
  /** Restarts what `shed()` paused (cleanup sweeps). */
  unshed(): void;
  /** Bytes the caches hold now, compared with `memoryThreshold`. */
  heldBytes(): number;
  /** `mode: 'disconnect'`: true when the transport may close now (no channel needs live delivery). */
  canDisconnect(): boolean;
  /** Closes the transport without giving up the socket (channels rejoin after `reconnect()`). */
  disconnect(): void;
  /** Opens the transport again. */
  reconnect(): void;
  /** True while a browser page is hidden. */
  isPageHidden(): boolean;
  hibernated(event: HibernatedEvent): void;
  woke(event: WokeEvent): void;
}

/** Counters since creation and the current state. */
export interface HibernationStats {
  state: HibernationState;
  /** Times the socket hibernated (any reason, memory sheds included). */
  hibernations: number;
  /** Of which: sheds because caches exceeded `memoryThreshold`. */
  memorySheds: number;
  /** Times it woke. */
  wakes: number;
  /** Approximate bytes released over all hibernations. */
  bytesReleased: number;
  /** Ms spent hibernated, the current stretch included. */
  hibernatedMs: number;
}

/** Idle is checked this many times per `idleTimeoutMs`: a flag per message beats a clock read per message. */
const CHECKS_PER_TIMEOUT = 4;

/**
 * The idle clock. The socket calls `touch()` on app traffic (one store), `demand()` when something needs
 * the connection, `start()`/`stop()` as the app connects and disconnects.
 *
 * @example
 * const manager = new HibernationManager(resolveHibernationOptions({ idleTimeoutMs: 60_000 })!, host, scheduler);
 * manager.start();
 * // per app message: manager.touch();  before a push or join: manager.demand('push');
 */
export class HibernationManager {
  /** The options in effect. */
  readonly options: ResolvedHibernationOptions;
  #current: HibernationState = 'awake';
  #running = false;
  #touched = false;
  #quietChecks = 0;
  #timer: unknown = null;
  #since = 0;
  #counts = { hibernations: 0, memorySheds: 0, wakes: 0, bytesReleased: 0, hibernatedMs: 0 };

  readonly #host: HibernationHost;
  readonly #scheduler: PerfScheduler;
  constructor(
    options: ResolvedHibernationOptions,
    host: HibernationHost,
    scheduler: PerfScheduler = platformScheduler,
  ) {
    this.#host = host;
    this.#scheduler = scheduler;
    this.options = options;
  }

  /** The current state. */
  get state(): HibernationState {
    return this.#current;
  }

  /** True while hibernated (shed or disconnected). */
  get hibernated(): boolean {
    return this.#current !== 'awake';
  }

  /** The socket connects (the app called `connect()`): start watching for idleness. */
  start(): void {
    if (this.#current === 'disconnected') this.#awaken('connect', false);
    if (this.#running) return;
    this.#running = true;
    this.#quietChecks = 0;
    this.#arm();
  }

  /** The app disconnected: stop watching, and never reconnect on its behalf. */
  stop(): void {
    this.#running = false;
    this.#disarm();
    if (this.#current !== 'awake') this.#awaken('connect', false);
  }

  /** App traffic went by. Wakes a shed socket unless the page is hidden (a hidden page counts as idle). */
  touch(): void {
    this.#touched = true;
    if (this.#current !== 'awake' && this.#running && !this.#host.isPageHidden()) this.#awaken('traffic', this.#current === 'disconnected');
  }

  /** Something needs the connection now (a push, a join): wakes the socket, reconnecting if needed. */
  demand(reason: 'push' | 'join'): void {
    this.#touched = true;
    if (this.#current !== 'awake' && this.#running) this.#awaken(reason, this.#current === 'disconnected');
  }

  /** The page became visible again. */
  visible(): void {
    if (this.#current !== 'awake' && this.#running) this.#awaken('visible', this.#current === 'disconnected');
  }

  /** Counters and state. */
  stats(): HibernationStats {
    const ongoing = this.#current === 'awake' ? 0 : this.#scheduler.now() - this.#since;
    return { state: this.#current, ...this.#counts, hibernatedMs: this.#counts.hibernatedMs + ongoing };
  }

  /** Stops every timer; the manager is inert afterwards. */
  dispose(): void {
    this.#running = false;
    this.#disarm();
  }

  get #checkEveryMs(): number {
    return this.options.idleTimeoutMs / CHECKS_PER_TIMEOUT;
  }

  #arm(): void {
    if (this.#timer !== null || !this.#running || this.#current === 'disconnected') return;
    // Shed in 'shed' mode there is nothing left to check until traffic wakes the socket: no timer at all.
    if (this.#current === 'shed' && this.options.mode !== 'disconnect') return;
    // While shed in 'disconnect' mode, keep looking (slowly) for the moment the transport may close.
    const every = this.#current === 'awake' ? this.#checkEveryMs : this.options.idleTimeoutMs;
    this.#timer = this.#scheduler.setTimeout(() => {
      this.#timer = null;
      this.#check();
      this.#arm();
    }, every);
  }

  #disarm(): void {
    if (this.#timer === null) return;
    this.#scheduler.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #check(): void {
    if (this.#current === 'shed') {
      if (this.options.mode === 'disconnect' && this.#host.canDisconnect()) this.#disconnect();
      return;
    }
    if (this.#current !== 'awake') return;
    const hidden = this.#host.isPageHidden();
    if (this.#touched && !hidden) this.#quietChecks = 0;
    else this.#quietChecks++;
    this.#touched = false;
    if (this.#quietChecks >= CHECKS_PER_TIMEOUT) this.#hibernate(hidden ? 'hidden' : 'idle');
    else if (this.#host.heldBytes() > this.options.memoryThreshold) this.#hibernate('memory');
  }

  #hibernate(reason: HibernationReason): void {
    const idleMs = this.#quietChecks * this.#checkEveryMs;
    const released = this.#host.shed();
    this.#current = 'shed';
    this.#since = this.#scheduler.now();
    this.#counts.hibernations++;
    if (reason === 'memory') this.#counts.memorySheds++;
    this.#counts.bytesReleased += released;
    let mode: HibernationMode = 'shed';
    if (reason !== 'memory' && this.options.mode === 'disconnect' && this.#host.canDisconnect()) {
      this.#current = 'disconnected';
      mode = 'disconnect';
    }
    this.#disarm();
    this.#host.hibernated({ measurements: { bytes_released: released, idle_ms: idleMs }, metadata: { reason, mode } });
    // Telemetry first, then close: subscribers see why the socket:disconnected that follows happened.
    if (mode === 'disconnect') this.#host.disconnect();
    this.#arm();
  }

  /** Shed → disconnected, once the last live channel went away. */
  #disconnect(): void {
    this.#current = 'disconnected';
    this.#disarm();
    this.#host.hibernated({ measurements: { bytes_released: 0, idle_ms: this.#scheduler.now() - this.#since }, metadata: { reason: 'idle', mode: 'disconnect' } });
    this.#host.disconnect();
  }

  #awaken(reason: WakeReason, reconnect: boolean): void {
    const hibernatedMs = this.#scheduler.now() - this.#since;
    this.#current = 'awake';
    this.#counts.wakes++;
    this.#counts.hibernatedMs += hibernatedMs;
    this.#quietChecks = 0;
    this.#disarm();
    this.#host.unshed();
    this.#host.woke({ measurements: { hibernated_ms: hibernatedMs }, metadata: { reason, reconnect } });
    if (reconnect) this.#host.reconnect();
    this.#arm();
  }
}
