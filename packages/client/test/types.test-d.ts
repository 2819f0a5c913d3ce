/** Compile-time checks (run by `tsc`): calls that must compile, and `@ts-expect-error` for misuse. */
import { Socket, type SocketState } from '../src/index';

// Type aliases: Channel's `EventMap` constraint has an index signature, which interfaces do not satisfy
// (reported to the channel owner).
type RoomIn = {
  new_msg: { body: string };
};
type RoomOut = {
  send: { body: string };
};

declare const socket: Socket;

const room = socket.channel<RoomIn, RoomOut>('room:1');
room.on('new_msg', (msg) => msg.body.toUpperCase());
room.push('send', { body: 'hi' });
// @ts-expect-error inbound payload is typed
room.on('new_msg', (msg) => msg.missing);

socket.telemetry.on('push:reply', (e) => e.measurements.rtt_ms.toFixed());
// @ts-expect-error unknown telemetry event
socket.telemetry.on('socket:exploded', () => {});
// @ts-expect-error measurements are typed per event
socket.telemetry.on('heartbeat', (e) => e.measurements.bytes);
socket.telemetry.on('*', (name, event) => `${name} ${JSON.stringify(event.measurements)}`);

const state: SocketState = socket.state;
if (state.status === 'reconnecting') state.nextAttemptAt?.toFixed();
// @ts-expect-error connectedAt only exists on the open state
state.connectedAt;

// @ts-expect-error options are typed
new Socket('ws://x/socket', { heartbeatIntervalMs: '30s' });
// @ts-expect-error overflow policy is a closed union
new Socket('ws://x/socket', { overflowPolicy: 'drop-newest' });
new Socket('ws://x/socket', { params: async () => ({ token: 't' }), authToken: () => 'tok', reconnectAfterMs: (tries) => tries * 10 });

// @ts-expect-error state is read-only
socket.state = state;

// Push options: a timeout number (phoenix.js) or an options object; misuse does not compile.
room.push('send', { body: 'hi' }, 5000);
room.push('send', { body: 'hi' }, { timeoutMs: 5000, maxResends: 1 });
// @ts-expect-error maxResends is a number
room.push('send', { body: 'hi' }, { maxResends: 'twice' });
// @ts-expect-error unknown push option
room.push('send', { body: 'hi' }, { retries: 2 });

socket.telemetry.on('socket:circuit_open', (e) => e.measurements.failures + e.measurements.cool_down_ms);
socket.telemetry.on('channel:circuit_open', (e) => e.metadata.topic.length);
if (state.status === 'suspended') state.resumeAt.toFixed();
new Socket('/socket', { circuitBreaker: false, healthyAfterMs: 500, inFlightPolicy: 'resend', maxResends: 2 });
// @ts-expect-error the breaker is an object or false
new Socket('/socket', { circuitBreaker: true });
