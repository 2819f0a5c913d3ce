/**
 * A socket inside a deep reactive proxy, as Vue's `reactive(socket)` / `ref(socket)` makes it (MobX and
 * others wrap the same way): every method then runs with the proxy as `this`, and every object read
 * through it comes back proxied too (`socket.telemetry`, a channel, a Presence). ES `#private` members
 * throw there ("Cannot read private member"), so the objects an app holds use TS `private`, and the
 * socket's internals carry Vue's `__v_skip` flag (what `markRaw` sets) so the proxy stops at them.
 * Run over a real socket against the testkit: connect, join, push, broadcast, telemetry, presence,
 * typing, leave, a dropped connection and a reconnect.
 */
import { describe, expect, it } from 'vitest';
import { LongPoll, PerformanceMonitor, Presence, TypingIndicator, type Channel, type Socket } from '../src/index';
import { server, socket, until } from './helpers/harness';

// ── a deep reactive proxy with Vue 3's rules (packages/reactivity: reactive, baseHandlers, collectionHandlers) ──

const SKIP = '__v_skip';
const RAW = '__v_raw';
const proxies = new WeakMap<object, object>();

/** Vue wraps plain objects, class instances, arrays and the keyed collections; not frozen or marked ones. */
function wrappable(value: object): boolean {
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  const kind = ['Object', 'Array', 'Map', 'Set', 'WeakMap', 'WeakSet'].includes(tag);
  return kind && Object.isExtensible(value) && !(value as Record<string, unknown>)[SKIP];
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

function toRaw<T>(value: T): T {
  const raw = isObject(value) ? (value as Record<string, unknown>)[RAW] : undefined;
  return raw === undefined ? value : toRaw(raw as T);
}

const wrap = <T>(value: T): T => (isObject(value) ? reactive(value) : value);

/**
 * `reactive(target)`: reads through the proxy come back wrapped the same way; methods are not bound (they
 * run with the proxy as `this`); writes store raw values. Maps and Sets run their methods on the raw
 * collection (they have internal slots) and wrap what they hand out, as Vue does.
 */
function reactive<T extends object>(target: T): T {
  if ((target as Record<string, unknown>)[RAW] !== undefined || !wrappable(target)) return target;
  const known = proxies.get(target);
  if (known) return known as T;
  const collection = target instanceof Map || target instanceof Set || target instanceof WeakMap || target instanceof WeakSet;
  const proxy = new Proxy(target, collection ? collectionHandler() : objectHandler());
  proxies.set(target, proxy);
  return proxy;
}

function objectHandler<T extends object>(): ProxyHandler<T> {
  return {
    get(target, key, receiver) {
      if (key === RAW) return target;
      if (Array.isArray(target) && (key === 'includes' || key === 'indexOf' || key === 'lastIndexOf')) {
        const search = (Array.prototype as unknown as Record<string, (...args: unknown[]) => unknown>)[key] as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          const found = search.apply(target, args);
          return found === -1 || found === false ? search.apply(target, args.map(toRaw)) : found;
        };
      }
      return wrap(Reflect.get(target, key, receiver));
    },
    set(target, key, value, receiver) {
      return Reflect.set(target, key, toRaw(value), receiver);
    },
  };
}

type AnyCollection = Map<unknown, unknown> & Set<unknown>;

