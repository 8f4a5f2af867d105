/**
 * The root: owns navigation state and the one input handler, reads the rows the top screen needs by window, and
 * hands them to pure views. Keys are resolved through the keybinding table (keys.ts) and applied by navigation.ts;
 * slow answers (diffs, restore plans) arrive through `actions`, latest request wins, and never block a key.
 */
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, useApp, useInput, type Key } from 'ink';
import type { RestoreDone } from '../ingest/protocol.js';
import type { SessionFilter, TimelineReader } from '../store/rows.js';
import type { TimelineActions } from './actions.js';
import { diffRows, labelRole, weakestLabel } from './diff-rows.js';
import type { TuiEvents } from './events.js';
import { HelpView, helpBodyHeight, helpRows } from './HelpView.js';
import { useSessionPage, useTerminalSize, useTimelineData, type Size } from './hooks.js';
import { keyNames, resolveKey, type CommandId } from './keys.js';
import { ListView, listHeight } from './ListView.js';
import { listScope } from './list-screen.js';
import { layoutBody, type BodyRow } from './message-body.js';
import {
  applyCommand,
  finishOverlay,
  followGrowth,
  initialNav,
  newMessages,
  refitList,
  screenKind,
  topScreen,
  typeIntoSearch,
  type NavEnv,
  type NavState,
  type Screen,
} from './navigation.js';
import { restoreRows, undoRows } from './overlays.js';
import { panelBodyHeight, PanelView } from './PanelView.js';
import type { Span } from './spans.js';
import { COLOR_THEME, type Theme } from './theme.js';
import { ThemeContext } from './theme-context.js';
import { scrubberWidth, splitBody, timelineBodyHeight, TimelineView } from './TimelineView.js';
import { useLatest, type Async } from './use-latest.js';
import { redactText } from '../redact/mask.js';
import { visibleMatch } from '../search/index.js';
import { groupBySession, searchOffset, searchRows } from './search-rows.js';
import { searchBodyHeight, SearchView } from './SearchView.js';
import { maskMessage, secretCount, secretKinds, spansOfMessage } from './secrets.js';
import { NO_SPANS, type FieldSpans } from '../store/secrets.js';

export interface AppProps {
  readonly reader: TimelineReader;
  /** Diffs, restore plans, restores and undo; without them those keys say they are unavailable. */
  readonly actions?: TimelineActions;
  /** Open this session's timeline straight away (Esc still leads to the list). */
  readonly initialSessionId?: string;
  /** A note for the header, e.g. that demo data is shown. */
  readonly notice?: string;
  readonly events?: TuiEvents;
  /** Fixed size for tests and benchmarks; otherwise the terminal's, following resizes. */
  readonly size?: Size;
  readonly theme?: Theme;
  readonly now?: () => number;
  readonly home?: string;
  /** The repository of the directory mantra-tui was started in: `p` filters the list to it. */
  readonly thisProject?: string | null;
}

/** Results are asked for once typing pauses this long. */
const SEARCH_SETTLE_MS = 60;
const SEARCH_LIMIT = 200;
/** A diff is asked for once the cursor rests this long: scrubbing past a message costs nothing. */
const DIFF_SETTLE_MS = 40;

/** The screen overlays are drawn over: help, restore and undo fill the screen, the rest stays loaded beneath. */
function contentScreen(stack: readonly Screen[]): Screen {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i].kind === 'list' || stack[i].kind === 'timeline') return stack[i];
  return stack[0];
}

const NONE: ReadonlySet<CommandId> = new Set();
/** An overlay's actions, offered only while its plan is on screen and there is something to do. */
const ACTIONS_OF_OVERLAYS: ReadonlySet<CommandId> = new Set(['restore.worktree', 'restore.inPlace', 'undo.confirm']);

/** A key name that is a character to type (not a named key like `up` or a chord like `C-u`). */
function isText(name: string): boolean {
  return [...name].length === 1 && name >= ' ';
}

const unavailable = (): Promise<never> => Promise.reject(new Error('not available here: diffs and restores need the index of a real session'));

