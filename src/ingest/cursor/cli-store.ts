/**
 * cursor-agent's per-chat `store.db` (shared/formats/cursor.md §7) → one conversation. Pure.
 * `meta` key "0" holds hex-encoded JSON naming the root blob; `blobs` is content-addressed: message blobs are JSON
 * (`{role, content}`), linking blobs are protobuf whose 32-byte length-delimited fields are ids of other blobs.
 * Messages are the JSON blobs reached from the root, depth first, children in field order (oldest first).
 */
import { MAX_TOOL_INPUT_CHARS, type ParsedMessage } from '../../model.js';
import { capText } from '../claude/parse.js';
import { readFields } from '../protobuf.js';
import { capValue, interpolateTimestamps, isObject, toJson, makeMessage, str, titleOf, tryJson, type Json } from '../text.js';
import type { ConversationResult } from './composer.js';
import { cursorEdits, describeCursorTool, editsData, parseArgs, pathArg, resultIsError, resultText } from './tools.js';
import { resolveAgainst } from '../project-path.js';

export interface CliMeta {
  readonly agentId: string | null;
  readonly name: string | null;
  readonly mode: string | null;
  readonly createdAt: number | null;
  readonly lastUsedModel: string | null;
  readonly latestRootBlobId: string | null;
}

/** Decodes the hex-encoded JSON of `meta` key "0"; null when it is not that. */
export function decodeCliMeta(value: unknown): CliMeta | null {
  let text: string | null = null;
  if (typeof value === 'string' && /^[0-9a-fA-F]*$/.test(value) && value.length % 2 === 0) text = Buffer.from(value, 'hex').toString('utf8');
  else if (Buffer.isBuffer(value)) text = value.toString('utf8');
  if (text === null) return null;
  // Some builds may store the JSON itself: accept both.
  const v = tryJson(text) ?? (typeof value === 'string' ? tryJson(value) : undefined);
  if (!isObject(v)) return null;
  const createdAt = typeof v.createdAt === 'number' && Number.isFinite(v.createdAt) ? v.createdAt : null;
  return {
    agentId: str(v.agentId) ?? null,
    name: str(v.name) ?? null,
    mode: str(v.mode) ?? null,
    createdAt,
    lastUsedModel: str(v.lastUsedModel) ?? null,
    latestRootBlobId: str(v.latestRootBlobId) ?? null,
  };
}

const MAX_BLOBS_VISITED = 1_000_000;
const BLOB_ID_BYTES = 32;

export interface MessageBlob {
  readonly id: string;
  readonly json: Json;
}

/**
 * Walks the blob DAG from `rootId`. `get` returns a blob's bytes or undefined when the id is not in the table
 * (protobuf fields that merely look like ids are then ignored). Returns the message blobs in order.
 */
