import { Label, Radio, RadioGroup } from "react-aria-components";
import { VARIANT_DESCRIPTIONS, VARIANT_LABELS, VARIANTS, type Variant } from "./observatory-format.ts";

/** Choice of the technologies counted: wired only, terrestrial (no satellite), or all. */
export function VariantSwitch({ value, onChange }: { value: Variant; onChange: (variant: Variant) => void }) {
  return (
    <RadioGroup
      className="choix-variante"
      value={value}
      onChange={(next) => onChange(next as Variant)}
      orientation="horizontal"
    >
      <Label className="choix-variante__libelle">Technologies comptées</Label>
      <div className="choix-variante__options">
        {VARIANTS.map((variant) => (
          <Radio key={variant} value={variant} className="choix-variante__option">
            <span className="choix-variante__nom">{VARIANT_LABELS[variant]}</span>
            <span className="choix-variante__aide">{VARIANT_DESCRIPTIONS[variant]}</span>
          </Radio>
        ))}
      </div>
    </RadioGroup>
  );
}
