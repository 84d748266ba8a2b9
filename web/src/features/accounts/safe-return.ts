/** The `retour` path to open after sign-in, if it is a path of this site; `/compte` otherwise. */
export function safeReturnPath(retour: string | null): string {
  if (!retour?.startsWith("/") || retour.startsWith("//") || retour.startsWith("/\\")) return "/compte";
  if (retour.startsWith("/connexion")) return "/compte";
  return retour;
}
