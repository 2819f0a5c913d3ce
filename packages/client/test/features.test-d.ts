/** Compile-time checks for the optional components' options and APIs (run by `tsc`). */
import { cacheable, perfFeatures, Socket, type Channel, type ChannelHandler, type Message, type SocketStats } from '../src/index';

type RoomIn = { new_msg: { body: string } };

class ChatHandler implements ChannelHandler<RoomIn> {
  constructor(readonly channel: Channel<RoomIn>) {}
  handleMessage(_event: 'new_msg', payload: RoomIn['new_msg']): void {
    payload.body.toUpperCase();
  }
}

const socket = new Socket('wss://example.test/socket', {
  features: perfFeatures,
  binaryPool: { size: 10, maxAgeMs: 1000, cleanupIntervalMs: 0 },
  routeCache: { size: 10, ttlMs: 0 },
  topicHandlers: { 'rooms:*': ChatHandler, 'lobby': { handleJoin: (channel: Channel) => channel.topic } },
  defaultHandler: ChatHandler,
  hibernation: { idleTimeoutMs: 60_000, mode: 'disconnect', needsLiveDelivery: (topic) => topic.startsWith('live:') },
});

// @ts-expect-error mode is 'shed' | 'disconnect'
new Socket('/socket', { hibernation: { mode: 'sleep' } });
// @ts-expect-error sizes are numbers
new Socket('/socket', { binaryPool: { size: '10' } });
// @ts-expect-error a handler is an object or a class, not a string
new Socket('/socket', { topicHandlers: { 'rooms:*': 'ChatHandler' } });

const off: () => void = socket.use({ inbound: (m: Message) => (m.event === 'x' ? null : undefined) });
socket.use((m, direction) => {
  const d: 'inbound' | 'outbound' = direction;
  return d === 'inbound' ? { ...m, payload: {} } : undefined;
});
// @ts-expect-error a hook returns a message, null or nothing
socket.use({ outbound: () => 42 });
off();

const stats: SocketStats = socket.stats();
const hits: number | undefined = stats.binaryPool?.hits;
const state: 'awake' | 'shed' | 'disconnected' | undefined = stats.hibernation?.state;
void hits;
void state;

const room = socket.channel<RoomIn, { state: { cells: number[] } }>('rooms:1');
room.push('state', cacheable({ cells: [1] }));
// @ts-expect-error cacheable keeps the payload's type
room.push('state', cacheable({ cells: ['x'] }));