function collectionHandler<T extends object>(): ProxyHandler<T> {
  const methods: Record<PropertyKey, (this: object, ...args: never[]) => unknown> = {
    get(key: unknown) {
      const raw = toRaw(this) as AnyCollection;
      return wrap(raw.has(key) ? raw.get(key) : raw.get(toRaw(key)));
    },
    has(key: unknown) {
      const raw = toRaw(this) as AnyCollection;
      return raw.has(key) || raw.has(toRaw(key));
    },
    // Vue calls the collection's own `add` with one argument, whatever that `add` takes.
    add(value: unknown) {
      const raw = toRaw(this) as AnyCollection;
      if (!raw.has(toRaw(value))) raw.add(toRaw(value));
      return this;
    },
    set(key: unknown, value: unknown) {
      (toRaw(this) as AnyCollection).set(key, toRaw(value));
      return this;
    },
    delete(key: unknown) {
      const raw = toRaw(this) as AnyCollection;
      return raw.has(key) ? raw.delete(key) : raw.delete(toRaw(key));
    },
    clear() {
      (toRaw(this) as AnyCollection).clear();
    },
    forEach(callback: (value: unknown, key: unknown, collection: unknown) => void) {
      (toRaw(this) as AnyCollection).forEach((value: unknown, key: unknown) => callback(wrap(value), wrap(key), this));
    },
    *values() {
      for (const value of (toRaw(this) as AnyCollection).values()) yield wrap(value);
    },
    *keys() {
      for (const key of (toRaw(this) as AnyCollection).keys()) yield wrap(key);
    },
    *entries() {
      for (const [key, value] of (toRaw(this) as AnyCollection).entries()) yield [wrap(key), wrap(value)];
    },
  };
  methods[Symbol.iterator] = function (this: object) {
    return (toRaw(this) instanceof Map ? methods['entries'] : methods['values'])!.call(this);
  };
  return {
    get(target, key, receiver) {
      if (key === RAW) return target;
      if (key === 'size') return Reflect.get(target, key, target);
      if (Object.hasOwn(methods, key) && key in target) return methods[key];
      return wrap(Reflect.get(target, key, receiver));
    },
  };
}

// ── the app ──

function presenceRooms(s: Awaited<ReturnType<typeof server>>): void {
  s.channel('room:*', {
    presence: true,
    join: (_topic, params, channel) => {
      channel.assigns['user'] = params['user'];
      return { ok: { joined: true } };
    },
    afterJoin: (channel) => void s.track(channel, channel.topic, String(channel.assigns['user']), { online: true }),
    handleIn: (event, payload, channel) => {
      if (event === 'shout') {
        channel.broadcast('shout', payload);
        return { noreply: true };
      }
      return { reply: 'ok', response: payload };
    },
  });
}

/** What an app's store would hold: `reactive({ socket })`, read back through the store. */
function inStore<T extends object>(value: T): T {
  return reactive({ value }).value;
}

describe('reactive proxy helper (like Vue)', () => {
  it('wraps what is read, keeps identity per object, and leaves __v_skip objects alone', () => {
    const inner = { n: 1 };
    const skipped = { [SKIP]: true };
    const state = reactive({ inner, skipped, list: [inner], map: new Map([['k', inner]]) });
    expect(state.inner).not.toBe(inner);
    expect(toRaw(state.inner)).toBe(inner);
    expect(state.inner).toBe(state.inner);
    expect(state.skipped).toBe(skipped);
    expect(state.list.indexOf(inner)).toBe(0);
    expect(state.map.get('k')).toBe(state.inner);
    class Private {
      #x = 1;
      read(): number {
        return this.#x;
      }
    }
    // What the socket's objects must never do: the reason for this suite.
    expect(() => reactive(new Private()).read()).toThrow(TypeError);
  });
});

