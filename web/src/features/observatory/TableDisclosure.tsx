import type { ReactNode } from "react";
import { Button, Disclosure, DisclosurePanel, Heading } from "react-aria-components";

/** « Afficher le tableau… » button that opens the data table equivalent to a map or a chart. */
export function TableDisclosure({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Disclosure className="depliant">
      <Heading level={3} className="depliant__titre">
        <Button slot="trigger" className="depliant__bouton">
          <span className="depliant__icone" aria-hidden="true" />
          {title}
        </Button>
      </Heading>
      <DisclosurePanel className="depliant__contenu">{children}</DisclosurePanel>
    </Disclosure>
  );
}
