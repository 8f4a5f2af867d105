/**
 * Claude Code transcript lines → normalized messages. Pure: no I/O, never throws, whatever the input.
 * Follows shared/formats/claude-code.md: one message per content block, images as placeholders, metadata lines
 * folded into session facts, unknown entry types skipped and counted by the caller.
 */
import { MAX_DATA_CHARS, MAX_TOOL_INPUT_CHARS, type MessageKind, type ParsedMessage, type Role } from '../../model.js';
import { capText, isObject, mb, NOT_A_PROMPT, promptTitle, shorten, str, type Json } from '../text.js';

export { capText, promptTitle };

export interface ClaudeLineMeta {
  sessionId?: string;
  cwd?: string;
  gitBranch?: string;
  version?: string;
  agentId?: string;
  summary?: string;
  summaryLeafUuid?: string;
  customTitle?: string;
  aiTitle?: string;
}

/** A `file-history-snapshot` line (formats/claude-code.md §10), before the ingester adds where backups live. */
export interface ClaudeFileHistoryLine {
  /** The prompt the snapshot belongs to: `snapshot.messageId`, else the line's `messageId`. */
  messageId: string | null;
  isSnapshotUpdate: boolean;
  timestamp: number | null;
  files: Record<string, { backupFileName: string | null; version: number | null; backupTime: string | null }>;
}

export interface ClaudeLineOutcome {
  messages: ParsedMessage[];
  meta: ClaudeLineMeta;
  /** Set for `file-history-snapshot` lines: the rewind checkpoint they record. */
  fileHistory?: ClaudeFileHistoryLine;
  /** Reason the line was skipped (counted by the caller), or null. */
  skip: string | null;
  /** A known non-message entry type consumed silently, or null. */
  ignored: string | null;
}

/** Entry types that carry no conversation message: consumed without counting as skipped. */
const METADATA_TYPES = new Set([
  // file-history-delta: the reference names it but not its shape, so it is not read (snapshots carry the backups).
  'file-history-delta', 'attribution-snapshot', 'queue-operation', 'content-replacement',
  'last-prompt', 'attachment', 'progress', 'mode', 'permission-mode', 'tag', 'agent-name', 'agent-color',
  'agent-setting', 'pr-link', 'worktree-state', 'isolation-latch', 'bridge-session', 'fork-context-ref',
  'frame-link', 'speculation-accept', 'marble-origami-commit', 'marble-origami-snapshot', 'marble-origami-reset',
  'api-request-shape', 'api-request-blob', 'api-request', 'atis-latch', 'tools-used', 'cost-state',
]);

function outcome(partial: Partial<ClaudeLineOutcome> = {}): ClaudeLineOutcome {
  return { messages: [], meta: {}, skip: null, ignored: null, ...partial };
}

function timestampOf(entry: Json): number | null {
  const t = entry.timestamp;
  if (typeof t === 'number' && Number.isFinite(t)) return t;
  if (typeof t !== 'string') return null;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? null : ms;
}

/** The tracked backups of a snapshot line; null when the line has no snapshot object at all. */
export function fileHistoryOf(entry: Json): ClaudeFileHistoryLine | null {
  const snapshot = entry.snapshot;
  if (!isObject(snapshot)) return null;
  const files: ClaudeFileHistoryLine['files'] = {};
  const tracked = isObject(snapshot.trackedFileBackups) ? snapshot.trackedFileBackups : {};
  for (const [file, backup] of Object.entries(tracked)) {
    if (!isObject(backup)) continue;
    files[file] = {
      backupFileName: str(backup.backupFileName) ?? null,
      version: typeof backup.version === 'number' && Number.isFinite(backup.version) ? backup.version : null,
      backupTime: str(backup.backupTime) ?? null,
    };
  }
  return {
    messageId: str(snapshot.messageId) ?? str(entry.messageId) ?? null,
    isSnapshotUpdate: entry.isSnapshotUpdate === true,
    timestamp: timestampOf(snapshot) ?? timestampOf(entry),
    files,
  };
}

function mediaPlaceholder(kind: 'image' | 'document', block: Json): string {
  const source = isObject(block.source) ? block.source : {};
  const type = str(source.media_type) ?? (kind === 'image' ? 'image' : 'document');
  const data = str(source.data);
  // Base64 carries 3 bytes per 4 characters.
  const size = data ? `, ${mb(Math.floor((data.length * 3) / 4))}` : '';
  return `[${kind}: ${type}${size}]`;
}

