/**
 * Async results for the screen, latest request wins: while the cursor scrubs, answers to old positions are dropped
 * instead of flashing by, and nothing here ever blocks a key.
 */
import { useEffect, useState } from 'react';

export type Async<T> = { readonly state: 'idle' } | { readonly state: 'loading' } | { readonly state: 'ready'; readonly value: T } | { readonly state: 'failed'; readonly message: string };

/** Runs `load` whenever `key` changes (null: nothing to load), after `delayMs` of the key staying the same. */
export function useLatest<T>(key: string | null, load: () => Promise<T>, delayMs = 0): Async<T> {
  const [result, setResult] = useState<{ key: string | null; value: Async<T> }>({ key: null, value: { state: 'idle' } });
  useEffect(() => {
    if (key === null) return;
    let current = true;
    const timer = setTimeout(() => {
      load().then(
        (value) => current && setResult({ key, value: { state: 'ready', value } }),
        (err: unknown) => current && setResult({ key, value: { state: 'failed', message: (err as Error).message } }),
      );
    }, delayMs);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // `load` changes every render; the key says when the request changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  if (key === null) return { state: 'idle' };
  return result.key === key ? result.value : { state: 'loading' };
}
