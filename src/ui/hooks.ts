/**
 * State hooks: the terminal's size, and the rows a screen shows, read from the index by window. Nothing here loads a
 * whole session or the whole list into React state.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStdout } from 'ink';
import type { MessageRow, ScrubBucket, SessionFilter, SessionRow, TimelineReader } from '../store/rows.js';
import { terminalSize, type Size } from './screen.js';

export type { Size } from './screen.js';

/** The terminal's size, following resizes. `fixed` (tests, benchmarks) overrides it. */
export function useTerminalSize(fixed?: Size): Size {
  const { stdout } = useStdout();
  const read = (): Size => terminalSize(stdout);
  const [size, setSize] = useState<Size>(fixed ?? read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout, fixed]);
  return fixed ?? size;
}

/** The visible page of the session list and the total it is a page of. `version` changes when the index does. */
export function useSessionPage(reader: TimelineReader, filter: SessionFilter, offset: number, height: number, version: number) {
  const total = useMemo(() => reader.countSessions(filter), [reader, filter, version]);
  const rows = useMemo(() => reader.listSessions(filter, offset, Math.max(0, height)), [reader, filter, offset, height, version]);
  return { total, rows };
}

/** Messages around the cursor, fetched a window at a time, so stepping reads SQLite once per WINDOW steps. */
export class MessageWindow {
  static readonly SIZE = 64;
  private sessionId: string | null = null;
  private version = -1;
  private start = 0;
  private rows: MessageRow[] = [];

  constructor(private readonly reader: TimelineReader) {}

  /** The message at `seq`; `version` is the index's change counter: a new one drops what was cached. */
  get(sessionId: string, seq: number, version = 0): MessageRow | undefined {
    if (sessionId !== this.sessionId || version !== this.version || seq < this.start || seq >= this.start + this.rows.length) {
      // Centre the window on the cursor so stepping either way stays inside it.
      this.start = Math.max(1, seq - MessageWindow.SIZE / 2);
      this.rows = this.reader.getMessages(sessionId, this.start, MessageWindow.SIZE);
      this.sessionId = sessionId;
      this.version = version;
      // Sequence numbers are dense from 1, so the row for seq sits at seq - start.
    }
    const row = this.rows[seq - this.start];
    return row && row.seq === seq ? row : this.reader.getMessage(sessionId, seq);
  }
}

export interface TimelineData {
  readonly session: SessionRow | undefined;
  readonly message: MessageRow | undefined;
  readonly buckets: readonly ScrubBucket[];
}

/** What the open timeline shows: the session, the message at the cursor, and the scrubber's buckets. */
export function useTimelineData(reader: TimelineReader, sessionId: string | null, seq: number, barWidth: number, version: number): TimelineData {
  const windowRef = useRef<MessageWindow | null>(null);
  windowRef.current ??= new MessageWindow(reader);
  const session = useMemo(() => (sessionId ? reader.getSession(sessionId) : undefined), [reader, sessionId, version]);
  const message = sessionId ? windowRef.current.get(sessionId, seq, version) : undefined;
  const count = session?.messageCount ?? 0;
  const buckets = useMemo(
    () => (sessionId && barWidth > 0 ? reader.getScrubBuckets(sessionId, barWidth) : []),
    [reader, sessionId, barWidth, count],
  );
  return { session, message, buckets };
}
