/**
 * `index --watch`: the ingest worker without a screen, for people who keep an index warm in a tmux window.
 * Prints the first pass's progress, then one line per change, until Ctrl-C or SIGTERM.
 */
import { dataDir } from '../paths.js';
import { startIngestWorker } from '../ingest/client.js';
import type { FromWorker } from '../ingest/protocol.js';
import type { SourceRoots } from '../ingest/sources.js';
import { totalSkipped } from '../ingest/stats.js';
import { closeDatabase, ensureIndex, openDatabase } from '../store/db.js';
import { StoreReader } from '../store/reader.js';
import { progressText, secretsProgressText } from '../ui/format.js';
import { writeOut } from './common.js';

const WORKER_URL = new URL('./worker.js', import.meta.url);
const PROGRESS_EVERY_MS = 1000;

const clock = () => new Date().toTimeString().slice(0, 8);

export async function indexWatch(dbPath: string, roots: SourceRoots, json: boolean): Promise<number> {
  ensureIndex(dbPath);
  const db = openDatabase(dbPath, { readonly: true });
  const reader = new StoreReader(db);
  let lastProgress = 0;
  let failed = false;
  const say = (event: Record<string, unknown>, text: string) => writeOut(json ? JSON.stringify({ time: new Date().toISOString(), ...event }) : `${clock()}  ${text}`);
  const onMessage = (msg: FromWorker) => {
    switch (msg.type) {
      case 'progress':
        if (Date.now() - lastProgress < PROGRESS_EVERY_MS && msg.filesDone < msg.filesTotal) return;
        lastProgress = Date.now();
        say({ type: 'progress', filesDone: msg.filesDone, filesTotal: msg.filesTotal, bytesDone: msg.bytesDone, bytesTotal: msg.bytesTotal }, progressText(msg));
        break;
      case 'pass-done': {
        const st = msg.stats;
        say(
          { type: 'pass-done', stats: st },
          `indexed ${st.filesSeen} files: added ${st.sessionsAdded} sessions and ${st.messagesAdded} messages, skipped ${totalSkipped(st)} lines; watching for changes (Ctrl-C stops)`,
        );
        break;
      }
      case 'sessions-changed':
        for (const id of msg.sessionIds) {
          const s = reader.getSession(id);
          if (!s) continue;
          const title = s.title ?? s.summary ?? '';
          say({ type: 'session-changed', id, agent: s.agent, messageCount: s.messageCount, sourceGone: s.sourceGone }, `${s.agent}  ${id.slice(0, 8)}  ${s.messageCount} messages${s.sourceGone ? '  (source deleted; kept)' : ''}  ${title.slice(0, 80)}`);
        }
        break;
      case 'log':
        say({ type: 'log', level: msg.level, message: msg.message }, `${msg.level}: ${msg.message}`);
        break;
      case 'error':
        failed = true;
        say({ type: 'error', message: msg.message }, `error: ${msg.message}`);
        break;
      case 'secrets-progress':
        if (msg.scanned === msg.total || Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
          lastProgress = Date.now();
          say({ type: 'secrets-progress', scanned: msg.scanned, total: msg.total }, secretsProgressText(msg));
        }
        break;
      case 'closed':
        break;
    }
  };
  const client = startIngestWorker({ dbPath, dataDir: dataDir(), roots, follow: true }, onMessage, WORKER_URL);
  const stop = () => void client.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await client.exited;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  closeDatabase(db);
  return failed ? 1 : 0;
}
