/**
 * UTF-8 encode/decode shared by every serializer in this package.
 *
 * One `TextEncoder` and one `TextDecoder` are created on first use and cached: both are stateless
 * without `{ stream: true }`, so one of each serves every call and every socket. Nothing runs at module
 * load, so this file imports where the globals are missing (jest's `jsdom` environment; some embedded
 * runtimes). There, a small hand-written UTF-8 codec with the same results takes over, so binary frames
 * and auth tokens keep working.
 */

/** `undefined`: not looked up yet; `false`: the platform has none (use the fallback). */
let encoder: TextEncoder | false | undefined;
let decoder: TextDecoder | false | undefined;

/**
 * `fatal: true` makes malformed UTF-8 a thrown `TypeError` instead of a silent U+FFFD, so a corrupt
 * binary header is reported as a `DecodeError` rather than routed to a wrong topic. `ignoreBOM: true`
 * keeps a leading U+FEFF in a topic as the server sent it. The fallback behaves the same.
 */
const lookupDecoder = (): TextDecoder | false =>
  typeof TextDecoder === 'function' && new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

const lookupEncoder = (): TextEncoder | false => typeof TextEncoder === 'function' && new TextEncoder();

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

/**
 * Writes `text` as UTF-8 into `dest` from `offset`; returns the bytes written. `dest` must have room for
 * `utf8ByteLength(text)` bytes. Lone surrogates are written as U+FFFD, as `TextEncoder` does.
 *
 * @example
 * utf8EncodeInto('hé', frame, 5); // 3
 */
export function utf8EncodeInto(text: string, dest: Uint8Array, offset: number): number {
  const native = encoder ?? (encoder = lookupEncoder());
  if (native) return native.encodeInto(text, dest.subarray(offset)).written;
  let o = offset;
  // `for...of` yields a surrogate pair as one code point, so a surrogate seen here is a lone one.
  for (const char of text) {
    let c = char.codePointAt(0)!;
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) {
      dest[o++] = c;
      continue;
    }
    const tail = c < 0x800 ? 1 : c < 0x10000 ? 2 : 3; // continuation bytes
    dest[o++] = ((0xf0 << (3 - tail)) & 0xff) | (c >> (6 * tail)); // lead: 110xxxxx, 1110xxxx or 11110xxx
    for (let shift = 6 * (tail - 1); shift >= 0; shift -= 6) dest[o++] = 0x80 | ((c >> shift) & 0x3f);
  }
  return o - offset;
}

/**
 * The UTF-8 bytes of `text`, in a fresh array of exactly their size.
 *
 * @example
 * utf8Encode('é'); // Uint8Array [0xc3, 0xa9]
 */
export function utf8Encode(text: string): Uint8Array {
  const native = encoder ?? (encoder = lookupEncoder());
  if (native) return native.encode(text);
  const bytes = new Uint8Array(utf8ByteLength(text));
  utf8EncodeInto(text, bytes, 0);
  return bytes;
}

const malformed = (): TypeError => new TypeError('The encoded data was not valid UTF-8');

/**
 * Decodes UTF-8 `bytes`. Malformed input (a bad or truncated sequence, an overlong form, an encoded
 * surrogate, a code point above U+10FFFF) throws a `TypeError`; a leading byte order mark is kept.
 *
 * @example
 * utf8Decode(Uint8Array.of(0x68, 0xc3, 0xa9)); // 'hé'
 */
export function utf8Decode(bytes: Uint8Array): string {
  const native = decoder ?? (decoder = lookupDecoder());
  if (native) return native.decode(bytes);
  let text = '';
  const points: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i++]!;
    // Continuation bytes after the lead; C0, C1 (always overlong) and F5..FF never lead.
    const tail = lead < 0x80 ? 0 : lead < 0xc2 ? -1 : lead < 0xe0 ? 1 : lead < 0xf0 ? 2 : lead < 0xf5 ? 3 : -1;
    if (tail < 0 || i + tail > bytes.length) throw malformed();
    let c = tail ? lead & (0x3f >> tail) : lead;
    for (let k = 0; k < tail; k++) {
      const next = bytes[i++]!;
      if ((next & 0xc0) !== 0x80) throw malformed();
      c = (c << 6) | (next & 0x3f);
    }
    // Overlong forms, encoded surrogates and code points past U+10FFFF are malformed too.
    if (c < (tail === 2 ? 0x800 : tail === 3 ? 0x10000 : 0) || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) throw malformed();
    points.push(c);
    if (points.length >= 4096) {
      text += String.fromCodePoint(...points);
      points.length = 0;
    }
  }
  return text + String.fromCodePoint(...points);
}
