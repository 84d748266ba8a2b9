import type { ReactNode } from "react";

interface SelectFieldProps {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  hint?: ReactNode;
  error?: string | undefined;
}

/** Labelled drop-down list, with the markup of FormField (hint and error linked by aria-describedby). */
export function SelectField({ id, label, value, onChange, options, hint, error }: SelectFieldProps) {
  const describedBy =
    [hint ? `${id}-aide` : null, error ? `${id}-erreur` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`champ${error ? " champ--erreur" : ""}`}>
      <label htmlFor={id} className="champ__libelle">
        {label}
      </label>
      {hint && (
        <p id={`${id}-aide`} className="champ__aide">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-erreur`} className="champ__erreur">
          <span className="visuellement-masque">Erreur : </span>
          {error}
        </p>
      )}
      <select
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
    </div>
  );
}