/** Text of a tool_result's content: a string, or text blocks with image placeholders. */
function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const parts: string[] = [];
  for (const b of content) {
    if (!isObject(b)) continue;
    if (b.type === 'text' && typeof b.text === 'string') parts.push(b.text);
    else if (b.type === 'image' || b.type === 'document') parts.push(mediaPlaceholder(b.type, b));
    else if (typeof b.type === 'string') parts.push(`[${b.type}]`);
  }
  return parts.join('\n');
}

/** Paths a tool call names in its input. */
function filesOfInput(input: Json): string[] {
  const files: string[] = [];
  for (const key of ['file_path', 'notebook_path', 'path']) {
    const v = input[key];
    if (typeof v === 'string' && v) files.push(v);
  }
  return files;
}

/** A short human summary of a tool call: `Edit src/cart.ts`, `Bash: npm test`, `Task: explore the repo`. */
export function describeToolCall(name: string, input: Json): string {
  const file = str(input.file_path) ?? str(input.notebook_path);
  switch (name) {
    case 'Bash':
      return `Bash: ${shorten(str(input.command) ?? '', 500)}`;
    case 'Read':
    case 'Edit':
    case 'Write':
    case 'MultiEdit':
    case 'NotebookEdit':
      return file ? `${name} ${file}` : name;
    case 'Grep':
    case 'Glob':
      return `${name} ${shorten(str(input.pattern) ?? '', 200)}${str(input.path) ? ` in ${input.path}` : ''}`;
    case 'Task':
    case 'Agent':
      return `${name}: ${shorten(str(input.description) ?? str(input.prompt) ?? '', 300)}`;
    case 'WebFetch':
      return `WebFetch ${str(input.url) ?? ''}`;
    case 'WebSearch':
      return `WebSearch ${shorten(str(input.query) ?? '', 300)}`;
    case 'TodoWrite':
      return `TodoWrite (${Array.isArray(input.todos) ? input.todos.length : 0} items)`;
    default: {
      let json = '';
      try {
        json = JSON.stringify(input) ?? '';
      } catch {
        json = '';
      }
      return shorten(`${name} ${json}`, 500);
    }
  }
}

const EDIT_RESULT_KEYS = [
  'filePath', 'oldString', 'newString', 'replaceAll', 'originalFile', 'originalFileContents', 'structuredPatch',
  'type', 'content', 'edits', 'userModified', 'gitDiff',
];

/** The structured edit result (Edit / Write / MultiEdit shapes), kept for the restore feature; capped. */
function editData(toolUseResult: unknown): string | null {
  if (!isObject(toolUseResult) || typeof toolUseResult.filePath !== 'string') return null;
  const isEdit = 'oldString' in toolUseResult || 'structuredPatch' in toolUseResult || 'edits' in toolUseResult ||
    toolUseResult.type === 'create' || toolUseResult.type === 'update';
  if (!isEdit) return null;
  const kept: Json = {};
  for (const k of EDIT_RESULT_KEYS) if (k in toolUseResult) kept[k] = toolUseResult[k];
  let json = JSON.stringify(kept);
  if (json.length > MAX_DATA_CHARS) {
    delete kept.originalFile;
    delete kept.originalFileContents;
    delete kept.content;
    kept.truncated = true;
    json = JSON.stringify(kept);
    if (json.length > MAX_DATA_CHARS) json = JSON.stringify({ filePath: kept.filePath, truncated: true });
  }
  return json;
}

interface Base {
  uuid: string;
  parentId: string | null;
  timestamp: number | null;
  isSidechain: boolean;
  byteOffset: number;
}

function message(base: Base, index: number, fields: Partial<ParsedMessage> & { role: Role; kind: MessageKind; text: string }): ParsedMessage {
  return {
    sourceId: index === 0 ? base.uuid : `${base.uuid}#${index}`,
    parentId: base.parentId,
    timestamp: base.timestamp,
    toolName: null,
    toolInput: null,
    toolUseId: null,
    files: [],
    isError: false,
    isSidechain: base.isSidechain,
    subtype: null,
    data: null,
    byteOffset: base.byteOffset,
    ...fields,
  };
}

