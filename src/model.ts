/**
 * The normalized model every assistant's adapter produces and every screen reads.
 * Adapters turn their own log shapes into these; nothing downstream knows which assistant wrote a row.
 */

export const AGENTS = ['claude', 'codex', 'gemini', 'antigravity', 'cursor'] as const;
export type Agent = (typeof AGENTS)[number];

export const MESSAGE_KINDS = ['prompt', 'reply', 'thinking', 'tool-call', 'tool-result', 'summary', 'system'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

export type Role = 'user' | 'assistant' | 'system' | 'tool';

/** One message as an adapter emits it, before the store gives it a seq and a row id. */
export interface ParsedMessage {
  /** Source-native id (Claude: entry uuid, with `#n` for the n-th block after the first of one line). */
  sourceId: string;
  /** Source-native parent id (Claude: parentUuid / logicalParentUuid), null at a root. */
  parentId: string | null;
  /** Epoch milliseconds; null when the entry carried no parseable timestamp. */
  timestamp: number | null;
  role: Role;
  kind: MessageKind;
  /** Display text, already capped (see MAX_TEXT_CHARS); never contains raw base64 images. */
  text: string;
  /** For tool-call and tool-result: the tool's name (a result inherits it from its call). */
  toolName: string | null;
  /** For tool-call: the call's input as JSON text (capped). */
  toolInput: string | null;
  /** Pairs a tool-call with its tool-result (Claude: tool_use id). */
  toolUseId: string | null;
  /** Absolute or session-relative paths this message reads or writes. */
  files: string[];
  isError: boolean;
  /** True for sub-agent messages that sit inline in a main transcript (Claude 1.0.x). */
  isSidechain: boolean;
  /** Finer source type, e.g. `compact_boundary`, `api_error`, `local_command`; null when none. */
  subtype: string | null;
  /**
   * Structured payload later features need (edit results with their patches and original contents), as JSON text.
   * Capped like toolInput; null when there is nothing worth keeping.
   */
  data: string | null;
  /** Byte offset of the source line this message came from. */
  byteOffset: number;
}

/** What an adapter learns about a session besides its messages. Later values win over earlier ones. */
export interface SessionMeta {
  id: string;
  agent: Agent;
  /** Session this one is a sub-agent of, when it is one. */
  parentId: string | null;
  project: string | null;
  gitBranch: string | null;
  /** Summary/title the assistant generated or the user set (`summary`, `ai-title`, `custom-title`). */
  summary: string | null;
}

/** Caps applied at parse time: the index keeps content browsable without copying megabyte outputs verbatim. */
export const MAX_TEXT_CHARS = 256 * 1024;
export const MAX_TOOL_INPUT_CHARS = 1024 * 1024;
export const MAX_DATA_CHARS = 2 * 1024 * 1024;

/** Compaction markers on the scrubber: boundaries and the summaries that follow them. */
export function isCompaction(m: { kind: MessageKind; subtype: string | null }): boolean {
  return m.kind === 'summary' || m.subtype === 'compact_boundary' || m.subtype === 'microcompact_boundary';
}

/**
 * Where a checkpoint came from. Each source has its own `data` shape:
 * - `claude-file-history`: {@link ClaudeFileHistoryData}
 * - `gemini-checkpoint`: {@link GeminiCheckpointData}
 */
export type CheckpointSource = 'claude-file-history' | 'gemini-checkpoint';

/** A Claude Code `file-history-snapshot` line (formats/claude-code.md §10). */
export interface ClaudeFileHistoryData {
  /** True for `isSnapshotUpdate` lines, which amend the snapshot of an earlier message. */
  readonly isSnapshotUpdate: boolean;
  /** Working directory of the session when the line was written: relative tracked paths are relative to it. */
  readonly cwd: string | null;
  /** `<claude dir>/file-history/<sessionId>`: where the backup files live. */
  readonly backupDir: string;
  /** Path as recorded → backup; `backupFileName: null` means the file did not exist at that point. */
  readonly files: Readonly<Record<string, { readonly backupFileName: string | null; readonly version: number | null; readonly backupTime: string | null }>>;
}

/** A Gemini CLI checkpoint file under `~/.gemini/tmp/<hash>/checkpoints/` (formats/gemini-cli.md). */
export interface GeminiCheckpointData {
  /** The checkpoint JSON file itself. */
  readonly file: string;
  /** Commit in the shadow repository holding the tree before the tool call, when recorded. */
  readonly commitHash: string | null;
  /** The shadow repository's git dir (`~/.gemini/history/<project hash>`), when it exists. */
  readonly shadowRepo: string | null;
  /** The project root the shadow repository mirrors. */
  readonly projectRoot: string | null;
  /** The tool call the checkpoint was taken before (name and args as recorded). */
  readonly toolCall: { readonly name: string; readonly args: unknown } | null;
}

/** A checkpoint as an adapter emits it. */
export interface ParsedCheckpoint {
  readonly source: CheckpointSource;
  /** Source id of the message it belongs to (Claude: the prompt uuid in `messageId`), null when unknown. */
  readonly messageSourceId: string | null;
  readonly timestamp: number | null;
  /** JSON text of the source's data shape. */
  readonly data: string;
  readonly byteOffset: number;
}

/**
 * A file change an assistant's tool call made, normalized across assistants. Adapters other than Claude Code store
 * `{"edits": FileEdit[]}` as the `data` of the tool-call message (Claude keeps its richer `toolUseResult` on the
 * tool-result, see claude/parse.ts). The edit takes effect at the matching tool-result (same toolUseId) unless that
 * result is an error; paths are absolute, resolved against the session's working directory when recorded relative.
 */
export type FileEdit =
  /** Whole new contents (create or overwrite). */
  | { readonly op: 'write'; readonly path: string; readonly content: string }
  /** Exact string replacement, once or every occurrence. */
  | { readonly op: 'replace'; readonly path: string; readonly oldText: string; readonly newText: string; readonly replaceAll: boolean }
  /** A unified diff of one file. */
  | { readonly op: 'unified-diff'; readonly path: string; readonly diff: string }
  /** A Codex `apply_patch` body (`*** Begin Patch` … `*** End Patch`): may add, update, move and delete several files. */
  | { readonly op: 'apply-patch'; readonly patch: string; readonly cwd: string | null }
  | { readonly op: 'delete'; readonly path: string };

export interface FileEditData {
  readonly edits: readonly FileEdit[];
}

/** Characters of content a message carries (text, tool input, raw data): what batches are sized by. */
export function contentChars(m: { readonly text: string; readonly toolInput?: string | null; readonly data?: string | null }): number {
  return m.text.length + (m.toolInput?.length ?? 0) + (m.data?.length ?? 0);
}
