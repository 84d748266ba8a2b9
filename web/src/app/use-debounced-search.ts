import { useEffect, useRef, useState } from "react";

export type SearchStatus = "idle" | "loading" | "done" | "error";

const DEBOUNCE_MS = 200;

/**
 * Search-as-you-type for the comboboxes: waits for a pause in typing, cancels the request of a query
 * that changed, and reports the status for an aria-live message. `query` null pauses the search and
 * keeps the last results (e.g. the text a selection put in the field); shorter than `minLength`
 * clears them.
 */
export function useDebouncedSearch<T>(
  query: string | null,
  search: (query: string, signal: AbortSignal) => Promise<T[]>,
  minLength: number,
): { results: T[]; status: SearchStatus } {
  const [results, setResults] = useState<T[]>([]);
  const [status, setStatus] = useState<SearchStatus>("idle");
  // Read through a ref: a new function identity from the caller is not a new query.
  const searchRef = useRef(search);
  searchRef.current = search;

  useEffect(() => {
    const text = query?.trim() ?? "";
    if (query === null || text.length < minLength) {
      if (query !== null) setResults([]);
      setStatus("idle");
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setStatus("loading");
      searchRef.current(text, controller.signal).then(
        (found) => {
          setResults(found);
          setStatus("done");
        },
        (error: unknown) => {
          if (error instanceof DOMException && error.name === "AbortError") return;
          setResults([]);
          setStatus("error");
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query, minLength]);

  return { results, status };
}
