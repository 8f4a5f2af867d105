/**
 * Writes a Cursor agent conversation the way Cursor 1.x/2.x keeps it (shared formats/cursor.md §4.3–§6): a
 * `composerData:<id>` record and one `bubbleId:<id>:<bubble>` row per message in the global
 * `globalStorage/state.vscdb` (a real SQLite database, WAL mode, VS Code's ItemTable plus Cursor's cursorDiskKV).
 * Tool calls are `toolFormerData` on assistant bubbles; edits are applied to the demo repository as they are recorded.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { lineHunk } from './line-diff.js';
import type { DemoRepo, FileChange } from './repo.js';

type Json = Record<string, unknown>;

export interface CursorSessionOptions {
  /** Cursor's user dir (`~/.config/Cursor/User`). */
  readonly userDir: string;
  readonly repo: DemoRepo;
  readonly composerId: string;
  readonly name: string;
  readonly start: number;
  readonly model: string;
  readonly branch: string;
}

/** Tool enum values Cursor records beside the name (`toolFormerData.tool`). */
const TOOL_NUMBERS: Readonly<Record<string, number>> = { read_file: 5, run_terminal_cmd: 15, search_replace: 38 };

export class CursorSessionWriter {
  private readonly bubbles: { id: string; type: 1 | 2; body: Json }[] = [];
  private readonly original = new Map<string, { content: string; firstEditBubbleId: string }>();
  private clock: number;
  private calls = 0;

  constructor(readonly o: CursorSessionOptions) {
    this.clock = o.start;
  }

  get now(): number {
    return this.clock;
  }

  private bubbleId(): string {
    const h = crypto.createHash('sha1').update(`${this.o.composerId}:${this.bubbles.length}`).digest('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-9${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  private add(type: 1 | 2, body: Json, seconds: number): string {
    this.clock += Math.round(seconds * 1000);
    const id = this.bubbleId();
    const timing = type === 2 ? { timingInfo: { clientStartTime: 512_000.5 + this.bubbles.length, clientRpcSendTime: this.clock - 900, clientSettleTime: this.clock, clientEndTime: this.clock } } : {};
    this.bubbles.push({ id, type, body: { _v: 3, type, bubbleId: id, createdAt: new Date(this.clock).toISOString(), ...timing, ...body } });
    return id;
  }

  prompt(text: string, seconds = 30): void {
    const richText = JSON.stringify({ root: { children: [{ children: [{ detail: 0, format: 0, mode: 'normal', style: '', text, type: 'text', version: 1 }], direction: 'ltr', format: '', indent: 0, type: 'paragraph', version: 1 }], direction: 'ltr', format: '', indent: 0, type: 'root', version: 1 } });
    this.add(1, { text, richText, unifiedMode: 2, modelInfo: { modelName: this.o.model }, attachedCodeChunks: [], relevantFiles: [], context: { fileSelections: [], selections: [] } }, seconds);
  }

  say(text: string, thinking?: string, seconds = 5): void {
    const codeBlocks = [...text.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m, i) => ({ content: m[2], languageId: m[1] === 'ts' ? 'typescript' : m[1], codeBlockIdx: i, isGenerating: false }));
    this.add(2, { text, ...(thinking ? { thinking: { text: thinking, signature: '' } } : {}), codeBlocks, tokenCount: { inputTokens: 0, outputTokens: 0 }, modelInfo: { modelName: this.o.model } }, seconds);
  }

  private tool(name: string, rawArgs: Json, params: Json, result: Json, status = 'completed', seconds = 3): string {
    return this.add(
      2,
      {
        text: '',
        capabilityType: 15,
        toolFormerData: {
          tool: TOOL_NUMBERS[name] ?? 0,
          toolCallId: `toolu_${this.o.composerId.replace(/-/g, '').slice(0, 10)}${String(++this.calls).padStart(4, '0')}`,
          name,
          status,
          rawArgs: JSON.stringify(rawArgs),
          params: JSON.stringify(params),
          result: JSON.stringify(result),
          ...(name === 'search_replace' ? { userDecision: 'accepted' } : {}),
        },
        tokenCount: { inputTokens: 0, outputTokens: 0 },
      },
      seconds,
    );
  }

