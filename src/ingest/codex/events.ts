/**
 * `event_msg` lines and the `item_completed` records inside them. Most events repeat response items or are
 * bookkeeping; they become rows only where they add something (errors, aborts, compactions, reviews) or where no
 * other line carried the same text. Pure.
 */
import { MAX_DATA_CHARS, MAX_TOOL_INPUT_CHARS, type FileEditData } from '../../model.js';
import { capJson, dataUrlPlaceholder, isObject, num, shorten, str, toJson, type Json } from '../text.js';
import { contentText, isInjectedContext } from './content.js';
import { isEcho, MAX_CALL_IDS, push, remember, type CodexState, type Line } from './state.js';
import { fileChangeEdits, toolCallRow } from './tools.js';

/**
 * Event kinds that are bookkeeping or repeat a response item: consumed without a row and without a count. Kinds
 * from the reference, the samples and Codex's protocol; any other kind is counted as unknown.
 */
const QUIET_EVENTS = new Set([
  'task_started', 'task_complete', 'token_count', 'exec_command_begin', 'exec_command_output_delta', 'exec_command_end',
  'patch_apply_begin', 'patch_apply_end', 'web_search_begin', 'web_search_end', 'mcp_tool_call_begin', 'mcp_tool_call_end',
  'mcp_startup_update', 'mcp_startup_complete', 'mcp_list_tools_response', 'turn_diff', 'plan_update',
  'agent_reasoning_raw_content', 'agent_reasoning_raw_content_delta', 'agent_reasoning_section_break',
  'agent_reasoning_delta', 'agent_message_delta', 'agent_message_content_delta', 'reasoning_content_delta',
  'reasoning_raw_content_delta', 'background_event', 'session_configured', 'get_history_entry_response',
  'list_custom_prompts_response', 'shutdown_complete', 'exec_approval_request', 'apply_patch_approval_request',
  'elicitation_request', 'thread_settings_applied', 'sub_agent_activity', 'guardian_assessment',
  'dynamic_tool_call_request', 'dynamic_tool_call_response', 'view_image_tool_call', 'image_generation_begin',
  'image_generation_end', 'thread_goal_updated', 'item_started', 'raw_response_item', 'deprecation_notice',
  'conversation_path',
]);
/** Multi-agent coordination events (`collab_agent_spawn_end`, `collab_waiting_end`, …): the threads hold the work. */
const QUIET_EVENT_PREFIXES = ['collab_'];

/** `item_completed` kinds that only repeat what other lines show (the plan tool's text, searches). */
const QUIET_ITEMS = new Set(['Plan', 'Extension', 'WebSearch']);

function eventText(payload: Json): string {
  const err = isObject(payload.error) ? payload.error : null;
  return str(payload.message) ?? (err ? str(err.message) : undefined) ?? str(payload.reason) ?? '';
}

export function eventMsg(l: Line, state: CodexState, ev: Json): string | null {
  const type = str(ev.type) ?? '';
  switch (type) {
    case 'user_message': {
      const message = str(ev.message) ?? '';
      const images = [
        ...(Array.isArray(ev.images) ? ev.images.filter((u): u is string => typeof u === 'string').map((u) => (u.startsWith('data:') ? dataUrlPlaceholder(u) : `[image: ${shorten(u, 200)}]`)) : []),
        ...(Array.isArray(ev.local_images) ? ev.local_images.filter((p): p is string => typeof p === 'string').map((p) => `[image: ${shorten(p, 200)}]`) : []),
      ];
      if (!isEcho(state, 'prompt', message, 'event')) {
        const text = [message, ...images].filter(Boolean).join('\n');
        if (text) push(l, isInjectedContext(message) ? { role: 'user', kind: 'system', text, subtype: 'context' } : { role: 'user', kind: 'prompt', text });
      }
      return null;
    }
    case 'agent_message': {
      const message = str(ev.message) ?? '';
      if (message && !isEcho(state, 'reply', message, 'event')) push(l, { role: 'assistant', kind: 'reply', text: message });
      return null;
    }
    case 'agent_reasoning': {
      const text = str(ev.text) ?? '';
      if (text && !isEcho(state, 'thinking', text, 'event')) push(l, { role: 'assistant', kind: 'thinking', text });
      return null;
    }
    case 'turn_aborted':
      push(l, { role: 'system', kind: 'system', text: `Turn aborted${str(ev.reason) ? ` (${str(ev.reason)})` : ''}`, subtype: 'turn_aborted' });
      return null;
    case 'error':
    case 'stream_error':
      push(l, { role: 'system', kind: 'system', text: eventText(ev) || (type === 'error' ? 'Error' : 'Stream error'), subtype: type, isError: true });
      return null;
    case 'warning':
      push(l, { role: 'system', kind: 'system', text: eventText(ev) || 'Warning', subtype: 'warning' });
      return null;
    case 'context_compacted':
      push(l, { role: 'system', kind: 'system', text: 'Conversation compacted', subtype: 'compact_boundary' });
      return null;
    case 'thread_name_updated':
      if (str(ev.thread_name)) state.threadName = str(ev.thread_name)!;
      return null;
    case 'entered_review_mode': {
      const target = isObject(ev.target) ? ev.target : {};
      push(l, { role: 'system', kind: 'system', text: `Review started${str(target.type) ? ` (${str(target.type)})` : ''}`, subtype: 'review' });
      return null;
    }
    case 'exited_review_mode': {
      const review = isObject(ev.review_output) ? ev.review_output : {};
      const findings = Array.isArray(review.findings) ? review.findings.filter(isObject) : [];
      const lines = [`Review finished: ${findings.length} finding${findings.length === 1 ? '' : 's'}`, str(review.overall_explanation) ?? ''];
      for (const f of findings) lines.push(`- ${str(f.title) ?? ''}${str(f.body) ? `: ${str(f.body)}` : ''}`);
      push(l, { role: 'system', kind: 'system', text: lines.filter(Boolean).join('\n'), subtype: 'review' });
      return null;
    }
    case 'undo_completed':
      push(l, { role: 'system', kind: 'system', text: `Undo ${ev.success === false ? 'failed' : 'completed'}${str(ev.message) ? `: ${str(ev.message)}` : ''}`, subtype: 'undo', isError: ev.success === false });
      return null;
    case 'item_completed':
      return completedItem(l, state, isObject(ev.item) ? ev.item : {});
    default:
      break;
  }
  // Failures reported beside a call mark its output, which may not say so itself.
  const callId = str(ev.call_id);
  if (callId) {
    const failed =
      (type === 'exec_command_end' && num(ev.exit_code) !== undefined && ev.exit_code !== 0) ||
      (type === 'patch_apply_end' && ev.success === false) ||
      (type === 'mcp_tool_call_end' && isObject(ev.result) && ('Err' in ev.result || (isObject(ev.result.Ok) && ev.result.Ok.isError === true)));
    if (failed) remember(state.failed, callId, MAX_CALL_IDS);
  }
  if (type === 'task_complete' && isObject(ev.error)) {
    push(l, { role: 'system', kind: 'system', text: eventText(ev) || 'Turn failed', subtype: 'error', isError: true });
    return null;
  }
  if (QUIET_EVENTS.has(type) || QUIET_EVENT_PREFIXES.some((p) => type.startsWith(p))) return null;
  return `unknown-type:event_msg/${(type || '(none)').slice(0, 60)}`;
}

