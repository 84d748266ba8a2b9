import { type FormEvent, useState } from "react";
import { Dialog, Heading, Modal, ModalOverlay } from "react-aria-components";
import { accountsApi } from "../../app/api-client.ts";
import type { Role, RoleAttribue, Utilisateur } from "../../app/api-types.ts";
import { formatDate, formatDateTime } from "../../app/format.ts";
import { useDocumentTitle } from "../../app/use-document-title.ts";
import { ConfirmDialog } from "../../ui/ConfirmDialog.tsx";
import { DataTable, type DataTableColumn } from "../../ui/DataTable.tsx";
import { ErrorMessage } from "../../ui/ErrorMessage.tsx";
import { ErrorSummary, type FormError } from "../../ui/ErrorSummary.tsx";
import { FormField } from "../../ui/FormField.tsx";
import { LoadingStatus } from "../../ui/LoadingStatus.tsx";
import { PERIMETER_LABELS, roleLabel } from "../accounts/roles.ts";
import { useSession } from "../accounts/session-context.tsx";
import { errorMessage, useAccountData } from "../accounts/use-account-data.ts";
import { perimeterFor, RoleFields } from "./RoleFields.tsx";

/** /admin/utilisateurs: the platform's accounts (admins only): invite, change roles, (de)activate. */
export function UsersPage() {
  useDocumentTitle("Utilisateurs");
  const { user: me } = useSession();
  const [version, setVersion] = useState(0);
  const users = useAccountData(`utilisateurs-${version}`, accountsApi.users);
  const [notice, setNotice] = useState("");
  const [actionError, setActionError] = useState<string | null>(null);
  const [editing, setEditing] = useState<Utilisateur | null>(null);
  const [toDeactivate, setToDeactivate] = useState<Utilisateur | null>(null);
  const [pending, setPending] = useState(false);

  const reload = (message: string) => {
    setNotice(message);
    setActionError(null);
    setVersion((v) => v + 1);
  };

  const setActive = async (user: Utilisateur, actif: boolean) => {
    setPending(true);
    setNotice("");
    try {
      await accountsApi.setUserActive(user.id, actif);
      reload(actif ? `Le compte de ${user.nom} est activé.` : `Le compte de ${user.nom} est désactivé.`);
    } catch (error) {
      setActionError(errorMessage(error, "Le compte n'a pas pu être modifié."));
    } finally {
      setPending(false);
      setToDeactivate(null);
    }
  };

  const columns: DataTableColumn<Utilisateur>[] = [
    {
      header: "Nom",
      rowHeader: true,
      cell: (u) => (
        <>
          {u.nom}
          {u.demo && <span className="etiquette etiquette--neutre etiquette--marge">démo</span>}
        </>
      ),
    },
    { header: "Adresse e-mail", cell: (u) => <span className="coupable">{u.email}</span> },
    {
      header: "Rôles",
      cell: (u) =>
        u.roles.length === 0 ? (
          <span className="texte-discret">aucun</span>
        ) : (
          <ul className="liste-compacte">
            {u.roles.map((grant) => (
              <li key={`${grant.role}-${grant.perimetre}`}>{roleLabel(grant)}</li>
            ))}
          </ul>
        ),
    },
    {
      header: "État",
      cell: (u) =>
        u.actif ? (
          <span className="etiquette etiquette--succes">Actif</span>
        ) : (
          <span className="etiquette etiquette--echec">Désactivé</span>
        ),
    },
    { header: "Créé le", cell: (u) => formatDate(u.creeLe) },
    { header: "Dernière connexion", cell: (u) => formatDateTime(u.derniereConnexion) },
    {
      header: "Actions",
      cell: (u) => (
        <div className="actions-ligne">
          <button
            type="button"
            className="bouton bouton--secondaire bouton--petit"
            onClick={() => {
              setNotice("");
              setEditing(u);
            }}
          >
            Modifier les rôles<span className="visuellement-masque"> de {u.nom}</span>
          </button>
          {u.actif ? (
            <button
              type="button"
              className="bouton bouton--danger bouton--petit"
              disabled={pending || u.id === me?.id}
              title={u.id === me?.id ? "Vous ne pouvez pas désactiver votre propre compte" : undefined}
              onClick={() => {
                setNotice("");
                setToDeactivate(u);
              }}
            >
              Désactiver<span className="visuellement-masque"> le compte de {u.nom}</span>
            </button>
          ) : (
            <button
              type="button"
              className="bouton bouton--secondaire bouton--petit"
              disabled={pending}
              onClick={() => void setActive(u, true)}
            >
              Activer<span className="visuellement-masque"> le compte de {u.nom}</span>
            </button>
          )}
        </div>
      ),
    },
  ];

  return (
    <div className="page-admin">
      <h1>Utilisateurs</h1>
      <p className="chapo">
        Les comptes de la plateforme et leurs rôles. Une personne invitée reçoit un e-mail avec un lien pour choisir son
        mot de passe.
      </p>

      <InviteUserForm onInvited={(u) => reload(`Invitation envoyée à ${u.nom} (${u.email}).`)} />

      <section aria-labelledby="titre-liste-utilisateurs">
        <h2 id="titre-liste-utilisateurs">Comptes</h2>
        <div role="status">{notice && <p className="avis avis--succes">{notice}</p>}</div>
        {actionError && <ErrorMessage title="L'action a échoué." error={new Error(actionError)} />}
        {users.status === "loading" && <LoadingStatus />}
        {users.status === "error" && (
          <ErrorMessage title="Les comptes n'ont pas pu être chargés." error={users.error} onRetry={users.retry} />
        )}
        {users.status === "success" && (
          <DataTable
            caption={`Comptes de la plateforme (${users.data.total})`}
            columns={columns}
            rows={users.data.results}
            rowKey={(u) => u.id}
            csvUrl={accountsApi.usersCsvUrl()}
          />
        )}
      </section>

      <RolesDialog
        user={editing}
        onClose={() => setEditing(null)}
        onSaved={(u) => {
          setEditing(null);
          reload(`Les rôles de ${u.nom} sont enregistrés.`);
        }}
      />
      <ConfirmDialog
        isOpen={toDeactivate !== null}
        title="Désactiver ce compte ?"
        confirmLabel="Désactiver le compte"
        pending={pending}
        onConfirm={() => toDeactivate && void setActive(toDeactivate, false)}
        onCancel={() => setToDeactivate(null)}
      >
        <p>
          {toDeactivate?.nom} ({toDeactivate?.email}) ne pourra plus se connecter. Ses sessions en cours sont fermées.
          Vous pourrez réactiver le compte plus tard.
        </p>
      </ConfirmDialog>
    </div>
  );
}

