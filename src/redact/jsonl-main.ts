/**
 * A standalone entry for the redaction filter, bundled by the score test and the benchmark:
 *   node jsonl-main.js [--plain] [FILE|-]
 * JSONL mode by default (`{"id","text"}` lines in, `{"id","spans"}` lines out), as score_redactor.mjs expects.
 */
import { redactCommand } from './filter.js';

const args = process.argv.slice(2);
const plain = args.includes('--plain');
const file = args.find((a) => a !== '--plain');

redactCommand(file, { jsonl: !plain }).catch((err: unknown) => {
  process.stderr.write(`redact: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