export function App(props: AppProps): React.JSX.Element {
  const { reader } = props;
  const actions = props.actions;
  const { exit } = useApp();
  const size = useTerminalSize(props.size);
  const [nav, setNav] = useState<NavState>(() =>
    initialNav(props.initialSessionId, props.initialSessionId ? reader.getSession(props.initialSessionId)?.messageCount ?? 0 : 0),
  );
  const [version, setVersion] = useState(0);
  // Background work by source (indexing, the secret scan), shown together in the status line.
  const [progressBy, setProgressBy] = useState<Readonly<Record<string, string>>>({});
  const progress = Object.values(progressBy).join(' · ') || null;

  useEffect(() => {
    if (!props.events) return;
    return props.events.subscribe((e) => {
      if (e.type === 'progress') {
        const source = e.source ?? 'index';
        setProgressBy((p) => {
          if ((p[source] ?? null) === e.text) return p;
          const next = { ...p };
          if (e.text === null) delete next[source];
          else next[source] = e.text;
          return next;
        });
      } else setVersion((v) => v + 1);
    });
  }, [props.events]);

  const top = topScreen(nav);
  const content = contentScreen(nav.stack);
  const agentFilter = nav.filter?.agent ?? null;
  const projectFilter = nav.filter?.thisProject && props.thisProject ? props.thisProject : null;
  const filter = useMemo<SessionFilter>(() => ({ agent: agentFilter ?? undefined, project: projectFilter ?? undefined }), [agentFilter, projectFilter]);
  const listRows = listHeight(size.rows);
  const page = useSessionPage(reader, filter, nav.list.offset, listRows, version);

  const timeline = content.kind === 'timeline' ? content : null;
  const sessionForWidth = useMemo(() => (timeline ? reader.getSession(timeline.sessionId) : undefined), [reader, timeline?.sessionId, version]);
  const fresh = timeline ? newMessages(timeline, sessionForWidth?.messageCount ?? 0) : 0;
  const barWidth = scrubberWidth(size.columns, sessionForWidth, fresh);
  const data = useTimelineData(reader, timeline?.sessionId ?? null, timeline?.seq ?? 1, barWidth, version);
  const bodyWidth = Math.max(1, size.columns - 1);
  // Secrets are masked unless the user revealed this very message (R, after confirming).
  const spans = useMemo<FieldSpans>(
    () => (data.message ? spansOfMessage(data.message, reader.getSecretSpans?.(data.message.id) ?? null) : NO_SPANS),
    [data.message?.id, version],
  );
  const revealed = timeline !== null && timeline.revealed === timeline.seq;
  const shown = data.message && !revealed ? maskMessage(data.message, spans) : data.message;
  const body = useMemo(
    () => (shown ? layoutBody(shown, bodyWidth, nav.folded).rows : []),
    [shown?.id, revealed, bodyWidth, nav.folded, version],
  );
  const bodyHeight = timelineBodyHeight(size.rows);
  const pane = timeline?.pane ?? null;
  const split = pane ? splitBody(bodyHeight) : { message: bodyHeight, pane: 0 };

  // The diff pane follows the cursor; the index changing (a live session) asks again.
  const diffKey = timeline && pane ? `${timeline.sessionId}:${timeline.seq}:${pane.against}:${version}` : null;
  const diff = useLatest(diffKey, () => (actions ? actions.diff(timeline!.sessionId, timeline!.seq, pane!.against) : unavailable()), DIFF_SETTLE_MS);
  const paneRows = useMemo<BodyRow[]>(() => {
    if (diff.state === 'ready') return diff.value.view.files.length ? diffRows(diff.value.view, bodyWidth) : [{ text: 'no file changes here', role: 'text.secondary' }];
    if (diff.state === 'failed') return [{ text: diff.message, role: 'status.error' }];
    return [{ text: 'working out the code at this message…', role: 'text.secondary' }];
  }, [diff, bodyWidth]);
  const paneTitle = useMemo<Span[]>(() => {
    const what = pane?.against === 'now' ? 'this moment → working tree now' : 'what this message changed';
    const spans: Span[] = [{ text: `diff: ${what}` }];
    if (diff.state === 'ready') {
      const n = diff.value.view.files.length;
      spans.push({ text: ` · ${n} file${n === 1 ? '' : 's'}` });
      const label = weakestLabel(diff.value.view);
      if (label) spans.push({ text: ` · ${label}`, role: labelRole(label) });
    }
    return spans;
  }, [diff, pane?.against]);

  // Search: results as the user types (after a pause), grouped by session; the chosen one kept in view.
  const searchScreen = top.kind === 'search' ? top : null;
  const searchKey = searchScreen && (searchScreen.query.trim() || searchScreen.kindFilter !== 'all')
    ? JSON.stringify([searchScreen.query, searchScreen.scope, searchScreen.kindFilter, searchScreen.sessionId, searchScreen.project, version])
    : null;
  const results = useLatest(
    searchKey,
    async () => {
      if (!reader.search) throw new Error('search is not available here');
      const sc = searchScreen!;
      const scope = sc.scope === 'session' ? { sessionId: sc.sessionId ?? undefined } : sc.scope === 'project' ? { project: sc.project ?? undefined } : {};
      return reader.search({ query: sc.query, kind: sc.kindFilter, scope, limit: SEARCH_LIMIT });
    },
    SEARCH_SETTLE_MS,
  );
  const hits = useMemo(() => (results.state === 'ready' ? groupBySession(results.value) : []), [results]);
  const now = (props.now ?? Date.now)();
  const resultRows = useMemo(() => searchRows(hits, now, props.home), [hits]);
  const searchOffsetRef = useRef(0);
  const searchHeight = searchBodyHeight(size.rows);
  const searchTop = searchScreen ? searchOffset(resultRows, searchScreen.selected, searchHeight, searchOffsetRef.current) : 0;
  searchOffsetRef.current = searchTop;

  // Facts of the open session: marks on the scrubber, ] and [ jump between decisions and dead ends.
  const facts = useMemo(() => (timeline && reader.factMarkers ? reader.factMarkers(timeline.sessionId) : []), [timeline?.sessionId, version]);
  const findKey = timeline?.find && reader.hitsInSession ? JSON.stringify([timeline.sessionId, timeline.find, version]) : null;
  const found = useLatest(findKey, () => reader.hitsInSession!(timeline!.sessionId, timeline!.find!));
  const findHits = found.state === 'ready' ? found.value : [];

  // Restore and undo: the plan loads when the overlay opens; the work starts when the user chooses.
  const restoreScreen = top.kind === 'restore' ? top : null;
  const undoScreen = top.kind === 'undo' ? top : null;
  const restorePlan = useLatest(restoreScreen ? `${restoreScreen.opening}` : null, () =>
    actions ? actions.planRestore(restoreScreen!.sessionId, restoreScreen!.seq) : unavailable(),
  );
  const undoPlan = useLatest(undoScreen ? `${undoScreen.opening}` : null, () => (actions ? actions.planUndo() : unavailable()));
  const [outcome, setOutcome] = useState<Async<RestoreDone>>({ state: 'idle' });
  useEffect(() => {
    if (!((restoreScreen || undoScreen) && top.kind !== 'list' && (top as { phase?: string }).phase === 'running')) return;
    setOutcome({ state: 'loading' });
    const work = restoreScreen ? (actions?.restore(restoreScreen.sessionId, restoreScreen.seq, restoreScreen.mode!) ?? unavailable()) : (actions?.undo() ?? unavailable());
    work.then(
      (value) => {
        setOutcome({ state: 'ready', value });
        setNav((s) => finishOverlay(s, true));
      },
      (err: unknown) => {
        setOutcome({ state: 'failed', message: (err as Error).message });
        setNav((s) => finishOverlay(s, false));
      },
    );
    // Started once per entry into the running phase.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [restoreScreen?.phase, undoScreen?.phase]);
  const overlayRows = useMemo<BodyRow[]>(() => {
    if (restoreScreen) return restoreRows(restorePlan, restoreScreen.phase, outcome, restoreScreen.seq, bodyWidth, props.home);
    if (undoScreen) return undoRows(undoPlan, undoScreen.phase, outcome, props.home);
    return [];
  }, [restoreScreen, undoScreen, restorePlan, undoPlan, outcome, bodyWidth, props.home]);

  // A live session grew (or shrank): the cursor follows when it was on the last message.
  const count = data.session?.messageCount ?? 0;
  const lastCount = useRef<{ id: string | null; count: number }>({ id: null, count: 0 });
  useEffect(() => {
    const id = timeline?.sessionId ?? null;
    const prev = lastCount.current;
    lastCount.current = { id, count };
    if (id && prev.id === id && prev.count !== count) setNav((s) => followGrowth(s, id, prev.count, count));
  }, [timeline?.sessionId, count]);

  // The list keeps a valid selection when sessions arrive or the terminal is resized.
  useEffect(() => {
    setNav((s) => refitList(s, page.total, listRows));
  }, [page.total, listRows]);

  // Key handlers may run several times before React re-renders (keys arrive in bursts): they read the latest
  // state and environment through refs, so no key press is lost or applied to a stale screen.
  const env = useRef<NavEnv>(null as unknown as NavEnv);
  env.current = {
    listTotal: page.total,
    listHeight: listRows,
    sessionIdAt: (index) => {
      const onScreen = page.rows[index - nav.list.offset];
      return onScreen?.id ?? reader.listSessions(filter, index, 1)[0]?.id ?? null;
    },
    messageCount: (id) => (id === data.session?.id ? data.session.messageCount : reader.getSession(id)?.messageCount ?? 0),
    bodyMaxScroll: Math.max(0, body.length - split.message),
    helpMaxScroll: top.kind === 'help' ? Math.max(0, helpRows().length - helpBodyHeight(size.rows)) : 0,
    diffMaxScroll: Math.max(0, paneRows.length - split.pane),
    diffPage: split.pane,
    overlayMaxScroll: Math.max(0, overlayRows.length - panelBodyHeight(size.rows)),
    secretsHere: secretCount(spans),
    searchTotal: hits.length,
    searchPage: searchHeight,
    searchHitAt: (i) => (hits[i] ? { sessionId: hits[i].sessionId, seq: hits[i].seq } : null),
    nextHit: (sessionId, seq, query, dir) => {
      // Messages whose only match is inside a secret are skipped: n / N never lands on a masked token.
      const ordered = dir === 1 ? findHits.filter((x) => x > seq) : findHits.filter((x) => x < seq).reverse();
      for (const candidate of ordered) {
        const m = reader.getMessage(sessionId, candidate);
        if (m && visibleMatch([m.text, m.toolInput], query, redactText)) return candidate;
      }
      return null;
    },
    nextFact: (_sessionId, seq, dir) => {
      const marks = facts.filter((f) => f.kind !== 'status').map((f) => f.seq);
      return (dir === 1 ? marks.find((x) => x > seq) : [...marks].reverse().find((x) => x < seq)) ?? null;
    },
    projectOf: (id) => reader.getSession(id)?.project ?? null,
    thisProject: props.thisProject ?? null,
    overlayReady: restoreScreen
      ? restorePlan.state === 'ready' && restorePlan.value.counts.write + restorePlan.value.counts.create + restorePlan.value.counts.delete > 0
      : undoPlan.state === 'ready',
  };
  // The latest navigation state, for handlers that run before React re-renders.
  const navRef = useRef(nav);
  navRef.current = nav;
  const quitting = useRef(false);

  const onInput = useCallback(
    (input: string, key: Key) => {
      if (quitting.current) return;
      let current = navRef.current;
      for (const name of keyNames(input, key)) {
        const kind = screenKind(topScreen(current));
        // On the search screen a character is text, whatever it would do elsewhere (q, j, /).
        if (kind === 'search' && isText(name)) {
          current = typeIntoSearch(current, name);
          continue;
        }
        const command = resolveKey(kind, name);
        if (!command) continue;
        const next = applyCommand(current, command, env.current);
        if (next === 'quit') {
          quitting.current = true;
          exit();
          return;
        }
        current = next;
      }
      if (current === navRef.current) return;
      navRef.current = current;
      setNav(current);
    },
    [exit],
  );
  useInput(onInput);

  let screen: React.JSX.Element;
  if (top.kind === 'help') {
    screen = <HelpView width={size.columns} height={size.rows} scroll={top.scroll} />;
  } else if (searchScreen) {
    const status =
      results.state === 'ready' ? `${hits.length}${hits.length === SEARCH_LIMIT ? '+' : ''} result${hits.length === 1 ? '' : 's'}`
      : results.state === 'loading' ? 'searching…'
      : results.state === 'failed' ? results.message
      : 'type to search';
    screen = (
      <SearchView
        width={size.columns}
        height={size.rows}
        query={searchScreen.query}
        scope={searchScreen.scope}
        kindFilter={searchScreen.kindFilter}
        project={searchScreen.project}
        rows={resultRows}
        offset={searchTop}
        selected={searchScreen.selected}
        status={status}
        home={props.home}
      />
    );
  } else if (top.kind === 'reveal') {
    const kinds = secretKinds(spans);
    const n = secretCount(spans);
    const rows: BodyRow[] = [
      { text: `Message #${top.seq} holds ${n} secret${n === 1 ? '' : 's'}: ${kinds.join(', ')}.`, role: 'text.primary' },
      { text: 'Show them on screen until you leave this message? Nothing is written or copied anywhere.', role: 'text.primary' },
      { text: 'Mind who can see your screen, and terminal scrollback or recordings.', role: 'status.warn' },
    ];
    screen = <PanelView width={size.columns} height={size.rows} title={[{ text: 'Reveal secrets' }]} rows={rows} scroll={0} screen="reveal" />;
  } else if (restoreScreen || undoScreen) {
    const o = (restoreScreen ?? undoScreen)!;
    const title: Span[] = restoreScreen
      ? [{ text: `Restore the code to message #${restoreScreen.seq}` }, { text: data.session ? ` · ${data.session.title ?? data.session.id}` : '', role: 'text.secondary' }]
      : [{ text: 'Undo the last restore' }];
    screen = (
      <PanelView
        width={size.columns}
        height={size.rows}
        title={title}
        rows={overlayRows}
        scroll={o.scroll}
        screen={o.kind}
        busy={o.phase === 'running'}
        unavailable={o.phase === 'plan' && env.current.overlayReady ? NONE : ACTIONS_OF_OVERLAYS}
      />
    );
  } else if (timeline) {
    screen = (
      <TimelineView
        width={size.columns}
        height={size.rows}
        session={data.session}
        message={shown}
        secrets={{ count: secretCount(spans), revealed }}
        seq={timeline.seq}
        body={body}
        scroll={Math.min(timeline.scroll, Math.max(0, body.length - split.message))}
        buckets={data.buckets}
        fresh={fresh}
        facts={facts}
        find={timeline.find ?? null}
        findHits={found.state === 'ready' ? found.value : null}
        progress={progress}
        home={props.home}
        pane={pane ? { title: paneTitle, rows: paneRows, scroll: Math.min(pane.scroll, Math.max(0, paneRows.length - split.pane)) } : null}
      />
    );
  } else {
    screen = (
      <ListView
        width={size.columns}
        height={size.rows}
        rows={page.rows}
        total={page.total}
        window={nav.list}
        scope={listScope(agentFilter, projectFilter, props.home)}
        notice={props.notice}
        progress={progress}
        now={now}
        home={props.home}
      />
    );
  }
  return (
    <ThemeContext.Provider value={props.theme ?? COLOR_THEME}>
      <Box width={size.columns} height={size.rows} flexDirection="column" overflow="hidden">
        {screen}
      </Box>
    </ThemeContext.Provider>
  );
}
