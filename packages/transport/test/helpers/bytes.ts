/** Builds byte-exact frames for tests: numbers are single bytes, strings are written as UTF-8. */
export function bytes(...parts: Array<number | string | Uint8Array>): Uint8Array {
  const chunks = parts.map((part) =>
    typeof part === 'number' ? Uint8Array.of(part) : typeof part === 'string' ? new TextEncoder().encode(part) : part,
  );
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** The same bytes as a standalone `ArrayBuffer`. */
export function buffer(...parts: Array<number | string | Uint8Array>): ArrayBuffer {
  return bytes(...parts).buffer as ArrayBuffer;
}

/** UTF-8 byte length of a string. */
export const utf8Length = (text: string): number => new TextEncoder().encode(text).byteLength;

/** The bytes of an `ArrayBuffer` as a plain array, for `toEqual`. */
export const toArray = (data: unknown): number[] => Array.from(new Uint8Array(data as ArrayBuffer));
