import { useEffect } from "react";
import { ApiError } from "../../app/api-client.ts";
import { type AsyncState, useAsync } from "../../app/use-async.ts";
import { useSession } from "./session-context.tsx";

/**
 * `useAsync` for data reserved to signed-in people: a 401 (session expired meanwhile) reads the
 * session again, so that the page guard sends the person to the sign-in page.
 */
export function useAccountData<T>(key: string, load: () => Promise<T>): AsyncState<T> & { retry: () => void } {
  const state = useAsync(key, load);
  const { refresh } = useSession();
  const expired = state.status === "error" && state.error instanceof ApiError && state.error.status === 401;
  useEffect(() => {
    if (expired) void refresh();
  }, [expired, refresh]);
  return state;
}

/** The French message of a failed request. */
export function errorMessage(error: unknown, fallback: string): string {
  return error instanceof Error && error.message ? error.message : fallback;
}
