/** Shapes shared by the detector's rule table, its tiers and its engine. */

/** A secret found in a text: JavaScript string indices, `end` exclusive. */
export interface SecretSpan {
  start: number;
  end: number;
  kind: string;
}

/** The tiers in the order the issue names them; when spans of several tiers merge, the earlier tier names the kind. */
export type Tier = 'token' | 'structure' | 'assignment';

export const TIER_PRIORITY: Record<Tier, number> = { token: 3, structure: 2, assignment: 1 };

/** What one rule's test checks: text that must be found (⟦…⟧ marks the span when it is not the whole text) and not. */
export interface RuleSamples {
  positive: readonly string[];
  negative: readonly string[];
}

/**
 * Collects the spans the tiers find during one scan. Also carries the scan's floors: positions before which anchors of
 * a tier are known to lie inside something already decided, so they are skipped (this keeps adversarial input linear).
 */
export class SpanSink {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  readonly kinds: string[] = [];
  readonly priorities: number[] = [];
  /** Token anchors before this index lie inside a token or key block already found. */
  tokenFloor = 0;
  /** Keyword anchors before this index belong to an identifier or value already examined. */
  keyFloor = 0;
  /** Cache for private-key blocks: the first `-----END` at or after `endFrom` is at `endAt` (-1: none). */
  endFrom = -1;
  endAt = -1;
  /** Cache for command-line flags: the simple command around the flag at `commandFrom` starts at `commandAt` (-1: too far). */
  commandFrom = -1;
  commandAt = -1;

  add(start: number, end: number, kind: string, tier: Tier): void {
    if (end <= start) return;
    this.starts.push(start);
    this.ends.push(end);
    this.kinds.push(kind);
    this.priorities.push(TIER_PRIORITY[tier]);
  }

  get size(): number {
    return this.starts.length;
  }
}

/**
 * A rule's way of looking at the text where one of its anchors was found. `at` is the anchor's index; the finder adds
 * what it finds to the sink. Finders must do bounded work per call: the scan calls them at every anchor.
 */
export type Finder = (text: string, at: number, anchor: string, sink: SpanSink) => void;

/** A self-identifying token: a provider's documented format, found by its literal prefix (or infix) anchor. */
export interface TokenRule {
  readonly id: string;
  readonly kind: string;
  readonly tier: 'token';
  readonly description: string;
  /** Literal strings the single-pass scan looks for; every match of `pattern` contains one. */
  readonly anchors: readonly string[];
  /**
   * The whole token, matched with the sticky flag at its start. When it has a capture group, the group is the secret
   * (it must end where the match ends): e.g. only the path of a webhook URL.
   */
  readonly pattern: RegExp;
  /** Where the token starts: at the anchor (default), a fixed number of characters before it, or scanning back. */
  readonly back?: number | { readonly chars: string; readonly max: number };
  /** Characters besides `[A-Za-z0-9_]` that would continue the token: it may not start or end next to them. */
  readonly joiners?: string;
  /** The token is part of a URL (a webhook's path): it has no left boundary of its own. */
  readonly embedded?: boolean;
  /** Text that may directly precede the token although it ends in a token character (`/bot` before a Telegram token). */
  readonly after?: readonly string[];
  /** Minimum Shannon entropy (bits per character) of the whole match; default 3. */
  readonly minEntropy?: number;
  /** Extra validation of the matched token (e.g. a JWT header that decodes to JSON). */
  readonly check?: (token: string, text: string, start: number) => boolean;
  readonly samples: RuleSamples;
}

/** A structure (key blocks, credentials in URLs, auth headers, CLI flags) or a secret-named assignment. */
export interface StructureRule {
  readonly id: string;
  readonly kind: string;
  readonly tier: 'structure' | 'assignment';
  readonly description: string;
  readonly anchors: readonly string[];
  readonly find: Finder;
  readonly samples: RuleSamples;
}

export type Rule = TokenRule | StructureRule;
