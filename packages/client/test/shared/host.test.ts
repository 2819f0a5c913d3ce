/**
 * The worker-side host over real MessageChannel ports, against a real testkit server: one socket per
 * endpoint + params, channels reference-counted by topic + params, replies to the pushing tab only, and
 * tabs released on bye, port close or silence.
 */
import { describe, expect, it } from 'vitest';
import { server, until } from '../helpers/harness';
import { host, RawTab } from '../helpers/shared-tab';
import { SHARED_PROTOCOL_VERSION } from '../../src/shared/protocol';

async function chatServer() {
  const s = await server();
  s.channel('room:*', {
    presence: true,
    join: (_topic, params) => (params.user === 'nobody' ? { error: { reason: 'who?' } } : { ok: { welcome: params.user ?? 'anon' } }),
    afterJoin: (socket) => {
      s.track(socket, socket.topic, 'ana', { online_at: 1 });
    },
    handleIn: (event, payload) => ({ reply: 'ok', response: { echo: event, payload } }),
  });
  return s;
}

async function joinedTab(h: ReturnType<typeof host>, url: string, chan: number, params: Record<string, unknown> = {}): Promise<RawTab> {
  const tab = new RawTab(h);
  tab.hello(url);
  await tab.next('welcome');
  tab.send({ t: 'connect', params: null });
  tab.send({ t: 'join', chan, topic: 'room:lobby', params, timeoutMs: 2000 });
  await tab.next('joined', (m) => m.chans.includes(chan));
  return tab;
}