function InviteUserForm({ onInvited }: { onInvited: (user: Utilisateur) => void }) {
  const [email, setEmail] = useState("");
  const [nom, setNom] = useState("");
  const [role, setRole] = useState<Role>("agent");
  const [perimetre, setPerimetre] = useState("");
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: FormError[] = [];
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) {
      problems.push({ fieldId: "invitation-email", message: "Saisissez une adresse e-mail valide." });
    }
    if (!nom.trim()) problems.push({ fieldId: "invitation-nom", message: "Saisissez le nom de la personne." });
    if (PERIMETER_LABELS[role] && !perimetre.trim()) {
      problems.push({
        fieldId: "invitation-perimetre",
        message: `Indiquez le périmètre du rôle (${PERIMETER_LABELS[role]?.toLowerCase()}).`,
      });
    }
    if (problems.length > 0) {
      setErrors(problems);
      setAttempt((n) => n + 1);
      return;
    }
    setPending(true);
    try {
      const user = await accountsApi.inviteUser({
        email: email.trim(),
        nom: nom.trim(),
        roles: [{ role, perimetre: perimeterFor(role, perimetre) }],
      });
      setErrors([]);
      setEmail("");
      setNom("");
      setPerimetre("");
      onInvited(user);
    } catch (error) {
      setErrors([{ message: errorMessage(error, "L'invitation n'a pas pu être envoyée.") }]);
      setAttempt((n) => n + 1);
    } finally {
      setPending(false);
    }
  };

  const fieldError = (id: string) => errors.find((e) => e.fieldId === id)?.message;
  return (
    <section aria-labelledby="titre-invitation">
      <h2 id="titre-invitation">Inviter une personne</h2>
      <ErrorSummary errors={errors} attempt={attempt} />
      <form className="formulaire" onSubmit={submit} noValidate aria-labelledby="titre-invitation">
        <FormField
          id="invitation-email"
          label="Adresse e-mail"
          type="email"
          autoComplete="off"
          spellCheck={false}
          value={email}
          onChange={setEmail}
          error={fieldError("invitation-email")}
          required
        />
        <FormField
          id="invitation-nom"
          label="Nom"
          hint="Prénom et nom, tels qu'ils s'afficheront sur la plateforme."
          autoComplete="off"
          value={nom}
          onChange={setNom}
          error={fieldError("invitation-nom")}
          required
        />
        <RoleFields
          idPrefix="invitation"
          role={role}
          perimetre={perimetre}
          onRoleChange={setRole}
          onPerimetreChange={setPerimetre}
          perimetreError={fieldError("invitation-perimetre")}
        />
        <button type="submit" className="bouton" disabled={pending}>
          {pending ? "Envoi…" : "Envoyer l'invitation"}
        </button>
      </form>
    </section>
  );
}

