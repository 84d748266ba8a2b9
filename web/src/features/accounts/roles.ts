import type { Role, RoleAttribue, SessionUtilisateur } from "../../app/api-types.ts";

export const ROLES: Role[] = ["admin", "agent", "operateur", "gestionnaire", "partenaire"];

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Administrateur·rice",
  agent: "Agent de la Région",
  operateur: "Opérateur",
  gestionnaire: "Gestionnaire de tiers-lieu",
  partenaire: "Partenaire du datalab",
};

/** What the perimeter of each role names, for form labels and hints; null when the role has none. */
export const PERIMETER_LABELS: Record<Role, string | null> = {
  admin: null,
  agent: null,
  operateur: "Réseau",
  gestionnaire: "Tiers-lieu",
  partenaire: "Organisation",
};

export function isRole(value: string): value is Role {
  return (ROLES as string[]).includes(value);
}

/** French label of a role, with its perimeter: « Opérateur (RIP50) ». */
export function roleLabel(grant: { role: string; perimetre: string }): string {
  const label = isRole(grant.role) ? ROLE_LABELS[grant.role] : grant.role;
  return grant.perimetre ? `${label} (${grant.perimetre})` : label;
}

/** True when the person holds one of `roles`; administrators may do everything. */
export function hasRole(user: SessionUtilisateur | null | undefined, roles: readonly Role[]): boolean {
  return !!user?.roles.some((grant) => grant.role === "admin" || roles.includes(grant.role));
}

/** Perimeters (networks) the person operates, for the `reseau:<id>:ecrire` key scopes. */
export function operatorNetworks(roles: RoleAttribue[]): string[] {
  return [...new Set(roles.filter((g) => g.role === "operateur" && g.perimetre).map((g) => g.perimetre))];
}

export interface AdminPage {
  path: string;
  label: string;
  /** Roles that may open the page besides administrators. */
  roles: readonly Role[];
}

/** The administration pages, in navigation order. */
export const ADMIN_PAGES = {
  utilisateurs: { path: "/admin/utilisateurs", label: "Utilisateurs", roles: [] },
  cles: { path: "/admin/cles", label: "Clés d'API", roles: ["operateur"] },
  journal: { path: "/admin/journal", label: "Journal d'audit", roles: ["agent"] },
} as const satisfies Record<string, AdminPage>;

export function visibleAdminPages(user: SessionUtilisateur | null | undefined): AdminPage[] {
  return Object.values(ADMIN_PAGES).filter((page) => hasRole(user, page.roles));
}
