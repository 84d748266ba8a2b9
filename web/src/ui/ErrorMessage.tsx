interface ErrorMessageProps {
  title: string;
  error?: Error;
  onRetry?: () => void;
}

/** Error notice announced to assistive technologies, with an optional retry button. */
export function ErrorMessage({ title, error, onRetry }: ErrorMessageProps) {
  return (
    <div className="message-erreur" role="alert">
      <p className="message-erreur__titre">{title}</p>
      {error?.message && <p>{error.message}</p>}
      {onRetry && (
        <button type="button" className="bouton" onClick={onRetry}>
          Réessayer
        </button>
      )}
    </div>
  );
}
