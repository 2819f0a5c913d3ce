/**
 * Builds the `Socket` a command talks through (serializer, transport, TLS, params, token) and waits for
 * its first connection: a connect that fails, closes before opening or takes longer than
 * `--connect-timeout` is a `connect_failed` error (exit 4) instead of the socket's endless retries.
 * Once a connection was up, the socket reconnects by itself as usual.
 */
import { readFileSync } from 'node:fs';
import { LongPoll, Socket, v1Serializer, v2Serializer, type Serializer, type SocketOptions } from '@phx-socket/client';
import type { ConnectOptions, SerializerName } from './args';
import { CliError, messageOf } from './errors';

/** The URL as shown in messages: no query string (it may carry tokens), no credentials. */
export function displayURL(text: string): string {
  try {
    const url = new URL(text);
    url.search = '';
    url.username = '';
    url.password = '';
    return url.toString();
  } catch {
    return text;
  }
}

/** The serializer for `--serializer`; msgpack is loaded only when asked for (it needs msgpackr). */
export async function loadSerializer(name: SerializerName): Promise<Serializer> {
  if (name === 'v1') return v1Serializer;
  if (name === 'v2') return v2Serializer;
  try {
    const { msgpackSerializer } = await import('@phx-socket/transport/msgpack');
    return msgpackSerializer;
  } catch (error) {
    throw new CliError(
      'usage',
      '--serializer msgpack needs the msgpackr package: npm install msgpackr (or npx -p msgpackr -p @phx-socket/cli phx-socket ...)',
      { cause: error },
    );
  }
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new CliError('bad_file', `cannot read --ca ${file}: ${code === 'ENOENT' ? 'no such file' : messageOf(error)}`);
  }
}

/** The `Socket` options for a command line. Reads `--ca` (a `bad_file` error when unreadable). */
export async function socketOptions(connect: ConnectOptions): Promise<SocketOptions> {
  const serializer = await loadSerializer(connect.serializer);
  const options: SocketOptions = {
    params: { ...connect.params },
    timeout: connect.timeoutMs,
    serializer,
  };
  if (connect.token !== undefined) options.authToken = connect.token;
  if (connect.longpoll) {
    options.transport = LongPoll;
  } else {
    options.transportOptions = {
      connectTimeoutMs: connect.connectTimeoutMs,
      rejectUnauthorized: !connect.insecure,
      ...(connect.caFile !== undefined ? { ca: readCa(connect.caFile) } : {}),
    };
  }
  return options;
}

function explain(reported: unknown, timeoutMs: number): string {
  const error = (reported as { error?: { code?: unknown } } | null)?.error;
  if (error?.code === 'connect_timeout') return `no connection within ${timeoutMs} ms (--connect-timeout)`;
  const message = messageOf(reported);
  if (/\b40[13]\b/.test(message)) return `${message} (the server refused the connection: check --params and --token)`;
  if (/\b404\b/.test(message)) return `${message} (no socket at this path: the URL is usually ws://host/socket)`;
  return message;
}

/**
 * Connects `socket` and resolves once it is open. Rejects with `connect_failed` on the first error or
 * close before opening, or after `timeoutMs`; the socket is then disconnected, so it stops retrying.
 */
export function firstConnect(socket: Socket, url: string, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error: CliError | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off(refs);
      if (error === null) resolve();
      else {
        socket.disconnect();
        reject(error);
      }
    };
    const failed = (why: string): CliError => new CliError('connect_failed', `cannot connect to ${displayURL(url)}: ${why}`);
    const refs = [
      socket.onOpen(() => finish(null)),
      socket.onError((reported) => finish(failed(explain(reported, timeoutMs)))),
      socket.onClose((event) => finish(failed(`closed before opening (code ${event.code}${event.reason ? `: ${event.reason}` : ''})`))),
    ];
    // The WebSocket transport has the same limit; whichever fires first reports the same words.
    const timer = setTimeout(() => finish(failed(`no connection within ${timeoutMs} ms (--connect-timeout)`)), timeoutMs);
    try {
      socket.connect();
    } catch (error) {
      finish(failed(messageOf(error)));
    }
  });
}
