/** Compile-time checks of rateLimit, channel options and catch-up (run by `tsc`). */
import { CatchUp, rateLimiting, Socket, type Gap, type RateLimitStats } from '../src/index';

declare const socket: Socket;

new Socket('wss://x/socket', { rateLimit: rateLimiting({ joinsPerSecond: 100, pushesPerSecond: 20, limitedReasons: ['slow_down'], pauseAfterMs: (tries) => tries * 500 }) });
new Socket('wss://x/socket', { rateLimit: rateLimiting({}) });
// @ts-expect-error the option is passed in through rateLimiting(), so apps that never limit do not bundle it
new Socket('wss://x/socket', { rateLimit: { joinsPerSecond: 100 } });
// @ts-expect-error rates are numbers
new Socket('wss://x/socket', { rateLimit: rateLimiting({ joinsPerSecond: '100' }) });

socket.channel('room:1', {}, { rateLimit: { pushesPerSecond: 5 } });
// @ts-expect-error a channel's rateLimit needs pushesPerSecond
socket.channel('room:1', {}, { rateLimit: { pushBurst: 5 } });
// @ts-expect-error channel options are rateLimit and catchUp only
socket.channel('room:1', {}, { rejoinAfterMs: 5 });

socket.channel('feed:1', {}, { catchUp: new CatchUp({ cursor: 'seq', onGap: (gap: Gap) => gap.missed.toFixed() }) });
// @ts-expect-error a cursor function returns a string or number
socket.channel('feed:1', {}, { catchUp: new CatchUp({ cursor: () => ({}) }) });

const stats: RateLimitStats | null = socket.rateLimitStats();
void stats;
const tracker = new CatchUp({ cursor: 'id' });
const cursor: string | number | undefined = tracker.cursor;
void cursor;
socket.telemetry.on('rate_limit:paused', ({ measurements, metadata }) => measurements.pause_ms + (metadata.topic ?? '').length);
socket.telemetry.on('catch_up:gap', ({ measurements }) => measurements.missed);