export function collectMessageBlobs(
  rootId: string,
  get: (id: string) => Uint8Array | undefined,
): { blobs: MessageBlob[]; missing: number; invalid: number } {
  const blobs: MessageBlob[] = [];
  const visited = new Set<string>();
  let missing = 0;
  let invalid = 0;
  const stack: string[] = [rootId.toLowerCase()];
  while (stack.length > 0 && visited.size < MAX_BLOBS_VISITED) {
    const id = stack.pop()!;
    if (visited.has(id)) continue;
    visited.add(id);
    const data = get(id);
    if (!data) {
      missing++;
      continue;
    }
    if (data[0] === 0x7b) {
      const v = tryJson(Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8'));
      if (isObject(v)) blobs.push({ id, json: v });
      else invalid++;
      continue;
    }
    const { fields } = readFields(data);
    const children: string[] = [];
    for (const f of fields) {
      if (f.wireType !== 2 || !f.bytes) continue;
      if (f.bytes.length === BLOB_ID_BYTES) {
        const child = Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength).toString('hex');
        if (!visited.has(child) && get(child)) children.push(child);
      } else if (f.bytes[0] === 0x7b) {
        // JSON embedded in a linking blob: a message only if it says whose it is.
        const v = tryJson(Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength).toString('utf8'));
        if (isObject(v) && typeof v.role === 'string') blobs.push({ id: `${id}#embedded`, json: v });
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return { blobs, missing, invalid };
}

const QUERY_OPEN = '<user_query>';
const QUERY_CLOSE = '</user_query>';

/** The user's own words inside cursor-agent's `<user_query>` wrapping; the text itself when unwrapped. */
export function unwrapUserQuery(text: string): { text: string; wrapped: boolean } {
  const start = text.indexOf(QUERY_OPEN);
  if (start === -1) return { text, wrapped: false };
  const end = text.indexOf(QUERY_CLOSE, start + QUERY_OPEN.length);
  const inner = text.slice(start + QUERY_OPEN.length, end === -1 ? undefined : end);
  return { text: inner.trim(), wrapped: true };
}

/** Context cursor-agent injects as a user message (`<user_info>…`, rules, attached files) rather than typed text. */
function isInjectedContext(text: string): boolean {
  return /^\s*<(user_info|rules|attached_files|project_layout|git_status|system_reminder|additional_data)\b/.test(text.slice(0, 200));
}

function blocksOf(content: unknown): Json[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? content.filter(isObject) : [];
}

function capInput(json: string): string {
  return json.length > MAX_TOOL_INPUT_CHARS ? `${json.slice(0, MAX_TOOL_INPUT_CHARS)}…` : json;
}

/**
 * Messages of one `{role, content}` record (store.db blob or transcript line), given its source id. Shared by the
 * store and the agent transcripts, whose blocks use `tool-call`/`tool-result` and `tool_use`/`tool_result` spellings.
 */
export function agentRecordMessages(
  sourceId: string,
  record: Json,
  project: string | null,
  at: { readonly byteOffset: number } | { readonly where: string },
): { messages: ParsedMessage[]; skip: string | null } {
  const byteOffset = 'byteOffset' in at ? at.byteOffset : 0;
  const cap = (t: string) => ('where' in at ? capValue(t, at.where) : capText(t, byteOffset));
  const role = str(record.role);
  const inner = isObject(record.message) ? record.message : record;
  const blocks = blocksOf(inner.content);
  const out: ParsedMessage[] = [];
  const id = () => (out.length === 0 ? sourceId : `${sourceId}#${out.length}`);
  const base = { byteOffset };
  if (role === 'user' || role === 'system') {
    const parts: string[] = [];
    let wrapped = false;
    for (const b of blocks) {
      if (b.type === 'text' && typeof b.text === 'string') {
        const u = unwrapUserQuery(b.text);
        wrapped ||= u.wrapped;
        parts.push(u.text);
      } else if (b.type === 'image' || b.type === 'image_url') parts.push('[image]');
      else if (b.type === 'tool_result' || b.type === 'tool-result') {
        out.push(resultMessage(id(), b, base, cap));
      }
    }
    const text = parts.join('\n').trim();
    if (text) {
      const system = role === 'system' || (!wrapped && isInjectedContext(text));
      out.unshift(
        makeMessage({
          ...base,
          sourceId: out.length === 0 ? sourceId : `${sourceId}#${out.length}`,
          role: system ? 'system' : 'user',
          kind: system ? 'system' : 'prompt',
          subtype: role === 'system' ? 'system-prompt' : system ? 'injected-context' : null,
          text: cap(text),
        }),
      );
    }
    return { messages: out, skip: out.length ? null : 'empty-message' };
  }
  if (role === 'assistant') {
    for (const b of blocks) {
      if (b.type === 'text' && typeof b.text === 'string' && b.text.trim()) {
        out.push(makeMessage({ ...base, sourceId: id(), role: 'assistant', kind: 'reply', text: cap(b.text) }));
      } else if ((b.type === 'reasoning' || b.type === 'thinking') && (typeof b.text === 'string' || typeof b.thinking === 'string')) {
        out.push(makeMessage({ ...base, sourceId: id(), role: 'assistant', kind: 'thinking', text: cap(str(b.text) ?? str(b.thinking) ?? '') }));
      } else if (b.type === 'tool-call' || b.type === 'tool_use') {
        const name = str(b.toolName) ?? str(b.name) ?? 'tool';
        const args = isObject(b.args) ? b.args : isObject(b.input) ? b.input : parseArgs(b.args ?? b.input);
        const file = pathArg(args);
        out.push(
          makeMessage({
            ...base,
            sourceId: id(),
            role: 'assistant',
            kind: 'tool-call',
            text: describeCursorTool(name, args),
            toolName: name,
            toolInput: capInput(toJson(args)),
            toolUseId: str(b.toolCallId) ?? str(b.id) ?? null,
            files: file ? [resolveAgainst(project, file)] : [],
            data: editsData(cursorEdits(name, args, undefined, project)),
          }),
        );
      }
    }
    return { messages: out, skip: out.length ? null : 'empty-message' };
  }
  if (role === 'tool') {
    for (const b of blocks) if (b.type === 'tool-result' || b.type === 'tool_result') out.push(resultMessage(id(), b, base, cap));
    return { messages: out, skip: out.length ? null : 'empty-message' };
  }
  return { messages: [], skip: `unknown-role:${String(role).slice(0, 40)}` };
}

function resultMessage(sourceId: string, b: Json, base: { byteOffset: number }, cap: (t: string) => string): ParsedMessage {
  const raw = b.result ?? b.content ?? b.output;
  return makeMessage({
    ...base,
    sourceId,
    role: 'tool',
    kind: 'tool-result',
    text: cap(resultText(raw)),
    toolName: str(b.toolName) ?? str(b.name) ?? null,
    toolUseId: str(b.toolCallId) ?? str(b.tool_use_id) ?? null,
    isError: b.isError === true || b.is_error === true || resultIsError(undefined, raw),
  });
}

/**
 * The conversation a store holds. Stores keep no per-message time, so each blob is dated once, when first seen:
 * spread between the last blob already dated (or the store's creation) and the store's last write. `dated` carries
 * those times between passes (blob id → epoch ms), so a message's time never moves once given, and a store that grew
 * only appends.
 */
export function cliConversation(
  blobs: readonly MessageBlob[],
  meta: CliMeta,
  project: string | null,
  lastWrite: number | null,
  dated: ReadonlyMap<string, number> = new Map(),
): ConversationResult & { readonly dated: Map<string, number> } {
  const skipped: Record<string, number> = {};
  const perBlob: ParsedMessage[][] = [];
  for (const b of blobs) {
    const r = agentRecordMessages(b.id, b.json, project, { where: `the store's blob ${b.id}` });
    if (r.skip && r.skip !== 'empty-message') skipped[r.skip] = (skipped[r.skip] ?? 0) + 1;
    perBlob.push(r.messages);
  }
  const times = interpolateTimestamps(blobs.map((b) => dated.get(b.id) ?? null), meta.createdAt, lastWrite);
  const out = new Map<string, number>();
  blobs.forEach((b, i) => {
    const t = times[i];
    if (t !== null) out.set(b.id, t);
  });
  const messages = perBlob.flatMap((ms, i) => ms.map((m) => ({ ...m, timestamp: times[i] })));
  let title: string | null = null;
  for (const m of messages) if (m.kind === 'prompt' && (title = titleOf(m.text))) break;
  return { messages, skipped, title, summary: meta.name?.trim() || null, gitBranch: null, project: null, workspaceId: null, childIds: [], dated: out };
}
