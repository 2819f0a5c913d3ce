import { describe, expect, it } from 'vitest';
import { perfFeatures, Socket, type Channel, type ChannelHandler } from '../src/index';
import { connected, echoRooms, server, socket, until } from './helpers/harness';

interface RoomIn {
  new_msg: { body: string };
}

const log: string[] = [];

class ChatHandler implements ChannelHandler<RoomIn> {
  constructor(readonly channel: Channel<RoomIn>) {
    log.push(`new ${channel.topic}`);
  }
  handleJoin(channel: Channel<RoomIn>, response: unknown): void {
    log.push(`join ${channel.topic} ${JSON.stringify(response)}`);
  }
  handleMessage(event: 'new_msg', payload: RoomIn['new_msg'], channel: Channel<RoomIn>): void {
    log.push(`msg ${channel.topic} ${event} ${payload.body}`);
  }
  handleClose(channel: Channel<RoomIn>, reason: unknown): void {
    log.push(`close ${channel.topic} ${String(reason)}`);
  }
}

describe('topicHandlers', () => {
  it('attaches a new handler instance to each channel whose topic matches, through its whole life', async () => {
    log.length = 0;
    const s = await server();
    echoRooms(s);
    const client = await connected(socket(s.url, { features: perfFeatures, topicHandlers: { 'room:*': ChatHandler } }));
    const room = client.channel('room:1');
    await room.join();
    const bound = new Promise((resolve) => room.on('new_msg', resolve));
    s.broadcast('room:1', 'new_msg', { body: 'hi' });
    await bound;
    await room.leave();
    await until(() => log.includes('close room:1 leave'));
    expect(log).toEqual(['new room:1', 'join room:1 {"joined":true}', 'msg room:1 new_msg hi', 'close room:1 leave']);
  });

  it('prefers an exact topic, falls back to defaultHandler, and shares handler objects', async () => {
    const s = await server();
    echoRooms(s);
    const seen: string[] = [];
    const shared = (name: string): ChannelHandler => ({ handleJoin: (channel) => void seen.push(`${name} ${channel.topic}`) });
    const client = await connected(
      socket(s.url, { features: perfFeatures, topicHandlers: { 'room:*': shared('pattern'), 'room:vip': shared('exact') }, defaultHandler: shared('default') }),
    );
    s.channel('other:*', { join: () => ({ ok: {} }) });
    await client.channel('room:1').join();
    await client.channel('room:vip').join();
    await client.channel('other:1').join();
    expect(seen).toEqual(['pattern room:1', 'exact room:vip', 'default other:1']);
    expect(client.stats().routeCache).toMatchObject({ attached: 2, defaulted: 1, unmatched: 0, patterns: 2 });
  });

  it('matches patterns once per topic and answers repeats from the route cache', async () => {
    const client = new Socket('ws://127.0.0.1:1/socket', { features: perfFeatures, topicHandlers: { 'room:*': {} }, routeCache: { size: 2 } });
    for (let i = 0; i < 3; i++) client.channel('room:1');
    client.channel('room:2');
    client.channel('room:3');
    expect(client.stats().routeCache).toMatchObject({ hits: 2, misses: 3, evictions: 1, entries: 2, attached: 5 });
  });

  it('isolates a throwing handler: handler:error, and the channel bindings still run', async () => {
    const s = await server();
    echoRooms(s);
    const client = await connected(
      socket(s.url, {
        features: perfFeatures,
        topicHandlers: {
          'room:*': {
            handleMessage: () => {
              throw new Error('handler bug');
            },
          },
        },
      }),
    );
    const errors: string[] = [];
    client.telemetry.on('handler:error', (e) => errors.push(e.metadata.where));
    const room = client.channel('room:1');
    await room.join();
    const heard = new Promise((resolve) => room.on('news', resolve));
    s.broadcast('room:1', 'news', { n: 1 });
    await expect(heard).resolves.toEqual({ n: 1 });
    expect(errors).toEqual(['handleMessage of the handler of "room:1"']);
  });

  it('keeps a channel onMessage override set before the handler, and hands the handler its result', async () => {
    const s = await server();
    echoRooms(s);
    const got: unknown[] = [];
    const client = await connected(socket(s.url, { features: perfFeatures, topicHandlers: { 'room:*': { handleMessage: (_e, payload) => void got.push(payload) } } }));
    const room = client.channel('room:1');
    await room.join();
    const heard = new Promise((resolve) => room.on('news', resolve));
    s.broadcast('room:1', 'news', { n: 2 });
    await heard;
    expect(got).toEqual([{ n: 2 }]);
  });

  it('validates topicHandlers, defaultHandler and routeCache eagerly', () => {
    expect(() => new Socket('/socket', { features: perfFeatures, topicHandlers: 5 as never })).toThrow(TypeError);
    expect(() => new Socket('/socket', { features: perfFeatures, topicHandlers: { 'a:*': 'x' as never } })).toThrow(/topicHandlers\['a:\*'\]/);
    expect(() => new Socket('/socket', { features: perfFeatures, topicHandlers: { 'a:*': { handleJoin: 1 } as never } })).toThrow(/handleJoin/);
    expect(() => new Socket('/socket', { features: perfFeatures, defaultHandler: null as never })).toThrow(/defaultHandler/);
    expect(() => new Socket('/socket', { features: perfFeatures, topicHandlers: {}, routeCache: { size: 0 } })).toThrow(/routeCache\.size/);
    expect(() => new Socket('/socket', { features: perfFeatures, routeCache: [] as never })).toThrow(/routeCache must be an object/);
  });
});
