import type { ReactNode } from "react";
import type { Niveau } from "../../app/api-types.ts";
import { type AsyncState, useAsync } from "../../app/use-async.ts";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { type ObservatoryParams, type ObservatoryView, observatoryApi } from "./observatory-api.ts";

/** Loads one view of the observatory API (cached per URL for the page's lifetime). */
export function useObservatory<T>(
  view: ObservatoryView,
  niveau: Niveau,
  code: string,
  params: ObservatoryParams = {},
): AsyncState<T> & { retry: () => void } {
  const url = observatoryApi.url(view, niveau, code, params);
  return useAsync(url, () => observatoryApi.get<T>(view, niveau, code, params));
}

/** Renders `children` with the data once loaded; a status while loading, an error with retry on failure. */
export function Loaded<T>({
  state,
  what,
  children,
}: {
  state: AsyncState<T> & { retry: () => void };
  /** « Les débits », used in the error message. */
  what: string;
  children: (data: T) => ReactNode;
}) {
  if (state.status === "loading") return <LoadingStatus />;
  if (state.status === "error")
    return <ErrorMessage title={`${what} n'ont pas pu être chargés.`} error={state.error} onRetry={state.retry} />;
  return <>{children(state.data)}</>;
}