interface RolesDialogProps {
  user: Utilisateur | null;
  onClose: () => void;
  onSaved: (user: Utilisateur) => void;
}

function RolesDialog({ user, onClose, onSaved }: RolesDialogProps) {
  return (
    <ModalOverlay className="modale__fond" isOpen={user !== null} onOpenChange={(open) => !open && onClose()}>
      <Modal className="modale">
        <Dialog className="modale__dialogue">
          {user && <RolesEditor key={user.id} user={user} onClose={onClose} onSaved={onSaved} />}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

function RolesEditor({ user, onClose, onSaved }: { user: Utilisateur } & Omit<RolesDialogProps, "user">) {
  const [grants, setGrants] = useState<RoleAttribue[]>(user.roles);
  const [role, setRole] = useState<Role>("agent");
  const [perimetre, setPerimetre] = useState("");
  const [errors, setErrors] = useState<FormError[]>([]);
  const [attempt, setAttempt] = useState(0);
  const [pending, setPending] = useState(false);
  const [status, setStatus] = useState("");

  const fail = (problems: FormError[]) => {
    setErrors(problems);
    setAttempt((n) => n + 1);
  };

  const add = () => {
    const grant = { role, perimetre: perimeterFor(role, perimetre) };
    if (PERIMETER_LABELS[role] && !grant.perimetre) {
      return fail([{ fieldId: "roles-ajout-perimetre", message: "Indiquez le périmètre du rôle à ajouter." }]);
    }
    if (grants.some((g) => g.role === grant.role && g.perimetre === grant.perimetre)) {
      return fail([{ fieldId: "roles-ajout-role", message: `${roleLabel(grant)} : rôle déjà attribué.` }]);
    }
    setErrors([]);
    setGrants([...grants, grant]);
    setPerimetre("");
    setStatus(`Rôle ajouté : ${roleLabel(grant)}. Enregistrez pour l'appliquer.`);
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setPending(true);
    try {
      onSaved(await accountsApi.setUserRoles(user.id, grants));
    } catch (error) {
      fail([{ message: errorMessage(error, "Les rôles n'ont pas pu être enregistrés.") }]);
    } finally {
      setPending(false);
    }
  };

  return (
    <form onSubmit={save} noValidate>
      <Heading slot="title" className="modale__titre">
        Rôles de {user.nom}
      </Heading>
      <div className="modale__contenu">
        <ErrorSummary errors={errors} attempt={attempt} />
        <h3>Rôles attribués</h3>
        {grants.length === 0 ? (
          <p>Aucun rôle : la personne pourra se connecter mais n'accédera à aucune page réservée.</p>
        ) : (
          <ul className="liste-roles">
            {grants.map((grant) => (
              <li key={`${grant.role}-${grant.perimetre}`}>
                {roleLabel(grant)}
                <button
                  type="button"
                  className="bouton bouton--secondaire bouton--petit"
                  onClick={() => {
                    setGrants(grants.filter((g) => g !== grant));
                    setStatus(`Rôle retiré : ${roleLabel(grant)}. Enregistrez pour l'appliquer.`);
                  }}
                >
                  Retirer<span className="visuellement-masque"> le rôle {roleLabel(grant)}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <p className="visuellement-masque" role="status">
          {status}
        </p>
        <fieldset className="groupe-choix">
          <legend>Ajouter un rôle</legend>
          <RoleFields
            idPrefix="roles-ajout"
            role={role}
            perimetre={perimetre}
            onRoleChange={setRole}
            onPerimetreChange={setPerimetre}
            perimetreError={errors.find((e) => e.fieldId === "roles-ajout-perimetre")?.message}
          />
          <button type="button" className="bouton bouton--secondaire" onClick={add}>
            Ajouter ce rôle
          </button>
        </fieldset>
      </div>
      <div className="modale__actions">
        <button type="button" className="bouton bouton--secondaire" onClick={onClose} disabled={pending}>
          Annuler
        </button>
        <button type="submit" className="bouton" disabled={pending}>
          {pending ? "Enregistrement…" : "Enregistrer les rôles"}
        </button>
      </div>
    </form>
  );
}