  read(rel: string): void {
    this.tool('read_file', { target_file: rel, should_read_entire_file: true }, { targetFile: rel }, { contents: this.o.repo.read(rel) ?? '' });
  }

  terminal(command: string, output: string, exitCode = 0): void {
    this.tool('run_terminal_cmd', { command, is_background: false, explanation: `Run ${command.split(' ')[0]}` }, { command }, { output, exitCode, rejected: false });
  }

  /** `search_replace` (Cursor's exact-string edit tool): applied to the repository, with the diff Cursor shows. */
  searchReplace(rel: string, oldString: string, newString: string): void {
    const change: FileChange = this.o.repo.replace(rel, oldString, newString);
    const h = lineHunk(change.before ?? '', change.after);
    const chunks = h ? [{ diffString: `${h.lines.join('\n')}\n`, oldStart: h.oldStart, newStart: h.newStart, oldLines: h.oldLines, newLines: h.newLines, linesRemoved: h.lines.filter((l) => l.startsWith('-')).length, linesAdded: h.lines.filter((l) => l.startsWith('+')).length }] : [];
    const id = this.tool('search_replace', { file_path: rel, old_string: oldString, new_string: newString }, { relativeWorkspacePath: rel }, { diff: { chunks, editor: 'EDITOR_AI' }, isApplied: true, message: `The file ${rel} has been updated.` });
    const uri = `file://${this.o.repo.abs(rel)}`;
    if (!this.original.has(uri)) this.original.set(uri, { content: change.before ?? '', firstEditBubbleId: id });
  }

  /** Creates the global state.vscdb with the composer and its bubbles. Returns its path. */
  save(): string {
    const file = path.join(this.o.userDir, 'globalStorage', 'state.vscdb');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const workspaceId = crypto.createHash('md5').update(this.o.repo.dir).digest('hex');
    const composer = {
      _v: 10,
      composerId: this.o.composerId,
      name: this.o.name,
      createdAt: this.o.start,
      lastUpdatedAt: this.clock,
      status: 'completed',
      unifiedMode: 'agent',
      forceMode: 'edit',
      isAgentic: true,
      modelConfig: { modelName: this.o.model, maxMode: false },
      fullConversationHeadersOnly: this.bubbles.map((b) => ({ bubbleId: b.id, type: b.type })),
      conversationMap: {},
      originalFileStates: Object.fromEntries(this.original),
      newlyCreatedFiles: [],
      newlyCreatedFolders: [],
      context: { fileSelections: [], selections: [] },
      createdOnBranch: this.o.branch,
      workspaceIdentifier: { id: workspaceId, uri: { fsPath: this.o.repo.dir, path: this.o.repo.dir, external: `file://${this.o.repo.dir}`, scheme: 'file' } },
    };
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.exec('CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB); CREATE TABLE cursorDiskKV (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB);');
      const kv = db.prepare('INSERT INTO cursorDiskKV (key, value) VALUES (?, ?)');
      const item = db.prepare('INSERT INTO ItemTable (key, value) VALUES (?, ?)');
      db.transaction(() => {
        kv.run(`composerData:${this.o.composerId}`, JSON.stringify(composer));
        for (const b of this.bubbles) kv.run(`bubbleId:${this.o.composerId}:${b.id}`, JSON.stringify(b.body));
        item.run('composer.composerHeaders', JSON.stringify({ allComposers: [{ type: 'head', composerId: this.o.composerId, name: this.o.name, createdAt: this.o.start, lastUpdatedAt: this.clock, unifiedMode: 'agent', workspaceIdentifier: composer.workspaceIdentifier }] }));
      })();
    } finally {
      db.close();
    }
    const t = new Date(this.clock);
    fs.utimesSync(file, t, t);
    return file;
  }
}
