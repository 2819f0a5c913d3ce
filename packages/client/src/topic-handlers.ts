/**
 * Topic handlers (`topicHandlers: { 'rooms:*': ChatHandler }`, `defaultHandler`): objects or classes,
 * like Phoenix's channel modules, attached by pattern to every channel the socket creates. The pattern
 * is matched once per topic and the answer kept in a `RouteCache`, so creating the ten-thousandth
 * `rooms:…` channel costs a `Map` read, not a walk over every pattern.
 */
import { Channel, type EventMap } from '@phx-socket/channel';
import { RouteCache, type RouteCacheOptions, type RouteCacheStats } from '@phx-socket/perf';
import { CHANNEL_EVENTS } from '@phx-socket/transport';

/**
 * Callbacks for the channels of a topic pattern. Every member is optional; each call is isolated (a
 * throw becomes `handler:error` telemetry).
 *
 * @example
 * class ChatHandler implements ChannelHandler<{ new_msg: { body: string } }> {
 *   constructor(readonly channel: Channel<{ new_msg: { body: string } }>) {}
 *   handleJoin(channel, response) { console.log('joined', channel.topic, response); }
 *   handleMessage(event, payload) { if (event === 'new_msg') render(payload); }
 *   handleClose(channel, reason) { console.log('closed', channel.topic, reason); }
 * }
 * new Socket(url, { topicHandlers: { 'rooms:*': ChatHandler } });
 */
export interface ChannelHandler<In extends object = EventMap, Out extends object = EventMap> {
  /** After every successful (re)join, with the server's join response. */
  handleJoin?(channel: Channel<In, Out>, response: unknown): void;
  /** Each inbound app event (not `phx_*` lifecycle events), after `channel.onMessage`, before `on()` bindings. */
  handleMessage?(event: keyof In & string, payload: In[keyof In], channel: Channel<In, Out>): void;
  /** The channel errored (server crash, connection lost); it will rejoin by itself. */
  handleError?(channel: Channel<In, Out>, reason: unknown): void;
  /** The channel closed for good (left, or closed by the server). */
  handleClose?(channel: Channel<In, Out>, reason: unknown): void;
}

/**
 * A handler class: one instance per channel, constructed with the channel. `never` parameters let a
 * class typed for its own event map (`constructor(channel: Channel<RoomIn>)`) be registered.
 */
export type ChannelHandlerClass = new (channel: never) => AnyChannelHandler;

/**
 * A `ChannelHandler` typed for any event maps: the socket cannot know a topic's maps, so registration
 * accepts every handler and each handler keeps its own typing.
 */
export interface AnyChannelHandler {
  handleJoin?(channel: never, response: unknown): void;
  handleMessage?(event: never, payload: never, channel: never): void;
  handleError?(channel: never, reason: unknown): void;
  handleClose?(channel: never, reason: unknown): void;
}

/** A shared handler object, or a class instantiated per channel. */
export type ChannelHandlerSpec = AnyChannelHandler | ChannelHandlerClass;

/** Pattern → handler. `*` matches any run of characters; exact topics win, then the first matching pattern. */
export type TopicHandlerMap = Readonly<Record<string, ChannelHandlerSpec>>;

/** `socket.stats().routeCache`: the route cache plus what the handlers did. */
export interface TopicHandlerStats extends RouteCacheStats {
  /** Channels a pattern's handler was attached to. */
  attached: number;
  /** Channels that got `defaultHandler` because no pattern matched. */
  defaulted: number;
  /** Channels left without a handler. */
  unmatched: number;
}

const LIFECYCLE = /* @__PURE__ */ new Set<string>(/* @__PURE__ */ Object.values(CHANNEL_EVENTS));

function checkSpec(option: string, spec: unknown): ChannelHandlerSpec {
  if (typeof spec === 'function') return spec as ChannelHandlerClass;
  if (typeof spec !== 'object' || spec === null) throw new TypeError(`${option} must be a handler object or class, got ${spec === null ? 'null' : typeof spec}`);
  for (const name of ['handleJoin', 'handleMessage', 'handleError', 'handleClose'] as const) {
    const member = (spec as Record<string, unknown>)[name];
    if (member !== undefined && typeof member !== 'function') throw new TypeError(`${option}.${name} must be a function`);
  }
  return spec as ChannelHandler;
}