/** `item_completed` (paginated history and code mode): shown only when no other line carried the same thing. */
function completedItem(l: Line, state: CodexState, item: Json): string | null {
  const type = str(item.type) ?? '';
  const id = str(item.id) ?? null;
  switch (type) {
    case 'UserMessage':
    case 'AgentMessage': {
      const { text, key } = contentText(item.content);
      const kind = type === 'UserMessage' ? 'prompt' : 'reply';
      if (text && !isEcho(state, kind, key || text, 'completed')) {
        if (kind === 'prompt') push(l, isInjectedContext(text) ? { role: 'user', kind: 'system', text, subtype: 'context' } : { role: 'user', kind: 'prompt', text });
        else push(l, { role: 'assistant', kind: 'reply', text });
      }
      return null;
    }
    case 'Reasoning': {
      const parts = [item.summary_text, item.summary].flatMap((v) => (Array.isArray(v) ? v : [])).map((p) => (typeof p === 'string' ? p : isObject(p) ? str(p.text) ?? '' : '')).filter(Boolean);
      if (parts.length === 0) return null;
      const echoes = parts.map((p) => isEcho(state, 'thinking', p, 'completed'));
      if (!echoes.every(Boolean)) push(l, { role: 'assistant', kind: 'thinking', text: parts.join('\n\n') });
      return null;
    }
    case 'CommandExecution': {
      if (id && state.calls.includes(id)) return null;
      const cwd = str(item.cwd) ?? null;
      toolCallRow(l, state, { name: 'exec_command', callId: id, input: toJson({ command: item.command, cwd }), args: { command: item.command }, cwd });
      const exit = num(item.exit_code);
      const output = str(item.aggregated_output) ?? [str(item.stdout), str(item.stderr)].filter(Boolean).join('\n');
      push(l, { role: 'tool', kind: 'tool-result', text: output, toolUseId: id, toolName: 'exec_command', isError: (exit !== undefined && exit !== 0) || item.status === 'failed' });
      return null;
    }
    case 'FileChange': {
      if (id && state.calls.includes(id)) return null;
      const { files, edits } = fileChangeEdits(item.changes, state.cwd);
      const json = JSON.stringify({ edits } satisfies FileEditData);
      push(l, {
        role: 'assistant',
        kind: 'tool-call',
        text: `file_change: ${files.length ? shorten(files.join(', '), 400) : '(no files)'}`,
        toolName: 'file_change',
        toolInput: capJson(toJson(item.changes ?? {}), MAX_TOOL_INPUT_CHARS),
        toolUseId: id,
        files,
        data: edits.length && json.length <= MAX_DATA_CHARS ? json : null,
      });
      const output = [str(item.stdout), str(item.stderr)].filter(Boolean).join('\n');
      push(l, { role: 'tool', kind: 'tool-result', text: output, toolUseId: id, toolName: 'file_change', isError: item.status === 'failed' || item.status === 'declined' });
      return null;
    }
    case 'McpToolCall': {
      if (id && state.calls.includes(id)) return null;
      const name = [str(item.server), str(item.tool)].filter(Boolean).join('__') || 'mcp';
      toolCallRow(l, state, { name, callId: id, input: toJson(item.arguments ?? {}), args: isObject(item.arguments) ? item.arguments : null, cwd: null });
      const result = item.result ?? item.error ?? '';
      const text = typeof result === 'string' ? result : isObject(result) && Array.isArray(result.content) ? contentText(result.content).text : toJson(result);
      push(l, { role: 'tool', kind: 'tool-result', text, toolUseId: id, toolName: name, isError: item.error !== undefined && item.error !== null || item.status === 'failed' });
      return null;
    }
    default:
      if (QUIET_ITEMS.has(type)) return null;
      return `unknown-type:item_completed/${(type || '(none)').slice(0, 60)}`;
  }
}

