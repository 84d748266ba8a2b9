import { useEffect } from "react";
import { useConfiguration } from "./configuration-context.tsx";

/** Sets « <page> — <platform name> » as the document title. */
export function useDocumentTitle(pageTitle: string | null): void {
  const { plateforme } = useConfiguration();
  useEffect(() => {
    document.title = pageTitle ? `${pageTitle} — ${plateforme.nom}` : plateforme.nom;
  }, [pageTitle, plateforme.nom]);
}
