import type { Role } from "../../app/api-types.ts";
import { FormField } from "../../ui/FormField.tsx";
import { PERIMETER_LABELS, ROLE_LABELS, ROLES } from "../accounts/roles.ts";

interface RoleFieldsProps {
  idPrefix: string;
  role: Role;
  perimetre: string;
  onRoleChange: (role: Role) => void;
  onPerimetreChange: (perimetre: string) => void;
  perimetreError?: string;
}

/** A role (select) and, for roles bound to one, its perimeter (network, place, organisation). */
export function RoleFields({
  idPrefix,
  role,
  perimetre,
  onRoleChange,
  onPerimetreChange,
  perimetreError,
}: RoleFieldsProps) {
  const perimeterLabel = PERIMETER_LABELS[role];
  return (
    <div className="champs-role">
      <div className="champ">
        <label htmlFor={`${idPrefix}-role`} className="champ__libelle">
          Rôle
        </label>
        <select
          id={`${idPrefix}-role`}
          className="champ__saisie"
          value={role}
          onChange={(event) => onRoleChange(event.target.value as Role)}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </div>
      {perimeterLabel && (
        <FormField
          id={`${idPrefix}-perimetre`}
          label={`${perimeterLabel} (périmètre du rôle)`}
          hint={
            role === "operateur"
              ? "Identifiant du réseau, par exemple RIP50."
              : role === "gestionnaire"
                ? "Identifiant du tiers-lieu."
                : "Identifiant de l'organisation."
          }
          value={perimetre}
          onChange={onPerimetreChange}
          error={perimetreError}
          spellCheck={false}
          maxLength={100}
          required
        />
      )}
    </div>
  );
}

/** The perimeter to send: none for admin and agent. */
export function perimeterFor(role: Role, perimetre: string): string {
  return PERIMETER_LABELS[role] ? perimetre.trim() : "";
}