function userMessages(entry: Json, base: Base): ParsedMessage[] {
  const msg = isObject(entry.message) ? entry.message : {};
  const content = msg.content ?? (typeof entry.content === 'string' ? entry.content : undefined);
  const out: ParsedMessage[] = [];
  const promptKind = (text: string): { kind: MessageKind; role: Role; subtype: string | null } => {
    if (entry.isCompactSummary === true) return { kind: 'summary', role: 'user', subtype: 'compact_summary' };
    if (entry.isMeta === true) return { kind: 'system', role: 'user', subtype: 'meta' };
    if (NOT_A_PROMPT.test(text.slice(0, 200))) return { kind: 'system', role: 'user', subtype: 'local-command' };
    return { kind: 'prompt', role: 'user', subtype: null };
  };
  if (typeof content === 'string') {
    const text = capText(content, base.byteOffset);
    return [message(base, 0, { ...promptKind(text), text })];
  }
  if (!Array.isArray(content)) return [];
  const promptParts: string[] = [];
  const toolResults = content.filter((b) => isObject(b) && b.type === 'tool_result').length;
  const tur = entry.toolUseResult;
  let index = 0;
  for (const block of content) {
    if (!isObject(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') promptParts.push(block.text);
    else if (block.type === 'image' || block.type === 'document') promptParts.push(mediaPlaceholder(block.type, block));
    else if (block.type === 'tool_result') {
      const files: string[] = [];
      let data: string | null = null;
      if (isObject(tur) && typeof tur.filePath === 'string') {
        files.push(tur.filePath);
        if (toolResults === 1) data = editData(tur);
      }
      out.push(
        message(base, index++, {
          role: 'tool',
          kind: 'tool-result',
          text: capText(resultText(block.content), base.byteOffset),
          toolUseId: str(block.tool_use_id) ?? null,
          isError: block.is_error === true,
          files,
          data,
        }),
      );
    } else if (typeof block.type === 'string') {
      promptParts.push(`[unsupported content: ${block.type}]`);
    }
  }
  if (promptParts.length) {
    const text = capText(promptParts.join('\n'), base.byteOffset);
    // The prompt comes first in the timeline when a line carries both; keep ids stable by giving it the next index.
    out.unshift(message(base, index++, { ...promptKind(text), text }));
  }
  return out;
}

function assistantMessages(entry: Json, base: Base): ParsedMessage[] {
  const msg = isObject(entry.message) ? entry.message : {};
  const content = msg.content;
  const isError = entry.isApiErrorMessage === true;
  if (typeof content === 'string') {
    return [message(base, 0, { role: 'assistant', kind: 'reply', text: capText(content, base.byteOffset), isError })];
  }
  if (!Array.isArray(content)) return [];
  const out: ParsedMessage[] = [];
  let index = 0;
  for (const block of content) {
    if (!isObject(block)) continue;
    switch (block.type) {
      case 'text':
        if (typeof block.text === 'string') {
          out.push(message(base, index++, { role: 'assistant', kind: 'reply', text: capText(block.text, base.byteOffset), isError }));
        }
        break;
      case 'thinking':
        out.push(message(base, index++, { role: 'assistant', kind: 'thinking', text: capText(str(block.thinking) ?? '', base.byteOffset) }));
        break;
      case 'redacted_thinking':
        out.push(message(base, index++, { role: 'assistant', kind: 'thinking', text: '[redacted thinking]' }));
        break;
      case 'tool_use':
      case 'server_tool_use': {
        const name = str(block.name) ?? 'tool';
        const input = isObject(block.input) ? block.input : {};
        let json = '';
        try {
          json = JSON.stringify(block.input ?? {}) ?? '';
        } catch {
          json = '';
        }
        out.push(
          message(base, index++, {
            role: 'assistant',
            kind: 'tool-call',
            text: describeToolCall(name, input),
            toolName: name,
            toolInput: json.length > MAX_TOOL_INPUT_CHARS ? `${json.slice(0, MAX_TOOL_INPUT_CHARS)}…` : json,
            toolUseId: str(block.id) ?? null,
            files: filesOfInput(input),
          }),
        );
        break;
      }
      default:
        if (typeof block.type === 'string') {
          out.push(message(base, index++, { role: 'assistant', kind: 'system', text: `[unsupported content: ${block.type}]`, subtype: 'unsupported' }));
        }
    }
  }
  return out;
}

function systemText(entry: Json): string {
  const subtype = str(entry.subtype);
  if (subtype === 'compact_boundary' || subtype === 'microcompact_boundary') {
    const meta = isObject(entry.compactMetadata) ? entry.compactMetadata : isObject(entry.microcompactMetadata) ? entry.microcompactMetadata : {};
    const trigger = str(meta.trigger);
    const pre = typeof meta.preTokens === 'number' ? `${Math.round(meta.preTokens / 1000)}k tokens before` : '';
    const detail = [trigger, pre].filter(Boolean).join(', ');
    const what = subtype === 'compact_boundary' ? 'Conversation compacted' : 'Old tool results trimmed';
    return detail ? `${what} (${detail})` : what;
  }
  if (subtype === 'api_error') {
    const err = isObject(entry.error) ? entry.error : {};
    const status = err.status ?? (isObject(err.error) ? err.error.status : undefined);
    const retry = typeof entry.retryAttempt === 'number' ? ` (retry ${entry.retryAttempt}/${entry.maxRetries ?? '?'})` : '';
    return `API error${status !== undefined ? ` ${status}` : ''}${retry}`;
  }
  const content = entry.content;
  if (typeof content === 'string' && content) return content;
  return subtype ? `[${subtype}]` : '[system]';
}

function metaOf(entry: Json): ClaudeLineMeta {
  const meta: ClaudeLineMeta = {};
  const sessionId = str(entry.sessionId);
  if (sessionId) meta.sessionId = sessionId;
  const cwd = str(entry.cwd);
  if (cwd) meta.cwd = cwd;
  const branch = str(entry.gitBranch);
  if (branch) meta.gitBranch = branch;
  const version = str(entry.version);
  if (version) meta.version = version;
  const agentId = str(entry.agentId);
  if (agentId) meta.agentId = agentId;
  return meta;
}

export function parseClaudeEntry(entry: unknown, byteOffset: number): ClaudeLineOutcome {
  try {
    return parseEntry(entry, byteOffset);
  } catch {
    // Defensive: the parser is written not to throw, but a transcript must never stop a pass.
    return outcome({ skip: 'unparseable-entry' });
  }
}

function parseEntry(entry: unknown, byteOffset: number): ClaudeLineOutcome {
  if (!isObject(entry)) return outcome({ skip: 'not-an-object' });
  const type = str(entry.type);
  const meta = metaOf(entry);
  if (!type) return outcome({ meta, skip: 'unknown-type:(none)' });
  const base: Base = {
    uuid: str(entry.uuid) ?? `offset-${byteOffset}`,
    parentId: str(entry.parentUuid) ?? str(entry.logicalParentUuid) ?? null,
    timestamp: timestampOf(entry),
    isSidechain: entry.isSidechain === true,
    byteOffset,
  };
  switch (type) {
    case 'user': {
      const messages = userMessages(entry, base);
      return messages.length ? outcome({ meta, messages }) : outcome({ meta, skip: 'empty-message' });
    }
    case 'assistant': {
      const messages = assistantMessages(entry, base);
      return messages.length ? outcome({ meta, messages }) : outcome({ meta, skip: 'empty-message' });
    }
    case 'system': {
      const subtype = str(entry.subtype) ?? null;
      const isError = entry.level === 'error' || subtype === 'api_error' || subtype === 'error';
      const text = capText(systemText(entry), byteOffset);
      if (subtype === 'compact_boundary') base.parentId = str(entry.logicalParentUuid) ?? base.parentId;
      return outcome({ meta, messages: [message(base, 0, { role: 'system', kind: 'system', text, subtype, isError })] });
    }
    case 'summary':
      return outcome({
        meta: { ...meta, summary: str(entry.summary), summaryLeafUuid: str(entry.leafUuid) },
        ignored: 'summary',
      });
    case 'custom-title':
      return outcome({ meta: { ...meta, customTitle: str(entry.customTitle) }, ignored: type });
    case 'ai-title':
      return outcome({ meta: { ...meta, aiTitle: str(entry.aiTitle) }, ignored: type });
    case 'relocated':
      return outcome({ meta: { ...meta, cwd: str(entry.relocatedCwd) ?? meta.cwd }, ignored: type });
    case 'file-history-snapshot': {
      const fileHistory = fileHistoryOf(entry);
      return fileHistory ? outcome({ meta, fileHistory, ignored: type }) : outcome({ meta, skip: 'invalid-file-history-snapshot' });
    }
    default:
      if (METADATA_TYPES.has(type)) return outcome({ meta, ignored: type });
      return outcome({ meta, skip: `unknown-type:${type.slice(0, 60)}` });
  }
}

/** Parses one transcript line (without its newline). */
export function parseClaudeLine(line: string, byteOffset: number): ClaudeLineOutcome {
  // Blank lines and NUL padding appear after crashes; 2.1.x skips them too.
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) <= 32)) i++;
  if (i === line.length) return outcome({ ignored: 'blank' });
  let entry: unknown;
  try {
    entry = JSON.parse(i === 0 ? line : line.slice(i));
  } catch {
    return outcome({ skip: 'invalid-json' });
  }
  return parseClaudeEntry(entry, byteOffset);
}
