import { useState } from "react";
import { useNavigate } from "react-router";
import { useSession } from "./session-context.tsx";

/** Signs out, then opens the sign-in page with a confirmation. */
export function useSignOut(): { signOut: () => Promise<void>; pending: boolean } {
  const { signOut } = useSession();
  const navigate = useNavigate();
  const [pending, setPending] = useState(false);
  return {
    pending,
    signOut: async () => {
      setPending(true);
      try {
        await signOut();
      } catch {
        // The session context has read the session again: the header shows the real state.
      } finally {
        setPending(false);
      }
      navigate("/connexion", { state: { deconnecte: true } });
    },
  };
}
