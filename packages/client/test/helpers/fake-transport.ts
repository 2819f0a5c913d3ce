/** An in-memory WebSocket-shaped transport: the test opens, closes and feeds it by hand. */
import type { RawFrame, TransportCloseEvent, TransportLike, TransportMessageEvent } from '../../src/index';

export class FakeTransport implements TransportLike {
  static instances: FakeTransport[] = [];
  static get last(): FakeTransport {
    const t = FakeTransport.instances[FakeTransport.instances.length - 1];
    if (!t) throw new Error('no transport was created');
    return t;
  }

  readyState = 0;
  binaryType?: string;
  readonly sent: RawFrame[] = [];
  onopen: ((event?: unknown) => void) | null = null;
  onmessage: ((event: TransportMessageEvent) => void) | null = null;
  onclose: ((event: TransportCloseEvent) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  closedWith: { code?: number; reason?: string } | null = null;

  constructor(
    readonly url: string,
    readonly protocols?: string | string[],
  ) {
    FakeTransport.instances.push(this);
  }

  send(data: RawFrame): void {
    if (this.readyState !== 1) throw new Error('send on a transport that is not open');
    this.sent.push(data);
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    this.readyState = 2;
  }

  /** Test side: the transport opened. */
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }

  /** Test side: the transport closed. */
  serverClose(code = 1000, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason, wasClean: true });
  }

  /** Test side: an inbound frame. */
  receive(data: RawFrame): void {
    this.onmessage?.({ data });
  }

  /** Frames sent, decoded as V2 JSON arrays. */
  get messages(): unknown[][] {
    return this.sent.map((f) => JSON.parse(f as string) as unknown[]);
  }
}
