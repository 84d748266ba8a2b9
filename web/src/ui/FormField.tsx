import type { InputHTMLAttributes, ReactNode } from "react";

interface FormFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "onChange" | "value"> {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  /** Help shown under the label (format, rule). */
  hint?: ReactNode;
  error?: string;
}

/** Labelled text input; its hint and error are linked with aria-describedby, and the error marks it invalid. */
export function FormField({ id, label, value, onChange, hint, error, className, ...input }: FormFieldProps) {
  const hintId = `${id}-aide`;
  const errorId = `${id}-erreur`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`champ${error ? " champ--erreur" : ""}${className ? ` ${className}` : ""}`}>
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
      <input
        {...input}
        id={id}
        className="champ__saisie"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
      />
    </div>
  );
}
