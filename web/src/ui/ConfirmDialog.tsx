import type { ReactNode } from "react";
import { Dialog, Heading, Modal, ModalOverlay } from "react-aria-components";

interface ConfirmDialogProps {
  isOpen: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** The confirmed action is running: buttons disabled. */
  pending?: boolean;
}

/** Modal asking to confirm a destructive action (focus kept inside, Échap cancels, focus returns after). */
export function ConfirmDialog({
  isOpen,
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  pending,
}: ConfirmDialogProps) {
  return (
    <ModalOverlay
      className="modale__fond"
      isOpen={isOpen}
      onOpenChange={(open) => !open && onCancel()}
      isDismissable={!pending}
    >
      <Modal className="modale">
        <Dialog role="alertdialog" className="modale__dialogue">
          <Heading slot="title" className="modale__titre">
            {title}
          </Heading>
          <div className="modale__contenu">{children}</div>
          <div className="modale__actions">
            <button type="button" className="bouton bouton--secondaire" onClick={onCancel} disabled={pending}>
              Annuler
            </button>
            <button type="button" className="bouton bouton--danger" onClick={onConfirm} disabled={pending}>
              {pending ? "En cours…" : confirmLabel}
            </button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}
