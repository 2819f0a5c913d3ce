import { describe, expect, it } from 'vitest';
import { encodeClientPush } from '../src/index';
import { RawClient } from './helpers/raw-client';
import { track, useServer } from './helpers/server';

const malformed: Array<[string, string | Buffer, string?]> = [
  ['invalid JSON', '{"not json'],
  ['an object instead of a V2 array', JSON.stringify({ topic: 'x' })],
  ['an array of the wrong arity', JSON.stringify(['1', '1', 'room:1'])],
  ['a non-string topic', JSON.stringify(['1', '1', 42, 'phx_join', {}])],
  ['a non-string event', JSON.stringify(['1', '1', 'room:1', null, {}])],
  ['a truncated binary frame', Buffer.from([0, 1, 1, 6, 5, 0x31])],
  ['an unknown binary kind byte', Buffer.from([9, 0, 0])],
  ['a server-only binary kind (broadcast) from a client', Buffer.from([2, 1, 1, 0x61, 0x62])],
  ['an empty binary frame', Buffer.alloc(0)],
  ['a V1 object without ref', JSON.stringify({ topic: 'room:1', event: 'x', payload: {} }), '1.0.0'],
  ['a V1 array', JSON.stringify(['1', '1', 'room:1', 'x', {}]), '1.0.0'],
];

describe('malformed client frames', () => {
  it.each(malformed)('closes the connection with 1011 on %s and keeps serving other clients', async (_name, frame, vsn) => {
    const server = await useServer();
    server.channel('room:*', {});
    const healthy = track(await RawClient.connect(server.url));
    const bad = track(await RawClient.connect(server.url, { vsn: vsn ?? '2.0.0' }));
    const event = server.waitFor('malformed');
    bad.send(frame);
    expect((await bad.closed).code).toBe(1011);
    expect((await event).error.code).toBe('PHX_TESTKIT_MALFORMED_FRAME');
    expect(server.stats().malformed).toBe(1);
    expect((await healthy.join('room:1'))[4]).toEqual({ status: 'ok', response: {} });
    const fresh = track(await RawClient.connect(server.url));
    expect((await fresh.join('room:2'))[4]).toEqual({ status: 'ok', response: {} });
  });

  it('accepts a V2 array with extra trailing elements, as Phoenix does', async () => {
    const server = await useServer();
    server.channel('room:*', {});
    const client = track(await RawClient.connect(server.url));
    client.send(['1', '1', 'room:1', 'phx_join', {}, 'extra']);
    expect((await client.reply('1'))[4]).toEqual({ status: 'ok', response: {} });
  });

  it('accepts a well-formed binary push with empty refs and payload', async () => {
    const server = await useServer();
    const seen = server.waitFor('message');
    const client = track(await RawClient.connect(server.url));
    client.send(Buffer.from(encodeClientPush(null, null, 'room:1', 'x', new Uint8Array())));
    const { message } = await seen;
    expect(message).toMatchObject({ joinRef: null, ref: null, topic: 'room:1', event: 'x', binary: true });
    expect((message.payload as Uint8Array).byteLength).toBe(0);
  });
});
