/** The Antigravity adapter (`agy` CLI, the 2.x desktop app, the IDE): step transcripts plus side indexes. */
import fs from 'node:fs';
import type { IndexWriter } from '../../store/writer.js';
import type { Adapter, AdapterDiagnosis } from '../adapter.js';
import { snapshotDirFor } from '../foreign-db.js';
import { isObject, tryJson } from '../text.js';
import { discoverAntigravity, discoverProfile, profilesOf, unreadableIn, type AgyCandidate } from './discover.js';
import { ingestAntigravityFile, type AgyPass } from './ingest.js';
import { ProfileSideIndex } from './side-index.js';

export interface AntigravityRoots {
  /** Profiles or folders of `antigravity*` profiles (paths.ts `resolveAntigravityDirs`). */
  readonly dirs: readonly string[];
  /** Why each dir was chosen (flag, default, env var), for `doctor`. */
  readonly notes?: readonly string[];
}

function newPass(): AgyPass {
  const sides = new Map<string, ProfileSideIndex>();
  let parents: Map<string, string> | null = null;
  return {
    side(c, writer) {
      let s = sides.get(c.profileDir);
      if (!s) sides.set(c.profileDir, (s = new ProfileSideIndex(c.profileDir, c.configDir, snapshotDirFor(writer.db.name))));
      return s;
    },
    parentOf(writer: IndexWriter, conversationId: string) {
      if (!parents) {
        parents = new Map();
        for (const f of writer.listSourceFiles('antigravity')) {
          const st = f.state ? tryJson(f.state) : undefined;
          if (!isObject(st) || !Array.isArray(st.childIds)) continue;
          // The parent is the conversation whose brain folder holds this file.
          const m = /[\\/]brain[\\/]([^\\/]+)[\\/]/.exec(f.path);
          if (!m) continue;
          for (const child of st.childIds) if (typeof child === 'string') parents.set(child, m[1]);
        }
      }
      return parents.get(conversationId) ?? null;
    },
  };
}

export function antigravityAdapter(roots: AntigravityRoots): Adapter<AgyCandidate> {
  let pass = newPass();
  return {
    agent: 'antigravity',
    root: roots.dirs[0] ?? '',
    discover() {
      pass = newPass();
      return discoverAntigravity(roots.dirs);
    },
    ingest(writer, c, stats) {
      ingestAntigravityFile(writer, c, stats, pass);
    },
    diagnose(): AdapterDiagnosis {
      const profiles = profilesOf(roots.dirs);
      const locations: { path: string; exists: boolean; note?: string }[] = roots.dirs.map((d, i) => ({
        path: d,
        exists: fs.existsSync(d),
        note: roots.notes?.[i] ?? (profiles.some((p) => p.dir === d) ? 'an Antigravity profile' : 'scanned for antigravity* profiles'),
      }));
      let files = 0;
      const unreadable: { path: string; reason: string }[] = [];
      for (const p of profiles) {
        const found = discoverProfile(p);
        files += found.length;
        locations.push({ path: p.dir, exists: true, note: `profile: ${found.length} transcript(s)` });
        unreadable.push(...unreadableIn(p, new Set(found.map((c) => c.conversationId))));
      }
      return { locations, files, unreadable };
    },
  };
}
