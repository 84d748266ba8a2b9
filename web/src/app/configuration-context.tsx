import { createContext, type ReactNode, useContext, useEffect } from "react";
import { applyIdentityColors } from "../theme/identity-colors.ts";
import { ErrorMessage } from "../ui/ErrorMessage.tsx";
import { LoadingStatus } from "../ui/LoadingStatus.tsx";
import { api } from "./api-client.ts";
import type { Configuration } from "./api-types.ts";
import { useAsync } from "./use-async.ts";

const ConfigurationContext = createContext<Configuration | null>(null);

/** Loads /api/configuration once and provides it (platform name, Région, identity colours) to the whole app. */
export function ConfigurationProvider({ children }: { children: ReactNode }) {
  const state = useAsync("configuration", api.configuration);

  useEffect(() => {
    if (state.status === "success") {
      const { couleurPrimaire, couleurAccent } = state.data.identite;
      applyIdentityColors(couleurPrimaire, couleurAccent);
    }
  }, [state]);

  if (state.status === "loading") {
    return (
      <main className="page-centree">
        <LoadingStatus />
      </main>
    );
  }
  if (state.status === "error") {
    return (
      <main className="page-centree">
        <h1>Territoire Numérique</h1>
        <ErrorMessage title="La plateforme n'a pas pu être chargée." error={state.error} onRetry={state.retry} />
      </main>
    );
  }
  return <ConfigurationContext.Provider value={state.data}>{children}</ConfigurationContext.Provider>;
}

export function useConfiguration(): Configuration {
  const configuration = useContext(ConfigurationContext);
  if (!configuration) throw new Error("useConfiguration must be used inside <ConfigurationProvider>");
  return configuration;
}
