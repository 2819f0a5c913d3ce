/**
 * Everything the CLI prints on stdout goes through one `Printer`: with `--json` one JSON object per line
 * (`{"type": ..., ..., "ts": ...}`), else a readable line with a timestamp, coloured only on a terminal
 * without `NO_COLOR`. Errors are not printed here: `main` writes them to stderr.
 */

/** Where lines go (process.stdout fits). */
export interface LineSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** Record types of `--json` lines. */
export type RecordType = 'message' | 'reply' | 'status' | 'presence' | 'telemetry';

export interface PrinterOptions {
  json: boolean;
  /** Use ANSI colours (see `colorEnabled`). */
  color: boolean;
  out: LineSink;
  /** Clock for timestamps. @default () => new Date() */
  now?: () => Date;
}

/**
 * True when colours should be used: `out` is a terminal and `NO_COLOR` is absent or empty
 * (https://no-color.org).
 */
export function colorEnabled(out: LineSink, env: Readonly<Record<string, string | undefined>>): boolean {
  return out.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

const ANSI = Object.freeze({ dim: 2, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36 });
type Colour = keyof typeof ANSI;

/** JSON with binary payloads as `{"$binary": base64}`, errors as `{name, code, message}`, cycles cut. */
export function toJSON(value: unknown): string {
  const seen = new WeakSet<object>();
  return (
    JSON.stringify(value, function replace(_key, item: unknown) {
      if (typeof item === 'bigint') return item.toString();
      if (item instanceof ArrayBuffer) return { $binary: Buffer.from(item).toString('base64') };
      if (ArrayBuffer.isView(item)) return { $binary: Buffer.from(item.buffer, item.byteOffset, item.byteLength).toString('base64') };
      if (item instanceof Error) {
        const code = (item as { code?: unknown }).code;
        return code === undefined ? { name: item.name, message: item.message } : { name: item.name, code, message: item.message };
      }
      if (typeof item === 'function') return undefined;
      if (item !== null && typeof item === 'object') {
        // Buffer#toJSON runs before the replacer sees it.
        if ((item as { type?: unknown }).type === 'Buffer' && Array.isArray((item as { data?: unknown }).data)) {
          return { $binary: Buffer.from((item as { data: number[] }).data).toString('base64') };
        }
        if (seen.has(item)) return '[circular]';
        seen.add(item);
      }
      return item;
    }) ?? 'null'
  );
}

/**
 * Formats and writes every stdout line.
 *
 * @example
 * const printer = new Printer({ json: false, color: false, out: process.stdout });
 * printer.message('room:lobby', 'new_msg', { body: 'hi' }); // 12:00:00.000 room:lobby new_msg {"body":"hi"}
 */
export class Printer {
  readonly json: boolean;
  readonly #color: boolean;
  readonly #out: LineSink;
  readonly #now: () => Date;
  /** Wraps every write; the repl uses it to keep its prompt below the output. */
  #around: ((write: () => void) => void) | null = null;

  constructor(options: PrinterOptions) {
    this.json = options.json;
    this.#color = options.color && !options.json;
    this.#out = options.out;
    this.#now = options.now ?? (() => new Date());
  }

  /** Runs every later write through `around` (null: write directly). */
  wrapWrites(around: ((write: () => void) => void) | null): void {
    this.#around = around;
  }

  /** A message the server sent on a joined topic. */
  message(topic: string, event: string, payload: unknown): void {
    this.#emit('message', { topic, event, payload }, () => `${this.#paint('cyan', topic)} ${this.#paint('yellow', event)} ${toJSON(payload)}`);
  }

  /** The reply to a push. */
  reply(topic: string, event: string, status: string, response: unknown): void {
    const colour: Colour = status === 'ok' ? 'green' : 'red';
    this.#emit('reply', { topic, event, status, response }, () => `${this.#paint('cyan', topic)} ${event} ${this.#paint(colour, `reply ${status}`)} ${toJSON(response)}`);
  }

  /**
   * A lifecycle line (`connected`, `joined`, `left`, `disconnected`...). `fields` go into the JSON record;
   * `text` is the readable line.
   */
  status(status: string, text: string, fields: Record<string, unknown> = {}): void {
    this.#emit('status', { status, ...fields }, () => this.#paint('dim', text));
  }

  /** The presence list of a topic after a sync: `[{key, metas}]`. */
  presence(topic: string, entries: ReadonlyArray<{ key: string; metas: readonly unknown[] }>): void {
    this.#emit('presence', { topic, presences: entries }, () => {
      const who = entries.map(({ key, metas }) => (metas.length > 1 ? `${key} (${metas.length})` : key));
      return `${this.#paint('cyan', topic)} ${this.#paint('magenta', 'presence')} ${entries.length} online${who.length > 0 ? `: ${who.join(', ')}` : ''}`;
    });
  }

  /** One telemetry event of the socket. */
  telemetry(name: string, event: { measurements?: unknown; metadata?: unknown }): void {
    this.#emit('telemetry', { name, measurements: event.measurements ?? {}, metadata: event.metadata ?? {} }, () =>
      `${this.#paint('blue', `telemetry ${name}`)} ${toJSON(event.measurements ?? {})} ${toJSON(event.metadata ?? {})}`,
    );
  }

  /** A line of plain text (repl help, topic lists); a `status` record in JSON mode. */
  text(text: string): void {
    if (this.json) this.#emit('status', { status: 'info', text }, () => text);
    else this.#write(`${text}\n`);
  }

  #emit(type: RecordType, fields: Record<string, unknown>, readable: () => string): void {
    const now = this.#now();
    if (this.json) {
      this.#write(`${toJSON({ type, ...fields, ts: now.toISOString() })}\n`);
      return;
    }
    this.#write(`${this.#paint('dim', clock(now))} ${readable()}\n`);
  }

  #write(line: string): void {
    const around = this.#around;
    if (around === null) this.#out.write(line);
    else around(() => this.#out.write(line));
  }

  #paint(colour: Colour, text: string): string {
    return this.#color ? `\x1b[${ANSI[colour]}m${text}\x1b[0m` : text;
  }
}

/** `HH:MM:SS.mmm` in local time. */
function clock(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}
