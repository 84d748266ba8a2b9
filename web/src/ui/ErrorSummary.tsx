import { useEffect, useId, useRef } from "react";

export interface FormError {
  /** Id of the field in error, linked from the summary; none for an error about the whole form. */
  fieldId?: string;
  message: string;
}

interface ErrorSummaryProps {
  title?: string;
  errors: FormError[];
  /** Changes at each failed submission, so that focus returns to the summary each time. */
  attempt: number;
}

/**
 * Summary of a form's errors, shown above the form after a failed submission: it takes the focus
 * (so it is read out) and links to each field in error.
 */
export function ErrorSummary({ title = "Le formulaire contient des erreurs", errors, attempt }: ErrorSummaryProps) {
  const ref = useRef<HTMLElement>(null);
  const titleId = useId();
  // biome-ignore lint/correctness/useExhaustiveDependencies: focus again at each failed attempt.
  useEffect(() => {
    if (errors.length > 0) ref.current?.focus();
  }, [attempt]);
  if (errors.length === 0) return null;
  return (
    <section className="resume-erreurs" ref={ref} tabIndex={-1} aria-labelledby={titleId}>
      <h2 className="resume-erreurs__titre" id={titleId}>
        {title}
      </h2>
      <ul>
        {errors.map((error) => (
          <li key={`${error.fieldId ?? ""}${error.message}`}>
            {error.fieldId ? (
              <a
                href={`#${error.fieldId}`}
                onClick={(event) => {
                  event.preventDefault();
                  document.getElementById(error.fieldId ?? "")?.focus();
                }}
              >
                {error.message}
              </a>
            ) : (
              error.message
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
