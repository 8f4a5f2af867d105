/** What the rest of the program tells an open TUI: background progress, and that the index changed. */

export type TuiEvent =
  /** A status-line message for background work (one per `source`: indexing, the secret scan); null clears it. */
  | { readonly type: 'progress'; readonly text: string | null; readonly source?: string }
  /** The index changed: screens re-read their windows. */
  | { readonly type: 'changed' };

export class TuiEvents {
  private readonly listeners = new Set<(e: TuiEvent) => void>();

  emit(event: TuiEvent): void {
    for (const l of this.listeners) l(event);
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: (e: TuiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