describe.each([
  ['WebSocket', {}],
  ['LongPoll', { transport: LongPoll, longPollWindowMs: 300 }],
] as const)('Socket in a reactive proxy over %s', (_name, transportOptions) => {
  it('connects, joins, pushes, hears broadcasts and presence, and telemetry reaches its subscribers', async () => {
    const s = await server({ longPollWindowMs: 300 });
    presenceRooms(s);
    const raw = socket(s.url, transportOptions);
    const live: Socket = inStore(raw);
    expect(live).not.toBe(raw);

    const seen: string[] = [];
    const off = live.telemetry.on('socket:connected', ({ metadata }) => seen.push(metadata.transport));
    const any: string[] = [];
    live.telemetry.on('*', (name) => any.push(name));
    const monitor = inStore(new PerformanceMonitor());
    monitor.attach(live.telemetry);
    const opened: string[] = [];
    live.onOpen(() => opened.push('open'));

    live.connect();
    await until(() => live.isConnected(), 5000, 'connected');
    expect(live.connectionState()).toBe('open');
    expect(live.state.status).toBe('open');
    expect(seen).toEqual([_name]);
    expect(opened).toEqual(['open']);

    const room: Channel = inStore(live.channel('room:1', { user: 'ann' }));
    const presence = inStore(new Presence(room));
    const synced: number[] = [];
    presence.onSync(() => synced.push(presence.count()));
    await expect(room.join()).resolves.toEqual({ joined: true });
    expect(room.state).toBe('joined');
    await expect(room.push('echo', { a: 1 })).resolves.toEqual({ a: 1 });

    const heard = new Promise((resolve) => room.on('shout', resolve));
    const again = new Promise((resolve) => room.on('shout', resolve));
    s.broadcast('room:1', 'shout', { text: 'hi' });
    await expect(heard).resolves.toEqual({ text: 'hi' });
    await expect(again).resolves.toEqual({ text: 'hi' });

    // A second member, through its own proxied socket.
    const other = inStore(socket(s.url, transportOptions));
    other.connect();
    const bob = inStore(other.channel('room:1', { user: 'bob' }));
    await bob.join();
    await until(() => presence.count() === 2, 5000, 'both present');
    expect(presence.list((key) => key).sort()).toEqual(['ann', 'bob']);
    expect(presence.inPendingSyncState()).toBe(false);
    expect(synced.length).toBeGreaterThan(0);

    const typing = inStore(new TypingIndicator(room, { timeoutMs: 50 }));
    const typed = s.waitFor('message', ({ message }) => message.event === 'typing');
    typing.typing();
    expect(typing.isTyping).toBe(true);
    await typed;
    typing.stop();
    expect(typing.isTyping).toBe(false);

    expect(live.ping(() => {})).toBe(true);
    expect(live.stats().hooks).toBeDefined();
    const offHook = live.use({ inbound: () => undefined });
    await expect(room.push('echo', { b: 2 })).resolves.toEqual({ b: 2 });
    offHook();

    expect(any).toContain('channel:joined');
    expect(monitor.summary().connected).toBe(true);
    expect(monitor.metrics().counters.joins).toBe(1);
    expect(monitor.report('text')).toContain('push rtt');
    off();

    // Leaving through the proxy forgets the channel (the router gets the channel it stored, not the proxy).
    await bob.leave();
    await until(() => presence.count() === 1, 5000, 'bob left');
    expect((other as unknown as { router: { size: number } })['router'].size).toBe(0);
    presence.dispose();
  });

  it('comes back after a dropped connection: reconnects, rejoins, pushes buffered while offline go out', async () => {
    const s = await server({ longPollWindowMs: 300 });
    presenceRooms(s);
    const live = inStore(socket(s.url, transportOptions));
    live.connect();
    const room = inStore(live.channel('room:2', { user: 'ann' }));
    await room.join();
    const rejoined = s.waitFor('join', (e) => e.status === 'ok' && e.topic === 'room:2');
    await s.dropAll();
    await until(() => !live.isConnected(), 5000, 'saw the drop');
    const buffered = room.push('echo', { while: 'offline' });
    await rejoined;
    await expect(buffered).resolves.toEqual({ while: 'offline' });
    expect(room.state).toBe('joined');
    expect(s.stats().totalConnections).toBe(2);

    const closed = new Promise<void>((resolve) => live.disconnect(resolve));
    await closed;
    expect(live.isConnected()).toBe(false);
    live.connect();
    await until(() => live.isConnected() && room.state === 'joined', 5000, 'reconnected and rejoined');
  });
});
