// The published CommonJS entries under jest's `jsdom` environment, where `TextEncoder` and `TextDecoder`
// are not globals (phoenix.js loads there, and many frontend apps test that way). Plain CommonJS that
// `require`s the built dist/ through each package's `exports` (the `browser` + `require` conditions, as
// jest-environment-jsdom resolves them), so no transform is involved.
const ENTRIES = [
  '@phx-socket/client',
  '@phx-socket/client/lite',
  '@phx-socket/client/shared',
  '@phx-socket/client/shared-worker',
  '@phx-socket/transport',
  '@phx-socket/channel',
  '@phx-socket/perf',
];

const text = (...codes) => Uint8Array.from(codes);
const ascii = (s) => Array.from(s, (c) => c.charCodeAt(0));

describe('the jsdom environment', () => {
  it('has no TextEncoder/TextDecoder globals (otherwise this suite proves nothing)', () => {
    expect(typeof TextEncoder).toBe('undefined');
    expect(typeof TextDecoder).toBe('undefined');
    expect(typeof window).toBe('object');
  });
});

describe('every entry', () => {
  it.each(ENTRIES)('%s loads from its built CommonJS file', (entry) => {
    expect(require.resolve(entry)).toMatch(/[/\\]dist[/\\][a-z-]+(\.browser)?\.cjs$/);
    const exports = require(entry);
    expect(Object.keys(exports).length).toBeGreaterThan(0);
  });
});

describe('@phx-socket/client', () => {
  const { Socket, v2Serializer } = require('@phx-socket/client');

  it('constructs a Socket without connecting', () => {
    const socket = new Socket('/socket', { params: { token: 't' } });
    expect(socket.isConnected()).toBe(false);
    expect(socket.channel('room:lobby', {}).topic).toBe('room:lobby');
  });

  it('round-trips a V2 JSON frame through the serializer', () => {
    const message = { joinRef: '1', ref: '2', topic: 'room:lobby', event: 'new_msg', payload: { body: 'héllo' } };
    const frame = v2Serializer.encode(message);
    expect(frame).toBe('["1","2","room:lobby","new_msg",{"body":"héllo"}]');
    expect(v2Serializer.decode(frame)).toEqual(message);
  });

  it('encodes a binary V2 push without TextEncoder', () => {
    const frame = v2Serializer.encode({ joinRef: '1', ref: '2', topic: 'r:é', event: 'e', payload: text(9) });
    expect(frame).toBeInstanceOf(ArrayBuffer);
    expect(Array.from(new Uint8Array(frame))).toEqual([0, 1, 1, 4, 1, ...ascii('12r:'), 0xc3, 0xa9, ...ascii('e'), 9]);
  });

  it('decodes binary V2 reply and broadcast frames without TextDecoder', () => {
    const reply = text(1, 1, 1, 4, 2, ...ascii('12r:'), 0xc3, 0xa9, ...ascii('ok'), 7, 8).buffer;
    const decoded = v2Serializer.decode(reply);
    expect(decoded).toMatchObject({ joinRef: '1', ref: '2', topic: 'r:é', event: 'phx_reply', payload: { status: 'ok' } });
    expect(Array.from(new Uint8Array(decoded.payload.response))).toEqual([7, 8]);

    const broadcast = text(2, 1, 2, ...ascii('tev'), 5).buffer;
    const message = v2Serializer.decode(broadcast);
    expect(message).toMatchObject({ joinRef: null, ref: null, topic: 't', event: 'ev' });
    expect(Array.from(new Uint8Array(message.payload))).toEqual([5]);
  });

  it('still reports malformed UTF-8 in a binary header as a DecodeError', () => {
    const { DecodeError } = require('@phx-socket/client');
    expect(() => v2Serializer.decode(text(2, 2, 1, 0xc3, 0x28, ...ascii('e')).buffer)).toThrow(DecodeError);
  });
});

describe('@phx-socket/client/lite', () => {
  const { Socket, jsonSerializer } = require('@phx-socket/client/lite');

  it('constructs a Socket and round-trips a JSON frame', () => {
    const socket = new Socket('/socket');
    expect(socket.isConnected()).toBe(false);
    const message = { joinRef: null, ref: '3', topic: 'phoenix', event: 'heartbeat', payload: {} };
    expect(jsonSerializer.decode(jsonSerializer.encode(message))).toEqual(message);
  });
});

describe('@phx-socket/transport', () => {
  const { encodeAuthTokenProtocol, decodeAuthTokenProtocol } = require('@phx-socket/transport');

  it('encodes and decodes a non-ASCII auth token without TextEncoder/TextDecoder', () => {
    expect(encodeAuthTokenProtocol('secret')).toBe('base64url.bearer.phx.c2VjcmV0');
    expect(decodeAuthTokenProtocol(encodeAuthTokenProtocol('tökén 😀'))).toBe('tökén 😀');
  });
});

describe('@phx-socket/client/shared', () => {
  const { SharedSocket } = require('@phx-socket/client/shared');

  it('constructs a SharedSocket and a channel without connecting (jsdom has no SharedWorker)', () => {
    const socket = new SharedSocket('ws://127.0.0.1:1/socket', { locks: null });
    const room = socket.channel('room:lobby', { user: 'ana' });
    expect(room.state).toBe('closed');
    expect(socket.mode).toBeNull();
    socket.dispose();
  });
});

describe('SocketPool', () => {
  const { SocketPool } = require('@phx-socket/client');

  it('constructs a SocketPool without opening a socket', () => {
    const pool = new SocketPool({ endpoints: ['ws://127.0.0.1:1/socket', 'ws://127.0.0.1:2/socket'] });
    expect(pool.stats().opened).toBe(0);
    pool.dispose();
  });
});
