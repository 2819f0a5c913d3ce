/**
 * One UTF-8 encoder and one decoder shared by every serializer in this package.
 *
 * Constructing a `TextEncoder`/`TextDecoder` per frame costs an allocation and, in some engines, a
 * native lookup; both objects are stateless when used without `{ stream: true }`, so one of each is
 * safe to share across all calls and all sockets.
 */

/** Shared UTF-8 encoder. */
export const utf8Encoder = /* @__PURE__ */ new TextEncoder();

/**
 * Shared UTF-8 decoder. `fatal: true` makes malformed UTF-8 a thrown `TypeError` instead of a silent
 * U+FFFD, so a corrupt binary header is reported as a `DecodeError` rather than routed to a wrong topic.
 * `ignoreBOM: true` keeps a leading U+FEFF in a topic as the server sent it.
 */
export const utf8Decoder = /* @__PURE__ */ new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * UTF-8 byte length of `text` without allocating the encoded bytes. Lone surrogates count as 3 bytes,
 * matching what `TextEncoder` writes for them (U+FFFD).
 *
 * @example
 * utf8ByteLength('héllo'); // 6
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
