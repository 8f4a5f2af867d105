/**
 * Writes Claude Code transcripts the way Claude Code 2.1.x does (shared formats/claude-code.md), while applying each
 * edit to a real working tree: the demo's sessions and its git repository always agree, so every message's code
 * state is known. Also writes the rewind backups (`file-history/`) Claude Code keeps beside the transcripts.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

type Json = Record<string, unknown>;

export interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

/** One hunk covering the changed lines of `before` → `after`, with up to three lines of context (Claude's shape). */
export function singleHunkPatch(before: string, after: string): Hunk[] {
  if (before === after) return [];
  const a = before.split('\n');
  const b = after.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ctx = 3;
  const from = Math.max(0, head - ctx);
  const aEnd = Math.min(a.length, a.length - tail + ctx);
  const bEnd = Math.min(b.length, b.length - tail + ctx);
  const lines = [
    ...a.slice(from, head).map((l) => ` ${l}`),
    ...a.slice(head, a.length - tail).map((l) => `-${l}`),
    ...b.slice(head, b.length - tail).map((l) => `+${l}`),
    ...a.slice(a.length - tail, aEnd).map((l) => ` ${l}`),
  ];
  return [{ oldStart: from + 1, oldLines: aEnd - from, newStart: from + 1, newLines: bEnd - from, lines }];
}

/** Claude Code's folder name for a working directory: every non-alphanumeric character becomes `-`. */
export function encodeProjectDir(cwd: string): string {
  return cwd.replace(/[^A-Za-z0-9]/g, '-');
}

export interface SessionOptions {
  readonly claudeDir: string;
  readonly repoDir: string;
  readonly sessionId: string;
  readonly start: number;
  readonly gitBranch: string;
  /** For sub-agent transcripts: the parent session and this agent's id. */
  readonly parent?: { readonly sessionId: string; readonly agentId: string };
}

