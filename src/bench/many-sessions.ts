/**
 * A Claude Code history of many small sessions, for the idle-watcher benchmark: thousands of session files spread
 * over many project folders, almost all untouched for days to a year, a few changed in the last half hour (what the
 * live follower watches closely) and a few in the last day (what it polls). Deterministic for a seed and a clock.
 */
import fs from 'node:fs';
import path from 'node:path';
import { rng, sentence, uuidFrom } from './corpus.js';

export interface ManySessionsSpec {
  readonly files: number;
  /** Project folders the files are spread over (round robin). */
  readonly projects: number;
  /** Files whose mtime falls in the last 30 minutes. */
  readonly recent: number;
  /** Files whose mtime falls between 1 and 20 hours ago. */
  readonly warm: number;
  /** The clock the ages are measured from (epoch ms). */
  readonly now: number;
  readonly seed?: number;
}

export interface ManySessions {
  readonly claudeDir: string;
  readonly files: readonly string[];
  readonly bytes: number;
  readonly projects: number;
  /** Files by age: changed in the last 30 minutes, in the last day, and older. */
  readonly recent: number;
  readonly warm: number;
  readonly old: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One short session: a prompt, a tool call and its result, an answer (4–10 lines, about 1–4 KB). */
function smallSession(r: () => number, sessionId: string, cwd: string, start: number): string {
  const lines: string[] = [];
  let parent: string | null = null;
  let t = start;
  const base = () => {
    const uuid = uuidFrom(r);
    const b = { parentUuid: parent, isSidechain: false, userType: 'external', cwd, sessionId, version: '2.1.150', gitBranch: 'main', uuid, timestamp: new Date((t += 1000 + Math.floor(r() * 30_000))).toISOString() };
    parent = uuid;
    return b;
  };
  const turns = 1 + Math.floor(r() * 3);
  for (let turn = 0; turn < turns; turn++) {
    lines.push(JSON.stringify({ ...base(), type: 'user', message: { role: 'user', content: `${sentence(r, 6 + Math.floor(r() * 20))}?` } }));
    if (r() < 0.6) {
      const id = `toolu_${uuidFrom(r).replaceAll('-', '').slice(0, 24)}`;
      lines.push(JSON.stringify({ ...base(), type: 'assistant', message: { id: `msg_${id.slice(6, 18)}`, type: 'message', role: 'assistant', content: [{ type: 'tool_use', id, name: 'Bash', input: { command: 'npm test' } }] } }));
      lines.push(JSON.stringify({ ...base(), type: 'user', message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content: sentence(r, 20 + Math.floor(r() * 150)), is_error: false }] } }));
    }
    lines.push(JSON.stringify({ ...base(), type: 'assistant', message: { id: `msg_${uuidFrom(r).slice(0, 12)}`, type: 'message', role: 'assistant', content: [{ type: 'text', text: sentence(r, 15 + Math.floor(r() * 60)) }] } }));
  }
  return `${lines.join('\n')}\n`;
}

/** The age of the i-th file: the first `recent` files are hot, the next `warm` are warm, the rest days to a year old. */
function ageOf(i: number, spec: ManySessionsSpec, r: () => number): number {
  if (i < spec.recent) return MINUTE + Math.floor(r() * 28 * MINUTE);
  if (i < spec.recent + spec.warm) return HOUR + Math.floor(r() * 19 * HOUR);
  return 2 * DAY + Math.floor(r() * 363 * DAY);
}

export function generateManySessions(root: string, spec: ManySessionsSpec): ManySessions {
  if (spec.recent + spec.warm > spec.files) throw new Error('more recent and warm files than files');
  const r = rng(spec.seed ?? 15);
  const claudeDir = path.join(root, 'claude');
  const projectDirs: string[] = [];
  for (let p = 0; p < spec.projects; p++) {
    const dir = path.join(claudeDir, 'projects', `-home-dev-work-project-${String(p).padStart(4, '0')}`);
    fs.mkdirSync(dir, { recursive: true });
    projectDirs.push(dir);
  }
  const files: string[] = [];
  let bytes = 0;
  for (let i = 0; i < spec.files; i++) {
    const project = i % spec.projects;
    const id = uuidFrom(r);
    const file = path.join(projectDirs[project], `${id}.jsonl`);
    const mtime = spec.now - ageOf(i, spec, r);
    const text = smallSession(r, id, `/home/dev/work/project-${project}`, mtime - 20 * MINUTE);
    fs.writeFileSync(file, text);
    fs.utimesSync(file, mtime / 1000, mtime / 1000);
    bytes += Buffer.byteLength(text);
    files.push(file);
  }
  return { claudeDir, files, bytes, projects: spec.projects, recent: spec.recent, warm: spec.warm, old: spec.files - spec.recent - spec.warm };
}