/**
 * Resolves topics to handlers (cached) and wires a handler to a channel through the channel's public
 * API: `joinPush.receive('ok')`, `onError`, `onClose`, and `onMessage` (chained to any override
 * already set; an `onMessage` assigned *after* creation replaces it, as in phoenix.js).
 *
 * @example
 * const handlers = new TopicHandlers({ 'rooms:*': ChatHandler }, undefined, {}, reportError);
 * handlers.attach(socket.channel('rooms:1'));
 */
export class TopicHandlers {
  readonly #routes: RouteCache<ChannelHandlerSpec>;
  readonly #fallback: ChannelHandlerSpec | undefined;
  #counts = { attached: 0, defaulted: 0, unmatched: 0 };

  readonly #reportError: (error: unknown, where: string) => void;

  constructor(
    handlers: TopicHandlerMap | undefined,
    defaultHandler: ChannelHandlerSpec | undefined,
    routeCache: RouteCacheOptions | undefined,
    reportError: (error: unknown, where: string) => void,
  ) {
    this.#reportError = reportError;
    const map: Record<string, ChannelHandlerSpec> = {};
    if (handlers !== undefined) {
      if (typeof handlers !== 'object' || handlers === null || Array.isArray(handlers)) {
        throw new TypeError(`topicHandlers must be an object of pattern → handler, got ${handlers === null ? 'null' : typeof handlers}`);
      }
      for (const [pattern, spec] of Object.entries(handlers)) map[pattern] = checkSpec(`topicHandlers['${pattern}']`, spec);
    }
    this.#fallback = defaultHandler === undefined ? undefined : checkSpec('defaultHandler', defaultHandler);
    this.#routes = new RouteCache(map, routeCache, 'routeCache');
  }

  /** The route cache (cleared by hibernation). */
  get cache(): RouteCache<ChannelHandlerSpec> {
    return this.#routes;
  }

  /** Attaches the handler for `channel.topic` (or the default); returns the handler, if any. */
  attach(channel: Channel): AnyChannelHandler | undefined {
    let spec = this.#routes.resolve(channel.topic);
    if (spec !== undefined) this.#counts.attached++;
    else if (this.#fallback !== undefined) {
      spec = this.#fallback;
      this.#counts.defaulted++;
    } else {
      this.#counts.unmatched++;
      return undefined;
    }
    let handler: ChannelHandler;
    try {
      handler = (typeof spec === 'function' ? new spec(channel as never) : spec) as unknown as ChannelHandler;
    } catch (error) {
      this.#reportError(error, `constructing the handler of "${channel.topic}"`);
      return undefined;
    }
    this.#wire(channel, handler);
    return handler;
  }

  /** Route cache counters plus attach counts. */
  stats(): TopicHandlerStats {
    return { ...this.#routes.stats(), ...this.#counts };
  }

  #wire(channel: Channel, handler: ChannelHandler): void {
    const where = (what: string): string => `${what} of the handler of "${channel.topic}"`;
    const run = (what: string, fn: () => void): void => {
      try {
        fn();
      } catch (error) {
        this.#reportError(error, where(what));
      }
    };
    if (handler.handleJoin) channel.joinPush.receive('ok', (response) => run('handleJoin', () => handler.handleJoin?.(channel, response)));
    if (handler.handleError) channel.onError((reason) => run('handleError', () => handler.handleError?.(channel, reason)));
    if (handler.handleClose) channel.onClose((payload) => run('handleClose', () => handler.handleClose?.(channel, payload)));
    if (handler.handleMessage) {
      const previous = channel.onMessage;
      // An own property: only channels with a handler leave the channel's skip-onMessage fast path.
      channel.onMessage = (event, payload, ref, joinRef) => {
        const handled = previous.call(channel, event, payload, ref, joinRef);
        if (!LIFECYCLE.has(event)) run('handleMessage', () => handler.handleMessage?.(event, handled, channel));
        return handled;
      };
    }
  }
}
