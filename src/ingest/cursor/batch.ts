/**
 * Writing re-derived conversations to the index in batches: each commit carries some sessions' messages together with
 * the source file's state that records them, so a pass killed midway resumes without re-reading what it committed.
 */
import type { IndexWriter, SourceFileState } from '../../store/writer.js';
import { syncSession } from '../session-sync.js';
import { countSkip, type IngestStats } from '../stats.js';
import type { ConversationResult } from './composer.js';
import type { SessionEntry } from './context.js';
import { contentChars } from '../../model.js';

const BATCH_MESSAGES = 2000;
const BATCH_CHARS = 16 * 1024 * 1024;

export interface PendingSession {
  readonly sessionId: string;
  /** Key of the session's entry in the file state. */
  readonly key: string;
  /** The source's fingerprint of this conversation (stored so an unchanged one is not re-read). */
  readonly fingerprint: string;
  readonly conversation: ConversationResult;
  readonly project: string | null;
  readonly parentId: string | null;
}

export class SessionBatch {
  private pending: PendingSession[] = [];
  private messages = 0;
  private chars = 0;

  constructor(
    private readonly writer: IndexWriter,
    private readonly file: SourceFileState,
    private readonly stats: IngestStats,
    /** The file's session entries (mutated as sessions are written). */
    private readonly entries: Record<string, SessionEntry>,
    /** Serializes the whole file state for the row, called at each commit. */
    private readonly stateJson: () => string,
  ) {}

  add(p: PendingSession): void {
    for (const [reason, n] of Object.entries(p.conversation.skipped)) countSkip(this.stats, reason, n);
    this.pending.push(p);
    this.messages += p.conversation.messages.length;
    for (const m of p.conversation.messages) this.chars += contentChars(m);
    if (this.messages >= BATCH_MESSAGES || this.chars >= BATCH_CHARS) this.flush();
  }

  /** Commits what is pending with the file state; `extra` runs in the same transaction. */
  flush(extra?: () => void): void {
    const batch = this.pending;
    this.pending = [];
    this.messages = 0;
    this.chars = 0;
    this.writer.transaction(() => {
      for (const p of batch) this.write(p);
      extra?.();
      this.writer.saveSourceFile({ ...this.file, state: this.stateJson(), gone: false });
    });
  }

  private write(p: PendingSession): void {
    const { writer, stats } = this;
    const c = p.conversation;
    const existed = writer.nextSeq(p.sessionId) > 1;
    const prev = this.entries[p.key];
    if (c.messages.length === 0 && !existed) {
      // Nothing to show (an empty or still-opening conversation): remember it so it is not re-read until it changes.
      this.entries[p.key] = { f: p.fingerprint, n: 0, h: '', h1: '' };
      return;
    }
    writer.upsertSession({ id: p.sessionId, agent: 'cursor', parentId: p.parentId, project: p.project, gitBranch: c.gitBranch }, this.file.id);
    if (!existed) stats.sessionsAdded++;
    const result = syncSession(writer, p.sessionId, this.file.id, c.messages, prev && { n: prev.n, h: prev.h, h1: prev.h1 });
    stats.messagesAdded += result.added;
    if (c.title) writer.setSessionTitleIfMissing(p.sessionId, c.title);
    if (c.summary) writer.setSessionSummary(p.sessionId, c.summary);
    for (const child of c.childIds) writer.fillSessionFacts(child, { parentId: p.sessionId });
    this.entries[p.key] = { f: p.fingerprint, ...result.state };
  }
}
