/**
 * Just enough of the protobuf wire format to read the few fields the references name (no schema, no codegen):
 * Antigravity's summaries index and trajectory metadata, Cursor CLI's linking blobs. Pure and total: malformed
 * input yields what could be read before the damage, never an exception.
 */

export interface WireField {
  readonly field: number;
  /** 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32. */
  readonly wireType: 0 | 1 | 2 | 5;
  /** Varints as numbers (exact up to 2^53; larger ones lose precision, which no field read here needs). */
  readonly varint?: number;
  /** Length-delimited payload (a view into the input, not a copy). */
  readonly bytes?: Uint8Array;
}

const MAX_VARINT_BYTES = 10;

/** Reads a varint at `pos`; returns [value, next position] or null when it runs off the end or is too long. */
function readVarint(buf: Uint8Array, pos: number): [number, number] | null {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < MAX_VARINT_BYTES; i++) {
    if (pos >= buf.length) return null;
    const b = buf[pos++];
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, pos];
    scale *= 128;
  }
  return null;
}

/**
 * The top-level fields of one message, in order. Stops at the first malformed field (unknown wire type, length past
 * the end); `complete` says whether the whole buffer parsed, which callers use to tell a message from a string.
 */
export function readFields(buf: Uint8Array): { fields: WireField[]; complete: boolean } {
  const fields: WireField[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const key = readVarint(buf, pos);
    if (!key) return { fields, complete: false };
    pos = key[1];
    const field = Math.floor(key[0] / 8);
    const wireType = key[0] % 8;
    if (field === 0) return { fields, complete: false };
    if (wireType === 0) {
      const v = readVarint(buf, pos);
      if (!v) return { fields, complete: false };
      fields.push({ field, wireType, varint: v[0] });
      pos = v[1];
    } else if (wireType === 2) {
      const len = readVarint(buf, pos);
      if (!len || len[1] + len[0] > buf.length) return { fields, complete: false };
      fields.push({ field, wireType, bytes: buf.subarray(len[1], len[1] + len[0]) });
      pos = len[1] + len[0];
    } else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      if (pos + size > buf.length) return { fields, complete: false };
      fields.push({ field, wireType, bytes: buf.subarray(pos, pos + size) });
      pos += size;
    } else {
      return { fields, complete: false };
    }
  }
  return { fields, complete: true };
}

/** First length-delimited field `n`, or undefined. */
export function bytesField(fields: readonly WireField[], n: number): Uint8Array | undefined {
  return fields.find((f) => f.field === n && f.wireType === 2)?.bytes;
}

/** Every length-delimited field `n`, in order (repeated fields). */
export function repeatedBytes(fields: readonly WireField[], n: number): Uint8Array[] {
  return fields.filter((f) => f.field === n && f.wireType === 2).map((f) => f.bytes!);
}

/** Field `n` as UTF-8 text, or undefined when absent or not valid UTF-8. */
export function stringField(fields: readonly WireField[], n: number): string | undefined {
  const b = bytesField(fields, n);
  if (!b) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return undefined;
  }
}

/** Field `n` parsed as a sub-message (its fields), or undefined when absent or not a well-formed message. */
export function messageField(fields: readonly WireField[], n: number): WireField[] | undefined {
  const b = bytesField(fields, n);
  if (!b) return undefined;
  const sub = readFields(b);
  return sub.complete ? sub.fields : undefined;
}

export function varintField(fields: readonly WireField[], n: number): number | undefined {
  return fields.find((f) => f.field === n && f.wireType === 0)?.varint;
}

/** A `google.protobuf.Timestamp` sub-message (1 seconds, 2 nanos) as epoch ms, or null. */
export function timestampField(fields: readonly WireField[], n: number): number | null {
  const ts = messageField(fields, n);
  if (!ts) return null;
  const seconds = varintField(ts, 1);
  if (seconds === undefined) return null;
  return seconds * 1000 + Math.floor((varintField(ts, 2) ?? 0) / 1e6);
}
