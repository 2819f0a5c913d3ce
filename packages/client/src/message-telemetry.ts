/**
 * Message telemetry shared by the socket's inbound and outbound paths: the size a frame is reported
 * with, and the `message:dropped` event of a message a hook dropped.
 */
import type { Message } from '@phx-socket/transport';
import type { Telemetry } from './telemetry';

/** Size of a frame for telemetry: UTF-16 length for text (no re-encoding on the hot path), bytes for binary. */
export function frameSize(frame: unknown): number {
  if (typeof frame === 'string') return frame.length;
  if (frame instanceof ArrayBuffer) return frame.byteLength;
  if (ArrayBuffer.isView(frame)) return frame.byteLength;
  return 0;
}

/** `message:dropped` telemetry (reason `'hook'`) for a message a hook returned `null` for. */
export function droppedByHook(telemetry: Telemetry, message: Message): void {
  if (!telemetry.has('message:dropped')) return;
  telemetry.emit('message:dropped', {
    measurements: {},
    metadata: { topic: message.topic, event: message.event, join_ref: message.joinRef, reason: 'hook' },
  });
}
