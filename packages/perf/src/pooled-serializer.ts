/**
 * Wraps a serializer so `cacheable()` payloads are JSON-encoded once through a `BinaryPool`. Every other
 * message costs one `instanceof` and goes to the wrapped serializer untouched.
 */
import { EncodeError, isBinaryPayload, v1Serializer, v2Serializer, type Message, type RawFrame, type Serializer } from '@phx-socket/transport';
import type { BinaryPool } from './binary-pool';
import { Cacheable } from './cacheable';

const str = (value: string | null): string => (value === null ? 'null' : JSON.stringify(value));

/**
 * A serializer that splices pooled payload JSON into V1/V2 frames. For binary payloads and for other
 * serializers (msgpack, custom) it unwraps the marker and delegates, so `cacheable()` is always safe.
 *
 * @example
 * const pool = new BinaryPool();
 * const serializer = pooledSerializer(v2Serializer, pool);
 * serializer.encode({ joinRef: '1', ref: '2', topic: 't', event: 'e', payload: cacheable(big) });
 */
export function pooledSerializer(base: Serializer, pool: BinaryPool): Serializer {
  const format = base === v2Serializer ? 'v2' : base === v1Serializer ? 'v1' : null;
  const encode = (message: Message): RawFrame => {
    const payload = message.payload;
    if (!(payload instanceof Cacheable)) return base.encode(message);
    const value: unknown = payload.value;
    if (format === null || isBinaryPayload(value)) return base.encode({ ...message, payload: value });
    let json: string | undefined;
    try {
      json = pool.json(payload.key, value);
    } catch (cause) {
      throw new EncodeError(`cannot encode the payload of "${message.event}" on "${message.topic}" as JSON: ${String(cause)}`, { cause });
    }
    if (json === undefined) return base.encode({ ...message, payload: value });
    const { joinRef, ref, topic, event } = message;
    if (format === 'v2') return `[${str(joinRef)},${str(ref)},${JSON.stringify(topic)},${JSON.stringify(event)},${json}]`;
    const head = `{"topic":${JSON.stringify(topic)},"event":${JSON.stringify(event)},"payload":${json},"ref":${str(ref)}`;
    return joinRef === null ? `${head}}` : `${head},"join_ref":${JSON.stringify(joinRef)}}`;
  };
  return Object.freeze({ name: base.name, vsn: base.vsn, encode, decode: base.decode.bind(base) });
}
