import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

interface FieldFrameProps {
  id: string;
  label: ReactNode;
  /** Help shown under the label (format, rule). */
  hint?: ReactNode;
  error?: string | undefined;
  className?: string | undefined;
  /** The control, given the ids to put in its aria-describedby. */
  children: (describedBy: string | undefined) => ReactNode;
}

/** Label, hint and error around any control (a file input, for instance); the control links them by aria-describedby. */
export function FieldFrame({ id, label, hint, error, className, children }: FieldFrameProps) {
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
      {children(describedBy)}
    </div>
  );
}

/** The props every labelled control shares; the value is always text. */
interface FieldProps {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string | undefined;
}

/** What every control gets: its id, its text value, the linked hint and error, invalid when in error. */
function controlProps(
  { id, value, onChange, error }: Pick<FieldProps, "id" | "value" | "onChange" | "error">,
  describedBy: string | undefined,
) {
  return {
    id,
    value,
    onChange: (event: { target: { value: string } }) => onChange(event.target.value),
    "aria-describedby": describedBy,
    "aria-invalid": error ? true : undefined,
  };
}

type FormFieldProps = FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, "id" | "onChange" | "value">;

/** Labelled text input; its hint and error are linked with aria-describedby, and the error marks it invalid. */
export function FormField({ id, label, value, onChange, hint, error, className, ...input }: FormFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      {(describedBy) => (
        <input {...input} className="champ__saisie" {...controlProps({ id, value, onChange, error }, describedBy)} />
      )}
    </FieldFrame>
  );
}

type TextAreaFieldProps = FieldProps & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "id" | "onChange" | "value">;

/** Labelled multi-line text, like FormField. */
export function TextAreaField({ id, label, value, onChange, hint, error, className, ...textarea }: TextAreaFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      {(describedBy) => (
        <textarea
          {...textarea}
          className="champ__saisie champ__saisie--texte"
          {...controlProps({ id, value, onChange, error }, describedBy)}
        />
      )}
    </FieldFrame>
  );
}

export interface SelectOption {
  value: string;
  label: string;
  /** React key when two options share a value (a CSV header with a repeated column name); the value otherwise. */
  key?: string;
}

type SelectFieldProps = FieldProps &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, "id" | "onChange" | "value"> & {
    options: readonly SelectOption[];
  };

/** Labelled drop-down list, like FormField. */
export function SelectField({
  id,
  label,
  value,
  onChange,
  options,
  hint,
  error,
  className,
  ...select
}: SelectFieldProps) {
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error} className={className}>
      {(describedBy) => (
        <select {...select} className="champ__saisie" {...controlProps({ id, value, onChange, error }, describedBy)}>
          {options.map((option) => (
            <option key={option.key ?? option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}
