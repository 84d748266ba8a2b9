import { useCallback, useEffect, useState } from "react";

export type AsyncState<T> = { status: "loading" } | { status: "error"; error: Error } | { status: "success"; data: T };

/**
 * Runs `load` whenever `key` changes and exposes its state; `retry` runs it again.
 * `load` must be stable for a given key (the key says when the data to load changes).
 */
export function useAsync<T>(key: string, load: () => Promise<T>): AsyncState<T> & { retry: () => void } {
  const [state, setState] = useState<AsyncState<T> & { key: string }>({ status: "loading", key });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` identifies `load`; `attempt` forces a reload.
  useEffect(() => {
    let current = true;
    setState({ status: "loading", key });
    load().then(
      (data) => current && setState({ status: "success", data, key }),
      (error: unknown) =>
        current && setState({ status: "error", error: error instanceof Error ? error : new Error(String(error)), key }),
    );
    return () => {
      current = false;
    };
  }, [key, attempt]);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  // Until the effect has run for a new key, report loading rather than the previous key's data.
  if (state.key !== key) return { status: "loading", retry };
  return { ...state, retry };
}