/** A deterministic id stream, so the demo is the same every time it is built. */
export function idFactory(seed: string): () => string {
  let n = 0;
  return () => {
    const h = crypto.createHash('sha1').update(`${seed}:${n++}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  };
}

export class ClaudeSessionWriter {
  readonly lines: string[] = [];
  private parent: string | null = null;
  private clock: number;
  private readonly nextId: () => string;
  private promptUuid: string | null = null;
  /** Files Claude Code tracks for rewind: path → its latest backup entry; and which were edited since the prompt. */
  private readonly tracked = new Map<string, Json>();
  private readonly backedUpThisTurn = new Set<string>();
  private toolCounter = 0;

  constructor(readonly o: SessionOptions) {
    this.clock = o.start;
    this.nextId = idFactory(o.sessionId);
  }

  private tick(seconds: number): string {
    this.clock += seconds * 1000;
    return new Date(this.clock).toISOString();
  }

  get now(): number {
    return this.clock;
  }

  private base(seconds = 4): Json {
    const uuid = this.nextId();
    const entry: Json = {
      parentUuid: this.parent,
      isSidechain: Boolean(this.o.parent),
      userType: 'external',
      cwd: this.o.repoDir,
      sessionId: this.o.parent?.sessionId ?? this.o.sessionId,
      version: '2.1.150',
      gitBranch: this.o.gitBranch,
      uuid,
      timestamp: this.tick(seconds),
    };
    if (this.o.parent) entry.agentId = this.o.parent.agentId;
    this.parent = uuid;
    return entry;
  }

  private push(entry: Json): string {
    this.lines.push(JSON.stringify(entry));
    return entry.uuid as string;
  }

  prompt(text: string | Json[], seconds = 30): string {
    const uuid = this.push({ ...this.base(seconds), type: 'user', message: { role: 'user', content: text }, entrypoint: 'cli', permissionMode: 'default' });
    this.promptUuid = uuid;
    this.backedUpThisTurn.clear();
    if (!this.o.parent) this.snapshotAtPrompt();
    return uuid;
  }

  think(text: string, seconds = 3): void {
    this.assistant([{ type: 'thinking', thinking: text, signature: 'EqQBCkYIBRgCKkD' + 'x'.repeat(40) }], seconds);
  }

  say(text: string, seconds = 5): void {
    this.assistant([{ type: 'text', text }], seconds);
  }

  private assistant(content: Json[], seconds: number): string {
    return this.push({
      ...this.base(seconds),
      type: 'assistant',
      requestId: `req_${this.o.sessionId.slice(0, 8)}`,
      message: { id: `msg_${this.nextId().slice(0, 8)}`, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content, stop_reason: null },
    });
  }

  private toolCall(name: string, input: Json): string {
    const id = `toolu_${this.o.sessionId.slice(0, 6)}${String(++this.toolCounter).padStart(4, '0')}`;
    this.assistant([{ type: 'tool_use', id, name, input }], 2);
    return id;
  }

  private toolResult(id: string, content: string, toolUseResult: unknown, isError = false, seconds = 1): void {
    this.push({
      ...this.base(seconds),
      type: 'user',
      message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content, is_error: isError }] },
      toolUseResult,
    });
  }

  private abs(rel: string): string {
    return path.join(this.o.repoDir, rel);
  }

  private readFile(rel: string): string | null {
    try {
      return fs.readFileSync(this.abs(rel), 'utf8');
    } catch {
      return null;
    }
  }

  read(rel: string): void {
    const content = this.readFile(rel) ?? '';
    const id = this.toolCall('Read', { file_path: this.abs(rel) });
    const numbered = content
      .split('\n')
      .map((l, i) => `${String(i + 1).padStart(6)}→${l}`)
      .join('\n');
    this.toolResult(id, numbered, { type: 'text', file: { filePath: this.abs(rel), content, numLines: content.split('\n').length, startLine: 1, totalLines: content.split('\n').length } });
  }

  edit(rel: string, oldString: string, newString: string): void {
    const before = this.readFile(rel);
    if (before === null || !before.includes(oldString)) throw new Error(`demo edit does not apply to ${rel}: ${oldString}`);
    this.backup(rel, before);
    const after = before.replace(oldString, newString);
    const id = this.toolCall('Edit', { file_path: this.abs(rel), old_string: oldString, new_string: newString });
    fs.writeFileSync(this.abs(rel), after);
    this.toolResult(id, `The file ${this.abs(rel)} has been updated successfully.`, {
      filePath: this.abs(rel),
      oldString,
      newString,
      originalFile: before,
      structuredPatch: singleHunkPatch(before, after),
      userModified: false,
      replaceAll: false,
    });
  }

  write(rel: string, content: string): void {
    const before = this.readFile(rel);
    this.backup(rel, before);
    const id = this.toolCall('Write', { file_path: this.abs(rel), content });
    fs.mkdirSync(path.dirname(this.abs(rel)), { recursive: true });
    fs.writeFileSync(this.abs(rel), content);
    this.toolResult(
      id,
      before === null ? `File created successfully at: ${this.abs(rel)}` : `The file ${this.abs(rel)} has been updated.`,
      { type: before === null ? 'create' : 'update', filePath: this.abs(rel), content, structuredPatch: before === null ? [] : singleHunkPatch(before, content), originalFile: before },
    );
  }

  bash(command: string, output: string, isError = false, seconds = 6): void {
    const id = this.toolCall('Bash', { command, description: command.split(' ').slice(0, 3).join(' ') });
    const content = isError ? `Exit code 1\n${output}` : output;
    this.toolResult(id, content, { stdout: isError ? '' : output, stderr: isError ? output : '', interrupted: false, isImage: false }, isError, seconds);
  }

  /** A Task call whose sub-agent transcript is written by `sub` (2.1.x layout: `<session>/subagents/agent-<id>.jsonl`). */
  task(description: string, prompt: string, answer: string, sub: (w: ClaudeSessionWriter) => void): ClaudeSessionWriter {
    const id = this.toolCall('Task', { description, prompt, subagent_type: 'Explore' });
    const agentId = `a${crypto.createHash('sha1').update(id).digest('hex').slice(0, 16)}`;
    const child = new ClaudeSessionWriter({ ...this.o, sessionId: `agent-${agentId}`, start: this.clock, parent: { sessionId: this.o.sessionId, agentId } });
    child.prompt(prompt, 1);
    sub(child);
    child.say(answer, 4);
    this.clock = child.now;
    this.toolResult(id, answer, { agentId, agentType: 'Explore', content: [{ type: 'text', text: answer }], totalDurationMs: 42_000 });
    const dir = path.join(this.o.claudeDir, 'projects', encodeProjectDir(this.o.repoDir), this.o.sessionId, 'subagents');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `agent-${agentId}.jsonl`), child.lines.join('\n') + '\n');
    fs.writeFileSync(path.join(dir, `agent-${agentId}.meta.json`), JSON.stringify({ agentType: 'Explore' }));
    return child;
  }

  apiError(status: number): void {
    this.push({ ...this.base(2), type: 'system', subtype: 'api_error', level: 'error', error: { status }, retryInMs: 1200, retryAttempt: 1, maxRetries: 10 });
  }

  compact(summary: string): void {
    const logicalParent = this.parent;
    this.parent = null;
    this.push({
      ...this.base(20),
      logicalParentUuid: logicalParent,
      type: 'system',
      subtype: 'compact_boundary',
      content: 'Conversation compacted',
      level: 'info',
      compactMetadata: { trigger: 'auto', preTokens: 167_000 },
    });
    this.push({ ...this.base(1), type: 'user', isCompactSummary: true, isVisibleInTranscriptOnly: true, message: { role: 'user', content: summary } });
  }

  meta(entry: Json): void {
    this.lines.push(JSON.stringify({ ...entry, sessionId: this.o.sessionId }));
  }

  // Rewind backups (formats/claude-code.md §10): every prompt re-versions the tracked files; the first edit of an
  // untracked file after a prompt tracks it, backing up what it held before (null when it did not exist).

  private backupName(rel: string, version: number): string {
    return `${crypto.createHash('sha256').update(this.abs(rel)).digest('hex').slice(0, 16)}@v${version}`;
  }

  private writeBackup(rel: string, version: number, content: string | null): string | null {
    if (content === null) return null;
    const dir = path.join(this.o.claudeDir, 'file-history', this.o.sessionId);
    fs.mkdirSync(dir, { recursive: true });
    const name = this.backupName(rel, version);
    fs.writeFileSync(path.join(dir, name), content);
    return name;
  }

  private snapshotLine(isSnapshotUpdate: boolean, backups: Record<string, Json>): void {
    this.lines.push(
      JSON.stringify({
        type: 'file-history-snapshot',
        messageId: this.promptUuid,
        snapshot: { messageId: this.promptUuid, trackedFileBackups: backups, timestamp: new Date(this.clock).toISOString() },
        isSnapshotUpdate,
      }),
    );
  }

  private entry(rel: string, version: number, content: string | null): Json {
    return { backupFileName: this.writeBackup(rel, version, content), version, backupTime: new Date(this.clock).toISOString() };
  }

  private snapshotAtPrompt(): void {
    for (const [rel, e] of this.tracked) this.tracked.set(rel, this.entry(rel, (e.version as number) + 1, this.readFile(rel)));
    this.snapshotLine(false, Object.fromEntries(this.tracked));
  }

  private backup(rel: string, before: string | null): void {
    if (this.o.parent || this.backedUpThisTurn.has(rel)) return;
    this.backedUpThisTurn.add(rel);
    if (this.tracked.has(rel)) return; // already backed up at this prompt
    this.tracked.set(rel, this.entry(rel, 1, before));
    this.snapshotLine(true, Object.fromEntries(this.tracked));
  }

  /** Writes the transcript where Claude Code keeps it. */
  save(): string {
    const dir = path.join(this.o.claudeDir, 'projects', encodeProjectDir(this.o.repoDir));
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${this.o.sessionId}.jsonl`);
    fs.writeFileSync(file, this.lines.join('\n') + '\n');
    // Dated like the last line Claude Code wrote, so the demo's files sort by time as real ones do.
    const last = new Date(this.clock);
    fs.utimesSync(file, last, last);
    return file;
  }
}
