/** Polite live status shown while data loads. */
export function LoadingStatus({ label = "Chargement…" }: { label?: string }) {
  return (
    <p className="statut-chargement" role="status" aria-live="polite">
      <span className="indicateur-chargement" aria-hidden="true" />
      {label}
    </p>
  );
}
