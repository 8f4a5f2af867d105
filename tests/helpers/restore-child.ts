/**
 * Entry for the fault-injection test: runs one in-place restore through the real service, as the CLI would.
 * Bundled with esbuild by tests/restore-crash.test.ts and killed with SIGKILL at random points.
 *   node restore-child.mjs DB DATA_DIR SESSION SEQ
 */
import { closeDatabase, openDatabase } from '../../src/store/db.js';
import { StoreReader } from '../../src/store/reader.js';
import { IndexWriter } from '../../src/store/writer.js';
import { RestoreService } from '../../src/restore/service.js';

const [dbPath, dataDir, sessionId, seq] = process.argv.slice(2);
const db = openDatabase(dbPath);
try {
  const service = new RestoreService({ reader: new StoreReader(db), writer: new IndexWriter(db), dataDir });
  const preview = await service.previewRestore(sessionId, Number(seq));
  const outcome = await service.restoreInPlace(preview);
  process.stdout.write(JSON.stringify(outcome));
} finally {
  closeDatabase(db);
}
