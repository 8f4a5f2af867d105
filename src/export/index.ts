/**
 * Exports of a session as Markdown, HTML or JSON. Pure renderers fed one message at a time, so a session of any
 * length streams through in bounded memory:
 * - `windowedMessages(reader, sessionId, from, to)`: the messages of the window, a page at a time;
 * - `prepareHeader` / `prepareMessage`: rows → export shapes, every free text through a `Redactor`
 *   (`maskingRedactor()` re-scans with the detector as it is now; `identityRedactor()` for --no-redact);
 * - `exportChunks(format, header, messages)`: the document, chunk by chunk.
 */
import type { TimelineReader, MessageRow } from '../store/rows.js';
import { htmlRenderer } from './html.js';
import { jsonRenderer } from './json.js';
import { markdownRenderer } from './markdown.js';
import type { ExportFormat, ExportHeader, ExportMessage, ExportRenderer } from './types.js';

export { EXPORT_FORMATS, formatForPath, type ExportFormat, type ExportHeader, type ExportMessage, type ExportRenderer, type ExportSession } from './types.js';
export { prepareHeader, prepareMessage } from './prepare.js';
export { identityRedactor, maskHunk, maskingRedactor, redactDiffFile, type Redactor } from './redact.js';
export { exportDiffJson, exportMessageJson, exportSessionJson } from './json.js';

const RENDERERS: Record<ExportFormat, ExportRenderer> = { md: markdownRenderer, html: htmlRenderer, json: jsonRenderer };

export function rendererFor(format: ExportFormat): ExportRenderer {
  return RENDERERS[format];
}

/** Messages `from`..`to` (seq, inclusive) of a session, read a page at a time. */
export function* windowedMessages(reader: Pick<TimelineReader, 'getMessages'>, sessionId: string, from: number, to: number, pageSize = 500): Generator<MessageRow> {
  let next = from;
  while (next <= to) {
    const page = reader.getMessages(sessionId, next, Math.min(pageSize, to - next + 1));
    if (page.length === 0) return;
    for (const m of page) {
      if (m.seq > to) return;
      yield m;
    }
    next = page[page.length - 1].seq + 1;
  }
}

/** The document as a sequence of chunks: the header, one chunk per message, the end. Nothing is held between them. */
export async function* exportChunks(format: ExportFormat, header: ExportHeader, messages: Iterable<ExportMessage> | AsyncIterable<ExportMessage>): AsyncGenerator<string> {
  const r = rendererFor(format);
  yield r.begin(header);
  let written = 0;
  for await (const m of messages) yield r.message(m, written++);
  yield r.end(header, written);
}
