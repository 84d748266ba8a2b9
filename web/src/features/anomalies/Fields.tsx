import type { ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

interface FieldFrameProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  children: (describedBy: string | undefined) => ReactNode;
}

/** The markup of FormField (label, hint, error linked by aria-describedby) around any control. */
function FieldFrame({ id, label, hint, error, children }: FieldFrameProps) {
  const hintId = `${id}-aide`;
  const errorId = `${id}-erreur`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`champ${error ? " champ--erreur" : ""}`}>
      <label htmlFor={id} className="champ__libelle">
        {label}
      </label>
      {hint && (
        <p id={hintId} className="champ__aide">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="champ__erreur">
          <span className="visuellement-masque">Erreur : </span>
          {error}
        </p>
      )}
      {children(describedBy)}
    </div>
  );
}

interface TextAreaFieldProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id" | "onChange" | "value"> {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string | undefined;
}

/** Labelled multi-line text, like FormField. */
export function TextAreaField({ id, label, value, onChange, hint, error, ...textarea }: TextAreaFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {(describedBy) => (
        <textarea
          {...textarea}
          id={id}
          className="champ__saisie anomalies__texte"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
        />
      )}
    </FieldFrame>
  );
}

interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, "id" | "onChange" | "value"> {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  hint?: ReactNode;
  error?: string | undefined;
}

/** Labelled drop-down list, like FormField. */
export function SelectField({ id, label, value, onChange, options, hint, error, ...select }: SelectFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {(describedBy) => (
        <select
          {...select}
          id={id}
          className="champ__saisie"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-describedby={describedBy}
          aria-invalid={error ? true : undefined}
        >
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}
