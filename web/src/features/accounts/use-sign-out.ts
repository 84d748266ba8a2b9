import { useState } from "react";
import { useNavigate } from "react-router";
import { accountsApi } from "../../app/api-client.ts";
import { useSession } from "./session-context.tsx";

/** Signs out, then opens the sign-in page with a confirmation. */
export function useSignOut(): { signOut: () => Promise<void>; pending: boolean } {
  const { refresh } = useSession();
  const navigate = useNavigate();
  const [pending, setPending] = useState(false);
  return {
    pending,
    signOut: async () => {
      setPending(true);
      try {
        await accountsApi.signOut();
      } catch {
        // Session already expired or closed elsewhere: reading the session again tells the truth.
      }
      // Leave the current page before the session changes, so that a page reserved to signed-in
      // people does not first send to the sign-in page with a « retour » to itself.
      navigate("/connexion", { state: { deconnecte: true } });
      await refresh();
      setPending(false);
    },
  };
}