describe('SharedSocketHost', () => {
  it('welcomes a tab with the protocol version, its worker id and the socket state', async () => {
    const h = host({ workerLock: 'phx-socket:worker:test' });
    const tab = new RawTab(h);
    tab.hello('ws://127.0.0.1:1/socket');
    const welcome = await tab.next('welcome');
    expect(welcome).toMatchObject({ v: SHARED_PROTOCOL_VERSION, worker: 'phx-socket:worker:test', state: { status: 'idle' } });
    expect(h.stats()).toMatchObject({ tabs: 1, sockets: [{ tabs: 1, channels: [] }] });
  });

  it('shares one connection and one server channel between tabs joining the same topic and params', async () => {
    const s = await chatServer();
    const h = host();
    const a = await joinedTab(h, s.url, 1, { user: 'ana' });
    const b = await joinedTab(h, s.url, 7, { user: 'ana' });
    expect(s.stats()).toMatchObject({ connections: 1, totalConnections: 1, channels: 1, joins: 1 });
    expect(h.stats().sockets).toEqual([expect.objectContaining({ tabs: 2, channels: [{ topic: 'room:lobby', refs: 2, tabs: 2 }] })]);
    // The later tab got the first join's response without a second join.
    expect((await b.next('joined')).response).toEqual({ welcome: 'ana' });
    expect((await a.next('joined')).response).toEqual({ welcome: 'ana' });
  });

  it('gives a tab attaching later the presence state at once', async () => {
    const s = await chatServer();
    const h = host();
    const a = await joinedTab(h, s.url, 1);
    await a.next('event', (m) => m.event === 'presence_state');
    const b = await joinedTab(h, s.url, 2);
    const state = await b.next('event', (m) => m.event === 'presence_state');
    expect(state.payload).toMatchObject({ ana: { metas: [expect.objectContaining({ online_at: 1 })] } });
    expect(state.joinRef).toBe((await b.next('joined')).joinRef);
  });

  it('delivers each broadcast once to every attached tab, listing its channel objects', async () => {
    const s = await chatServer();
    const h = host();
    const a = await joinedTab(h, s.url, 1);
    const b = await joinedTab(h, s.url, 2);
    b.send({ t: 'join', chan: 3, topic: 'room:lobby', params: {}, timeoutMs: 2000 });
    await b.next('joined', (m) => m.chans.includes(3));
    s.broadcast('room:lobby', 'new_msg', { body: 'hi' });
    const ea = await a.next('event', (m) => m.event === 'new_msg');
    const eb = await b.next('event', (m) => m.event === 'new_msg');
    expect(ea).toMatchObject({ chans: [1], payload: { body: 'hi' } });
    expect(eb.chans.slice().sort()).toEqual([2, 3]);
    await new Promise((r) => setTimeout(r, 50));
    expect(a.all('event').filter((m) => m.event === 'new_msg')).toHaveLength(1);
    expect(b.all('event').filter((m) => m.event === 'new_msg')).toHaveLength(1);
  });

  it('sends a push reply only to the tab that pushed', async () => {
    const s = await chatServer();
    const h = host();
    const a = await joinedTab(h, s.url, 1);
    const b = await joinedTab(h, s.url, 2);
    b.send({ t: 'push', chan: 2, id: 42, event: 'ping', payload: { n: 1 }, timeoutMs: 2000, maxResends: null });
    const reply = await b.next('reply', (m) => m.id === 42);
    expect(reply).toMatchObject({ status: 'ok', response: { echo: 'ping', payload: { n: 1 } }, error: null });
    await new Promise((r) => setTimeout(r, 50));
    expect(a.all('reply')).toEqual([]);
  });

  it('keeps the server channel until the last tab leaves, then leaves it', async () => {
    const s = await chatServer();
    const h = host();
    const a = await joinedTab(h, s.url, 1);
    const b = await joinedTab(h, s.url, 2);
    a.send({ t: 'leave', chan: 1 });
    await new Promise((r) => setTimeout(r, 50));
    expect(s.stats().channels).toBe(1);
    s.broadcast('room:lobby', 'still', {});
    await b.next('event', (m) => m.event === 'still');
    b.send({ t: 'leave', chan: 2 });
    await until(() => s.stats().channels === 0, 2000, 'the server channel to be left');
    expect(s.stats().connections).toBe(1); // both tabs still want the socket
    expect(h.stats().sockets[0]?.channels).toEqual([]);
  });

  it('refuses a join of a shared topic with other params, with a final shared_params_mismatch', async () => {
    const s = await chatServer();
    const h = host();
    await joinedTab(h, s.url, 1, { user: 'ana' });
    const b = new RawTab(h);
    b.hello(s.url);
    await b.next('welcome');
    b.send({ t: 'join', chan: 2, topic: 'room:lobby', params: { user: 'bob' }, timeoutMs: 2000 });
    const refused = await b.next('join_failed');
    expect(refused).toMatchObject({ chans: [2], final: true, error: { code: 'shared_params_mismatch', name: 'SharedParamsMismatchError', response: { user: 'ana' } } });
    expect(refused.error.message).toContain('same params in every tab');
    expect(s.stats().joins).toBe(1);
  });

  it('tells a tab attaching to a refused channel the last refusal at once', async () => {
    const s = await chatServer();
    const h = host();
    const a = new RawTab(h);
    a.hello(s.url);
    a.send({ t: 'connect', params: null });
    a.send({ t: 'join', chan: 1, topic: 'room:lobby', params: { user: 'nobody' }, timeoutMs: 2000 });
    expect(await a.next('join_failed')).toMatchObject({ status: 'error', response: { reason: 'who?' }, final: false, error: { code: 'join_error' } });
    const b = new RawTab(h);
    b.hello(s.url);
    b.send({ t: 'join', chan: 2, topic: 'room:lobby', params: { user: 'nobody' }, timeoutMs: 2000 });
    expect(await b.next('join_failed', () => true, 500)).toMatchObject({ chans: [2], status: 'error', final: false });
  });

  it('runs one socket per endpoint and params, and closes it with its last tab', async () => {
    const s = await chatServer();
    const h = host();
    const a = new RawTab(h);
    a.hello(s.url, { key: 'k1' });
    a.send({ t: 'connect', params: null });
    const b = new RawTab(h);
    b.hello(s.url, { key: 'k2', params: { other: true } });
    b.send({ t: 'connect', params: null });
    await until(() => s.stats().connections === 2, 2000, 'two connections');
    a.send({ t: 'bye' });
    await until(() => s.stats().connections === 1, 2000, 'the first socket to close');
    expect(h.stats()).toMatchObject({ tabs: 1, sockets: [{ key: 'k2' }] });
  });

  it('keeps the socket up while any tab wants it connected', async () => {
    const s = await chatServer();
    const h = host();
    const a = await joinedTab(h, s.url, 1);
    const b = await joinedTab(h, s.url, 2);
    a.send({ t: 'disconnect' });
    await new Promise((r) => setTimeout(r, 50));
    expect(s.stats().connections).toBe(1);
    b.send({ t: 'disconnect' });
    await until(() => s.stats().connections === 0, 2000, 'the socket to close');
  });

  it('releases a tab whose port closes: its channels go, the socket stays for the others', async () => {
    const s = await chatServer();
    const h = host();
    const a = await joinedTab(h, s.url, 1);
    const b = await joinedTab(h, s.url, 2);
    a.close();
    await until(() => h.stats().tabs === 1, 2000, 'the closed tab to be released');
    expect(h.stats().sockets[0]?.channels).toEqual([{ topic: 'room:lobby', refs: 1, tabs: 1 }]);
    s.broadcast('room:lobby', 'after', {});
    await b.next('event', (m) => m.event === 'after');
    b.close();
    await until(() => s.stats().connections === 0 && s.stats().channels === 0, 2000, 'the socket to close with the last tab');
  });

  it('releases a tab that stays silent past its heartbeat timeout, and tells it to say hello again if it speaks', async () => {
    const s = await chatServer();
    const h = host();
    const a = new RawTab(h);
    a.hello(s.url, { timeoutMs: 150 });
    a.send({ t: 'connect', params: null });
    a.send({ t: 'join', chan: 1, topic: 'room:lobby', params: {}, timeoutMs: 2000 });
    await a.next('joined');
    await until(() => h.stats().tabs === 0, 2000, 'the silent tab to be released');
    await until(() => s.stats().channels === 0, 2000, 'its channel to be left');
    a.send({ t: 'ping' });
    expect(await a.next('refused')).toMatchObject({ reason: 'unknown_client' });
  });

  it('answers pings with pongs, which keeps a tab alive', async () => {
    const h = host();
    const a = new RawTab(h);
    a.hello('ws://127.0.0.1:1/socket', { timeoutMs: 150 });
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, 50));
      a.send({ t: 'ping' });
    }
    await a.next('pong');
    expect(h.stats().tabs).toBe(1);
  });

  it('refuses a tab of another protocol version by name', async () => {
    const h = host();
    const a = new RawTab(h);
    a.sendRaw({ v: SHARED_PROTOCOL_VERSION + 1, t: 'hello' });
    const refused = await a.next('refused');
    expect(refused.reason).toBe('version');
    expect(refused.message).toContain(`v${SHARED_PROTOCOL_VERSION + 1}`);
  });

  it('asks a tab for fresh params through its params function at every connect', async () => {
    const s = await chatServer();
    const h = host();
    const a = new RawTab(h);
    a.hello(s.url, { dynamic: { params: true, authToken: false } });
    a.send({ t: 'connect', params: null });
    const ask = await a.next('resolve');
    expect(ask.what).toBe('params');
    a.send({ t: 'resolved', id: ask.id, ok: true, value: { token: 'fresh' } });
    await until(() => s.stats().connections === 1, 2000, 'the connection');
    expect(s.connections[0]?.params).toMatchObject({ token: 'fresh' });
  });

  it('forwards socket telemetry to every tab and channel telemetry only to the tabs on that channel', async () => {
    const s = await chatServer();
    const h = host();
    const a = await joinedTab(h, s.url, 1);
    const b = new RawTab(h);
    b.hello(s.url);
    await b.next('welcome');
    s.broadcast('room:lobby', 'tick', {});
    await a.next('event', (m) => m.event === 'tick');
    await new Promise((r) => setTimeout(r, 30));
    const names = (tab: RawTab) => tab.all('telemetry').map((m) => m.name);
    expect(names(a)).toContain('channel:joined');
    expect(names(b)).not.toContain('channel:joined');
    expect(names(b)).not.toContain('message:received');
    expect(names(a)).not.toContain('push:reply'); // each tab times its own pushes
    expect(a.all('telemetry').at(-1)?.state.status).toBe('open');
  });
});
