/**
 * Keeping a session in step with a source that rewrites a conversation in place (Cursor's databases): each pass
 * re-derives the conversation's whole message list, and only the difference reaches the index.
 *
 * The state kept per session is three numbers' worth: how many messages the index holds and hashes of the first n
 * and first n - 1 of them. From those, {@link planSync} chooses the least invasive write:
 * - the stored messages are a prefix of the new list → append the rest (row ids and seq stay put, the common case);
 * - all but the last are → replace the last one and append (a reply that was still streaming, a tool result that
 *   arrived in the same bubble);
 * - otherwise → replace from the start (an edited prompt, a truncated conversation).
 */
import crypto from 'node:crypto';
import type { ParsedMessage } from '../model.js';
import type { IndexWriter } from '../store/writer.js';

export interface SyncState {
  /** Messages the index holds for the session from this source. */
  readonly n: number;
  /** Hash of the first n messages. */
  readonly h: string;
  /** Hash of the first n - 1 messages ('' when n is 0). */
  readonly h1: string;
}

export type SyncPlan =
  | { readonly kind: 'unchanged' }
  /** Keep the first `keep` stored messages, write the new list from index `keep` on. */
  | { readonly kind: 'write'; readonly keep: number };

/** Prefix hashes of a message list, at the positions asked for (plus the whole list and all but its last). */
export function prefixHashes(messages: readonly ParsedMessage[], at: readonly number[]): Map<number, string> {
  const wanted = new Set([...at, messages.length, Math.max(0, messages.length - 1)]);
  const out = new Map<number, string>();
  const hash = crypto.createHash('sha1');
  const take = (k: number) => {
    if (wanted.has(k)) out.set(k, hash.copy().digest('hex').slice(0, 20));
  };
  take(0);
  // Field by field with separators, rather than one JSON.stringify per message: texts can be large.
  const field = (v: string | null) => {
    hash.update(v === null ? '\u0001' : `${v.length}:`);
    if (v !== null) hash.update(v);
  };
  messages.forEach((m, i) => {
    field(m.sourceId);
    field(m.parentId);
    field(m.timestamp === null ? null : String(m.timestamp));
    field(`${m.role}|${m.kind}|${m.isError ? 1 : 0}|${m.isSidechain ? 1 : 0}|${m.subtype ?? ''}|${m.files.join('\u0000')}`);
    field(m.text);
    field(m.toolName);
    field(m.toolInput);
    field(m.toolUseId);
    field(m.data);
    take(i + 1);
  });
  return out;
}

/**
 * Pure: what to write. `storedCount` is what the index actually holds for the session (another source or a reset may
 * have changed it behind this state's back, in which case everything is rewritten).
 */
export function planSync(prev: SyncState | undefined, storedCount: number, hashes: Map<number, string>, newCount: number): SyncPlan {
  if (!prev || storedCount !== prev.n) return storedCount === 0 && newCount === 0 ? { kind: 'unchanged' } : { kind: 'write', keep: 0 };
  if (newCount >= prev.n && hashes.get(prev.n) === prev.h) {
    return newCount === prev.n ? { kind: 'unchanged' } : { kind: 'write', keep: prev.n };
  }
  if (prev.n >= 1 && newCount >= prev.n - 1 && hashes.get(prev.n - 1) === prev.h1) return { kind: 'write', keep: prev.n - 1 };
  return { kind: 'write', keep: 0 };
}

/** State after the index holds exactly `messages`. */
export function stateFor(messages: readonly ParsedMessage[], hashes: Map<number, string>): SyncState {
  const n = messages.length;
  return { n, h: hashes.get(n) ?? '', h1: n > 0 ? (hashes.get(n - 1) ?? '') : '' };
}

export interface SyncResult {
  readonly state: SyncState;
  readonly added: number;
  readonly removed: number;
}

/**
 * Brings the session's messages in line with `messages` (call inside a writer transaction, after upsertSession).
 * Message lists must have unique source ids: a duplicate would be dropped by the store and break the count.
 */
export function syncSession(
  writer: IndexWriter,
  sessionId: string,
  sourceFileId: number,
  messages: readonly ParsedMessage[],
  prev: SyncState | undefined,
): SyncResult {
  const storedCount = writer.nextSeq(sessionId) - 1;
  const hashes = prefixHashes(messages, prev ? [prev.n, Math.max(0, prev.n - 1)] : []);
  const plan = planSync(prev, storedCount, hashes, messages.length);
  if (plan.kind === 'unchanged') return { state: stateFor(messages, hashes), added: 0, removed: 0 };
  const removed = writer.deleteMessagesFrom(sessionId, plan.keep + 1);
  const added = writer.appendMessages(sessionId, sourceFileId, plan.keep + 1, messages.slice(plan.keep));
  return { state: stateFor(messages, hashes), added, removed };
}
