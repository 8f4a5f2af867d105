/** The Cursor adapter: the editor's state databases, cursor-agent stores and agent transcripts. */
import fs from 'node:fs';
import path from 'node:path';
import type { IndexWriter } from '../../store/writer.js';
import type { Adapter } from '../adapter.js';
import type { IngestStats } from '../stats.js';
import { ingestCliStore, ingestTranscript } from './cli-ingest.js';
import { CursorPassContext } from './context.js';
import { discoverCursor, type CursorCandidate, type CursorRoots, type VscdbCandidate } from './discover.js';
import { ingestVscdb } from './vscdb.js';
import { dbIdentity } from '../foreign-db.js';

function statIdentity(p: string): { size: number; mtimeMs: number } | null {
  try {
    const st = fs.statSync(p);
    return { size: st.size, mtimeMs: Math.floor(st.mtimeMs) };
  } catch {
    return null;
  }
}

export type { CursorRoots } from './discover.js';

export function cursorAdapter(roots: CursorRoots): Adapter<CursorCandidate> {
  const globalDb = roots.userDir ? path.join(roots.userDir, 'globalStorage', 'state.vscdb') : '';
  let pass: CursorPassContext | null = null;
  let workspaces: VscdbCandidate[] = [];

  const discover = (): CursorCandidate[] => {
    const all = discoverCursor(roots);
    workspaces = all.filter((c): c is VscdbCandidate => c.kind === 'vscdb' && c.role === 'workspace');
    pass = new CursorPassContext(globalDb, new Set(all.flatMap((c) => (c.kind === 'cli-store' ? [c.agentId] : []))));
    return all;
  };

  const ingest = (writer: IndexWriter, c: CursorCandidate, stats: IngestStats): void => {
    if (!pass) discover();
    const p = pass!;
    if (p.done.has(c.path)) return;
    p.done.add(c.path);
    switch (c.kind) {
      case 'vscdb':
        if (c.role === 'global') {
          // Workspace DBs first: they say which folder each composer belongs to, so composer paths resolve on the
          // first read. runIndex reaching them later finds them done.
          for (const ws of workspaces) {
            if (p.done.has(ws.path)) continue;
            p.done.add(ws.path);
            ingestVscdb(writer, ws, stats, p);
          }
          p.invalidate();
        }
        ingestVscdb(writer, c, stats, p);
        if (c.role === 'global') p.invalidate();
        return;
      case 'cli-store':
        ingestCliStore(writer, c, stats, p);
        return;
      case 'transcript':
        ingestTranscript(writer, c, stats, p);
        return;
    }
  };

  const isDatabase = (p: string) => p.endsWith('.vscdb') || p.endsWith('.db');
  return {
    agent: 'cursor',
    root: roots.userDir ?? roots.cliDir ?? '',
    discover,
    ingest,
    identityOf: (p) => (isDatabase(p) ? dbIdentity(p) : statIdentity(p)),
    watchPathsOf: (p) => (isDatabase(p) ? [p, `${p}-wal`] : [p]),
    readsAsSet: true,
    diagnose() {
      const found = discoverCursor(roots);
      const where = (p: string, note: string) => ({ path: p, exists: fs.existsSync(p), note });
      const locations = [];
      if (roots.userDir) {
        locations.push(
          where(roots.userDir, 'Cursor editor user dir'),
          where(globalDb, 'chats since late 2024'),
          where(path.join(roots.userDir, 'workspaceStorage'), 'per-folder chats and composer lists'),
        );
      }
      if (roots.cliDir) {
        locations.push(where(path.join(roots.cliDir, 'chats'), 'cursor-agent stores'), where(path.join(roots.cliDir, 'projects'), 'agent transcripts'));
      }
      return {
        locations,
        files: found.length,
        unreadable: [],
      };
    },
  };
}
