import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { accountsApi, setCsrfToken } from "../../app/api-client.ts";
import type { Session, SessionUtilisateur } from "../../app/api-types.ts";

export type SessionState =
  | { status: "loading" }
  | { status: "error"; error: Error }
  | { status: "ready"; session: Session };

interface SessionContextValue {
  state: SessionState;
  /** The signed-in person, or null (anonymous, or session not loaded yet). */
  user: SessionUtilisateur | null;
  /** Reads /api/session again (e.g. after a 401 from another route). */
  refresh: () => Promise<void>;
  /** Signs in with a local account; rejects with an ApiError (401, 429…). */
  signIn: (email: string, motDePasse: string) => Promise<SessionUtilisateur | null>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** Loads the current session from /api/session and keeps it (and its CSRF token) up to date. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: "loading" });

  const accept = useCallback((session: Session) => {
    setCsrfToken(session.jetonCsrf);
    setState({ status: "ready", session });
  }, []);

  const refresh = useCallback(async () => {
    try {
      accept(await accountsApi.session());
    } catch (error) {
      setState({ status: "error", error: error instanceof Error ? error : new Error(String(error)) });
    }
  }, [accept]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const signIn = useCallback(
    async (email: string, motDePasse: string) => {
      const session = await accountsApi.signIn(email, motDePasse);
      accept(session);
      return session.utilisateur ?? null;
    },
    [accept],
  );

  const value = useMemo<SessionContextValue>(
    () => ({
      state,
      user: state.status === "ready" ? (state.session.utilisateur ?? null) : null,
      refresh,
      signIn,
    }),
    [state, refresh, signIn],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession must be used inside <SessionProvider>");
  return value;
}
