/**
 * A whole Cursor conversation → its message list and session facts. Pure.
 * A composer (split storage or inline) orders its bubbles by `fullConversationHeadersOnly`, falling back to the
 * inline `conversation` array; a bubble's body comes from its `bubbleId:` row, else `conversationMap`, else the
 * inline entry. A 2023–24 chat-panel tab has its bubbles inline and one timestamp.
 */
import type { ParsedMessage } from '../../model.js';
import { folderFromUri, normalizeProjectPath } from '../project-path.js';
import { interpolateTimestamps, isObject, str, titleOf, toMs, type Json } from '../text.js';
import { bubbleMessages } from './bubbles.js';

/** A bubble row as the shell read it: parsed JSON, or why it could not be. */
export type BubbleRow = { readonly ok: true; readonly value: Json } | { readonly ok: false; readonly reason: string };

export interface ConversationResult {
  readonly messages: ParsedMessage[];
  /** Skip reasons with counts, for stats. */
  readonly skipped: Readonly<Record<string, number>>;
  /** First real user prompt, one line. */
  readonly title: string | null;
  /** The conversation's name (user-set or generated). */
  readonly summary: string | null;
  readonly gitBranch: string | null;
  /** Folder recorded in the conversation itself (Cursor ≥ 3.12 `workspaceIdentifier`), if any. */
  readonly project: string | null;
  /** `workspaceIdentifier.id`: the workspace dir this conversation belongs to, if recorded. */
  readonly workspaceId: string | null;
  /** Sub-conversations this one spawned. */
  readonly childIds: string[];
}

function count(skipped: Record<string, number>, reason: string): void {
  skipped[reason] = (skipped[reason] ?? 0) + 1;
}

/** A bubble's own time: `createdAt`, else the request's send or end time (epoch ms; `clientStartTime` is a perf clock). */
export function bubbleTime(b: Json): number | null {
  const created = toMs(b.createdAt);
  if (created !== null) return created;
  const timing = isObject(b.timingInfo) ? b.timingInfo : {};
  for (const k of ['clientRpcSendTime', 'clientEndTime', 'clientSettleTime']) {
    const v = timing[k];
    // Plausible epoch ms (after 2001): rules out the performance-clock values some fields carry.
    if (typeof v === 'number' && v > 1e12) return Math.floor(v);
  }
  return null;
}

/** The folder a composer records for itself (§4.3: `workspaceIdentifier.uri`). */
function recordedFolder(data: Json): { folder: string | null; workspaceId: string | null } {
  const wi = isObject(data.workspaceIdentifier) ? data.workspaceIdentifier : undefined;
  if (!wi) return { folder: null, workspaceId: null };
  const uri = isObject(wi.uri) ? wi.uri : undefined;
  let folder: string | null = null;
  if (uri) {
    const fsPath = str(uri.fsPath);
    const external = str(uri.external);
    folder = fsPath ? normalizeProjectPath(fsPath) : external ? folderFromUri(external) : normalizeProjectPath(str(uri.path));
  }
  return { folder, workspaceId: str(wi.id) ?? null };
}

interface Entry {
  readonly id: string;
  readonly body: Json;
}

/**
 * Orders and resolves a composer's bubbles. `rows` holds the `bubbleId:<composer>:*` rows (may be empty for inline
 * composers); rows the conversation does not list are counted, not shown (they are edited-away branches).
 */
function composerEntries(data: Json, rows: ReadonlyMap<string, BubbleRow>, skipped: Record<string, number>): Entry[] {
  const headers = Array.isArray(data.fullConversationHeadersOnly) ? data.fullConversationHeadersOnly : [];
  const inline = Array.isArray(data.conversation) ? data.conversation : [];
  const map = isObject(data.conversationMap) ? data.conversationMap : {};
  const inlineById = new Map<string, Json>();
  for (const b of inline) if (isObject(b) && typeof b.bubbleId === 'string') inlineById.set(b.bubbleId, b);
  const order: string[] = [];
  if (headers.length > 0) {
    for (const h of headers) if (isObject(h) && typeof h.bubbleId === 'string') order.push(h.bubbleId);
  } else if (inline.length > 0) {
    for (const b of inline) if (isObject(b) && typeof b.bubbleId === 'string') order.push(b.bubbleId);
  } else {
    // No order recorded: rows by their own time.
    const timed = [...rows].filter(([, r]) => r.ok).map(([id, r]) => ({ id, t: bubbleTime((r as { value: Json }).value) ?? Number.MAX_SAFE_INTEGER }));
    timed.sort((a, b) => a.t - b.t || (a.id < b.id ? -1 : 1));
    order.push(...timed.map((x) => x.id));
  }
  const seen = new Set<string>();
  const out: Entry[] = [];
  for (const id of order) {
    if (seen.has(id)) {
      count(skipped, 'duplicate-bubble');
      continue;
    }
    seen.add(id);
    const row = rows.get(id);
    if (row && !row.ok) {
      count(skipped, row.reason);
      continue;
    }
    const body = row?.ok ? row.value : isObject(map[id]) ? (map[id] as Json) : inlineById.get(id);
    if (!body) {
      count(skipped, 'missing-bubble');
      continue;
    }
    out.push({ id, body });
  }
  for (const id of rows.keys()) if (!seen.has(id)) count(skipped, 'bubble-not-in-conversation');
  return out;
}

