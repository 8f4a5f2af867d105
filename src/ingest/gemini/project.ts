/**
 * Which project a Gemini CLI folder `tmp/<project id>/` belongs to (formats/gemini-cli.md §1.1): read
 * `.project_root`, else the `projects.json` registry, else hash candidate paths and compare with the SHA-256 the
 * session records carry (the project id itself is that hash up to v0.28). Unknown stays null: never guessed.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isObject } from '../text.js';

export interface ProjectEvidence {
  /** Contents of `tmp/<id>/.project_root`, when the file exists. */
  readonly projectRootFile: string | null;
  /** `projects.json` turned around: project id → root. */
  readonly registry: ReadonlyMap<string, string>;
  readonly projectId: string;
  /** `projectHash` from the session's metadata, when known. */
  readonly projectHash: string | null;
  /** Paths that might be the root: registry roots, projects already in the index, the session's directories. */
  readonly candidates: readonly string[];
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}

/** `{"projects": {"<root>": "<id>"}}` → id → root; anything else → empty. */
export function parseRegistry(json: string): Map<string, string> {
  const out = new Map<string, string>();
  try {
    const doc: unknown = JSON.parse(json);
    const projects = isObject(doc) && isObject(doc.projects) ? doc.projects : {};
    for (const [root, id] of Object.entries(projects)) if (typeof id === 'string' && root) out.set(id, root);
  } catch {
    // a registry being rewritten: treated as absent this pass
  }
  return out;
}

/** Pure: the project root the evidence points at, or null. */
export function resolveProjectRoot(e: ProjectEvidence, hashOf: (p: string) => string = sha256): string | null {
  const marker = e.projectRootFile?.trim();
  if (marker) return marker;
  const registered = e.registry.get(e.projectId);
  if (registered) return registered;
  // The folder of a version up to 0.28 is the hash; every session record carries it too.
  const hashes = new Set([e.projectHash, e.projectId].filter((h): h is string => h !== null && SHA256_HEX.test(h)));
  if (hashes.size === 0) return null;
  for (const c of e.candidates) {
    // Gemini hashes the root as it saw it, without a trailing slash.
    const p = c.length > 1 ? c.replace(/[\\/]+$/, '') : c;
    if (hashes.has(hashOf(p))) return p;
  }
  return null;
}

function readText(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Project lookups for one pass over a Gemini dir: the registry is read once, hashes are computed once per path. */
export class GeminiProjects {
  private registry: Map<string, string> | null = null;
  private readonly hashes = new Map<string, string>();
  private readonly resolved = new Map<string, string | null>();

  constructor(private readonly geminiDir: string) {}

  private registryMap(): Map<string, string> {
    this.registry ??= parseRegistry(readText(path.join(this.geminiDir, 'projects.json')) ?? '{}');
    return this.registry;
  }

  private hash = (p: string): string => {
    let h = this.hashes.get(p);
    if (h === undefined) {
      h = sha256(p);
      this.hashes.set(p, h);
    }
    return h;
  };

  /**
   * The root of `tmp/<projectId>`; `knownPaths` is asked only when hashing is the last resort (it may query the
   * index). A null answer is not cached, so a later session with more evidence can still resolve it.
   */
  rootFor(projectDir: string, projectId: string, projectHash: string | null, extra: readonly string[], knownPaths: () => readonly string[]): string | null {
    const cacheKey = `${projectId}\0${projectHash ?? ''}`;
    const cached = this.resolved.get(cacheKey);
    if (cached) return cached;
    const registry = this.registryMap();
    const evidence: ProjectEvidence = {
      projectRootFile: readText(path.join(projectDir, '.project_root')),
      registry,
      projectId,
      projectHash,
      candidates: [],
    };
    let root = resolveProjectRoot(evidence, this.hash);
    if (root === null && (projectHash || SHA256_HEX.test(projectId))) {
      root = resolveProjectRoot({ ...evidence, candidates: [...registry.values(), ...extra, ...knownPaths()] }, this.hash);
    }
    if (root !== null) this.resolved.set(cacheKey, root);
    return root;
  }
}
