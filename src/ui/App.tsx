/**
 * The root: owns navigation state and the one input handler, reads the rows the top screen needs by window, and
 * hands them to pure views. Keys are resolved through the keybinding table (keys.ts) and applied by navigation.ts.
 */
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Box, useApp, useInput, type Key } from 'ink';
import type { SessionFilter, TimelineReader } from '../store/rows.js';
import type { TuiEvents } from './events.js';
import { HelpView, helpBodyHeight, helpRows } from './HelpView.js';
import { useSessionPage, useTerminalSize, useTimelineData, type Size } from './hooks.js';
import { keyNames, resolveKey } from './keys.js';
import { ListView, listHeight } from './ListView.js';
import { layoutBody } from './message-body.js';
import { applyCommand, followGrowth, initialNav, newMessages, refitList, topScreen, type NavEnv, type NavState, type Screen } from './navigation.js';
import { COLOR_THEME, ThemeContext, type Theme } from './theme.js';
import { scrubberWidth, timelineBodyHeight, TimelineView } from './TimelineView.js';

export interface AppProps {
  readonly reader: TimelineReader;
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
}

const ALL_SESSIONS: SessionFilter = {};

/** The screen under the help overlay decides what help is drawn over; help itself fills the screen. */
function contentScreen(stack: readonly Screen[]): Screen {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i].kind !== 'help') return stack[i];
  return stack[0];
}

export function App(props: AppProps): React.JSX.Element {
  const { reader } = props;
  const { exit } = useApp();
  const size = useTerminalSize(props.size);
  const [nav, setNav] = useState<NavState>(() =>
    initialNav(props.initialSessionId, props.initialSessionId ? reader.getSession(props.initialSessionId)?.messageCount ?? 0 : 0),
  );
  const [version, setVersion] = useState(0);
  const [progress, setProgress] = useState<string | null>(null);

  useEffect(() => {
    if (!props.events) return;
    return props.events.subscribe((e) => {
      if (e.type === 'progress') setProgress(e.text);
      else setVersion((v) => v + 1);
    });
  }, [props.events]);

  const top = topScreen(nav);
  const content = contentScreen(nav.stack);
  const filter = ALL_SESSIONS;
  const listRows = listHeight(size.rows);
  const page = useSessionPage(reader, filter, nav.list.offset, listRows, version);

  const timeline = content.kind === 'timeline' ? content : null;
  const sessionForWidth = useMemo(() => (timeline ? reader.getSession(timeline.sessionId) : undefined), [reader, timeline?.sessionId, version]);
  const fresh = timeline ? newMessages(timeline, sessionForWidth?.messageCount ?? 0) : 0;
  const barWidth = scrubberWidth(size.columns, sessionForWidth, fresh);
  const data = useTimelineData(reader, timeline?.sessionId ?? null, timeline?.seq ?? 1, barWidth, version);
  const bodyWidth = Math.max(1, size.columns - 1);
  const body = useMemo(
    () => (data.message ? layoutBody(data.message, bodyWidth, nav.folded).rows : []),
    [data.message?.id, bodyWidth, nav.folded, version],
  );
  const bodyHeight = timelineBodyHeight(size.rows);

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
    bodyMaxScroll: Math.max(0, body.length - bodyHeight),
    helpMaxScroll: top.kind === 'help' ? Math.max(0, helpRows().length - helpBodyHeight(size.rows)) : 0,
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
        const command = resolveKey(topScreen(current).kind, name);
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
  } else if (timeline) {
    screen = (
      <TimelineView
        width={size.columns}
        height={size.rows}
        session={data.session}
        message={data.message}
        seq={timeline.seq}
        body={body}
        scroll={Math.min(timeline.scroll, Math.max(0, body.length - bodyHeight))}
        buckets={data.buckets}
        fresh={fresh}
        progress={progress}
        home={props.home}
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
        scope="all agents · all projects"
        notice={props.notice}
        progress={progress}
        now={(props.now ?? Date.now)()}
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