/** Builds the messages of a list of bubbles with interpolated times; shared by composers and chat tabs. */
function messagesOf(
  entries: readonly Entry[],
  times: (number | null)[],
  project: string | null,
  skipped: Record<string, number>,
  whereOf: (bubbleId: string) => string,
): ParsedMessage[] {
  const messages: ParsedMessage[] = [];
  entries.forEach((e, i) => {
    const outcome = bubbleMessages(e.id, e.body, { project, timestamp: times[i], where: whereOf(e.id) });
    if (outcome.skip) count(skipped, outcome.skip);
    messages.push(...outcome.messages);
  });
  return messages;
}

function firstTitle(messages: readonly ParsedMessage[]): string | null {
  for (const m of messages) {
    if (m.kind !== 'prompt') continue;
    const t = titleOf(m.text);
    if (t) return t;
  }
  return null;
}

/**
 * A composer's conversation. `project` is the folder the caller mapped the composer to (used to resolve relative
 * paths); the result's `project` is the folder the composer itself records, which wins when present.
 */
export function composerConversation(data: Json, rows: ReadonlyMap<string, BubbleRow>, mappedProject: string | null): ConversationResult {
  const skipped: Record<string, number> = {};
  const { folder, workspaceId } = recordedFolder(data);
  const project = folder ?? mappedProject;
  const entries = composerEntries(data, rows, skipped);
  const times = interpolateTimestamps(entries.map((e) => bubbleTime(e.body)), toMs(data.createdAt), toMs(data.lastUpdatedAt) ?? toMs(data.createdAt));
  const composerId = str(data.composerId) ?? '?';
  const messages = messagesOf(entries, times, project, skipped, (id) => `the value of bubbleId:${composerId}:${id} (or composerData:${composerId})`);
  const name = str(data.name)?.trim();
  return {
    messages,
    skipped,
    title: firstTitle(messages),
    summary: name ? name : null,
    gitBranch: str(data.createdOnBranch) ?? null,
    project: folder,
    workspaceId,
    childIds: (Array.isArray(data.subComposerIds) ? data.subComposerIds : []).filter((x): x is string => typeof x === 'string'),
  };
}

/** A 2023–24 chat-panel tab: bubbles inline, no per-bubble time; the tab's last send time dates its last prompt. */
export function chatTabConversation(tab: Json, project: string | null): ConversationResult {
  const skipped: Record<string, number> = {};
  const entries: Entry[] = [];
  const seen = new Set<string>();
  const bubbles = Array.isArray(tab.bubbles) ? tab.bubbles : [];
  bubbles.forEach((b, i) => {
    if (!isObject(b)) {
      count(skipped, 'not-an-object');
      return;
    }
    let id = str(b.id) ?? str(b.bubbleId) ?? `${str(tab.tabId) ?? 'tab'}:${i}`;
    if (seen.has(id)) id = `${id}@${i}`;
    seen.add(id);
    entries.push({ id, body: b });
  });
  const messages = messagesOf(entries, entries.map(() => null), project, skipped, () => `ItemTable workbench.panel.aichat.view.aichat.chatdata, tab ${str(tab.tabId) ?? '?'}`);
  // The last prompt sent is the one `lastSendTime` dates (an empty draft bubble may follow it).
  const last = toMs(tab.lastSendTime);
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].kind !== 'prompt') continue;
    messages[i] = { ...messages[i], timestamp: last };
    break;
  }
  const name = str(tab.chatTitle)?.trim();
  return { messages, skipped, title: firstTitle(messages), summary: name ? name : null, gitBranch: null, project: null, workspaceId: null, childIds: [] };
}
