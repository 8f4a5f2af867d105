import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamJson, type MemberAction } from '../src/ingest/json-stream.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mantra-jsonstream-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function stream(text: string, actions: Record<string, MemberAction> = {}, opts: { chunkBytes?: number; maxValueBytes?: number } = {}) {
  const file = path.join(dir, `${n++}.json`);
  fs.writeFileSync(file, text);
  const values: [string, unknown][] = [];
  const elements: [string | null, unknown, number][] = [];
  const oversized: (string | null)[] = [];
  const fd = fs.openSync(file, 'r');
  try {
    const outcome = streamJson(fd, Buffer.byteLength(text), {
      member: (key) => actions[key] ?? 'value',
      value: (key, json) => values.push([key, JSON.parse(json)]),
      element: (key, json, offset) => elements.push([key, JSON.parse(json), offset]),
      oversized: (key) => oversized.push(key),
    }, opts);
    return { outcome, values, elements, oversized };
  } finally {
    fs.closeSync(fd);
  }
}

const doc = {
  sessionId: 's1',
  n: 42,
  flag: true,
  none: null,
  messages: [{ id: 'a', text: 'braces } and ] and "quotes" and \\ backslashes, é, 😀' }, 'str', 7, [1, [2]], { nested: { deep: [{}] } }],
  tail: 'end',
};

describe('streamJson', () => {
  it.each([1, 3, 7, 64, 1 << 20])('streams members and array elements the same whatever the chunk size (%i bytes)', (chunkBytes) => {
    const text = JSON.stringify(doc, null, 2);
    const r = stream(text, { messages: 'elements' }, { chunkBytes });
    expect(r.outcome).toBe('complete');
    expect(r.values).toEqual([['sessionId', 's1'], ['n', 42], ['flag', true], ['none', null], ['tail', 'end']]);
    expect(r.elements.map(([k, v]) => [k, v])).toEqual(doc.messages.map((m) => ['messages', m]));
    // Offsets point at the element in the file.
    const bytes = Buffer.from(text);
    for (const [, v, offset] of r.elements) {
      const first = JSON.stringify(v)[0];
      expect(String.fromCharCode(bytes[offset])).toBe(first);
    }
  });

  it('streams the elements of a top-level array, with a BOM', () => {
    const r = stream('\uFEFF[ {"a":1} , "x" ,[ ] ]');
    expect(r.outcome).toBe('complete');
    expect(r.elements.map(([k, v]) => [k, v])).toEqual([[null, { a: 1 }], [null, 'x'], [null, []]]);
  });

  it('passes over skipped members without handing them over', () => {
    const r = stream(JSON.stringify(doc), { messages: 'skip', n: 'skip' });
    expect(r.outcome).toBe('complete');
    expect(r.values.map(([k]) => k)).toEqual(['sessionId', 'flag', 'none', 'tail']);
    expect(r.elements).toEqual([]);
  });

  it('hands over an `elements` member that is not an array as a value', () => {
    const r = stream('{"messages": "none"}', { messages: 'elements' });
    expect(r.values).toEqual([['messages', 'none']]);
  });

  it('reports a value over the cap without buffering it', () => {
    const big = 'y'.repeat(5000);
    const r = stream(JSON.stringify({ messages: [big, 'small'], k: big }), { messages: 'elements' }, { maxValueBytes: 1000, chunkBytes: 256 });
    expect(r.outcome).toBe('complete');
    expect(r.elements.map(([, v]) => v)).toEqual(['small']);
    expect(r.oversized).toEqual(['messages', 'k']);
  });

  it.each([
    ['', 'truncated'],
    ['{"sessionId": "s1", "messages": [{"id": "a"}, {"id": "b", "te', 'truncated'],
    ['{"sessionId": "s1"', 'truncated'],
    ['[1, 2', 'truncated'],
    ['not json', 'invalid'],
    ['{"a" 1}', 'invalid'],
    ['{1: 2}', 'invalid'],
    ['{"a": 1]', 'invalid'],
    ['{}', 'complete'],
    ['[]', 'complete'],
    ['  {"a": [ ] }  \n', 'complete'],
  ])('says how %j ended: %s', (text, outcome) => {
    expect(stream(text, { messages: 'elements', a: 'elements' }).outcome).toBe(outcome);
  });

  it('hands over the elements it completed before a file was cut short', () => {
    const r = stream('{"messages": [{"id": "a"}, {"id": "b"}, {"id": "c", "te', { messages: 'elements' });
    expect(r.outcome).toBe('truncated');
    expect(r.elements.map(([, v]) => v)).toEqual([{ id: 'a' }, { id: 'b' }]);
  });
});
