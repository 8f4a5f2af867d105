/**
 * File contents as the restore feature handles them: bytes identified by their git blob id, so contents read from
 * git, from Claude's backups and produced by replaying edits share one key and one copy.
 */
import crypto from 'node:crypto';

/** The id git gives these bytes as a blob (`git hash-object`): sha1 over `blob <size>\0<bytes>`. */
export function blobId(bytes: Uint8Array): string {
  const h = crypto.createHash('sha1');
  h.update(`blob ${bytes.length}\0`);
  h.update(bytes);
  return h.digest('hex');
}

/** The blob id of `text`'s UTF-8 bytes, without making them: replaying edits produces thousands of versions. */
export function textBlobId(text: string): string {
  const h = crypto.createHash('sha1');
  h.update(`blob ${Buffer.byteLength(text, 'utf8')}\0`);
  h.update(text, 'utf8');
  return h.digest('hex');
}

/** How much of a file binary detection looks at, as git does. */
const SNIFF_BYTES = 8000;

/** Git's rule: a NUL byte in the first 8000 bytes makes a file binary. */
export function isBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/**
 * The bytes as text when they are text that survives a UTF-8 round trip; null otherwise. Edits are replayed on
 * text, so a file whose bytes would change by decoding and re-encoding (binary, Latin-1) cannot be edited safely.
 */
export function asText(bytes: Buffer): string | null {
  if (isBinary(bytes)) return null;
  const text = bytes.toString('utf8');
  if (text.includes('\uFFFD') && !Buffer.from(text, 'utf8').equals(bytes)) return null;
  return text;
}

/**
 * Contents by blob id, with a text view decoded once. One per planned session. Versions produced by replaying edits
 * are kept as text and encoded only if their bytes are asked for (a diff or a restore of that version).
 */
export class ContentStore {
  private readonly bytes = new Map<string, Buffer>();
  private readonly texts = new Map<string, string | null>();

  /** Stores bytes, returning their blob id. */
  put(bytes: Buffer, knownId?: string): string {
    const id = knownId ?? blobId(bytes);
    if (!this.bytes.has(id)) this.bytes.set(id, bytes);
    return id;
  }

  putText(text: string): string {
    const id = textBlobId(text);
    if (!this.texts.has(id)) this.texts.set(id, text);
    return id;
  }

  has(id: string): boolean {
    return this.bytes.has(id) || typeof this.texts.get(id) === 'string';
  }

  get(id: string): Buffer {
    let b = this.bytes.get(id);
    if (!b) {
      const text = this.texts.get(id);
      if (typeof text !== 'string') throw new Error(`contents ${id} are not in the store`);
      b = Buffer.from(text, 'utf8');
      this.bytes.set(id, b);
    }
    return b;
  }

  /** The text of a stored blob, or null when it is binary or not UTF-8. */
  text(id: string): string | null {
    if (this.texts.has(id)) return this.texts.get(id)!;
    const t = asText(this.get(id));
    this.texts.set(id, t);
    return t;
  }

  get size(): number {
    let n = this.bytes.size;
    for (const [id, t] of this.texts) if (typeof t === 'string' && !this.bytes.has(id)) n++;
    return n;
  }
}
