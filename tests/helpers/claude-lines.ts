/** Builders for Claude Code transcript lines, shaped as shared/formats/claude-code.md describes them. */
let counter = 0;
export function uuid(n = ++counter): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

interface Common {
  uuid: string;
  parentUuid?: string | null;
  sessionId: string;
  timestamp: string;
  cwd?: string;
  gitBranch?: string;
}

function common(c: Common) {
  return {
    parentUuid: c.parentUuid ?? null,
    isSidechain: false,
    userType: 'external',
    cwd: c.cwd ?? '/home/ada/shop',
    sessionId: c.sessionId,
    version: '2.1.150',
    gitBranch: c.gitBranch ?? 'main',
    uuid: c.uuid,
    timestamp: c.timestamp,
  };
}

export function prompt(c: Common, text: string): string {
  return JSON.stringify({ ...common(c), type: 'user', message: { role: 'user', content: text } });
}

export function reply(c: Common, text: string, msgId = `msg_${c.uuid.slice(-6)}`): string {
  return JSON.stringify({
    ...common(c),
    type: 'assistant',
    requestId: 'req_1',
    message: { id: msgId, type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [{ type: 'text', text }], stop_reason: null },
  });
}

export function toolUse(c: Common, id: string, name: string, input: Record<string, unknown>): string {
  return JSON.stringify({
    ...common(c),
    type: 'assistant',
    message: { id: `msg_${c.uuid.slice(-6)}`, type: 'message', role: 'assistant', content: [{ type: 'tool_use', id, name, input }] },
  });
}

export function toolResult(c: Common, id: string, content: string, isError = false, toolUseResult?: unknown): string {
  return JSON.stringify({
    ...common(c),
    type: 'user',
    message: { role: 'user', content: [{ tool_use_id: id, type: 'tool_result', content, is_error: isError }] },
    ...(toolUseResult === undefined ? {} : { toolUseResult }),
  });
}

export function ts(minute: number): string {
  return new Date(Date.UTC(2026, 4, 2, 9, minute, 0)).toISOString();
}
