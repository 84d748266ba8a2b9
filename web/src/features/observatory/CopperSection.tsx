import type { Niveau, ObservatoireCuivre } from "../../app/api-types.ts";
import { formatDate, formatInteger } from "../../app/format.ts";
import { DataTable } from "../../ui/DataTable.tsx";
import { ExportLinks } from "./ExportLinks.tsx";
import { observatoryApi } from "./observatory-api.ts";
import { formatPercent, quarterLabel } from "./observatory-format.ts";
import { PagedTable } from "./PagedTable.tsx";
import { TableDisclosure } from "./TableDisclosure.tsx";
import { Loaded, useObservatory } from "./use-observatory.tsx";

type CopperState = ObservatoireCuivre["communes"][number]["etat"];

const STATE_LABELS: Record<CopperState, string> = {
  fermee: "fermé",
  fermeture_commerciale: "fermeture commerciale passée",
  programmee: "fermeture programmée",
  non_programmee: "non programmée",
};

/** Copper-closure calendar: communes per year, and per commune the commercial then technical closure. */
export function CopperSection({ niveau, code, trimestre }: { niveau: Niveau; code: string; trimestre: string }) {
  const state = useObservatory<ObservatoireCuivre>("fermeture-cuivre", niveau, code, { trimestre });
  return (
    <section aria-labelledby="titre-cuivre">
      <h2 id="titre-cuivre">Fermeture du réseau cuivre</h2>
      <Loaded state={state} what="Les dates de fermeture du cuivre">
        {(data) => {
          const quarter = quarterLabel(data.trimestre.code);
          const scheduled = data.communes.filter((c) => c.etat !== "non_programmee").length;
          return (
            <>
              <p>
                Au {formatDate(data.dateReference)} :{" "}
                {(Object.keys(STATE_LABELS) as CopperState[])
                  .map((etat) => `${formatInteger(data.etats[etat])} commune(s) ${STATE_LABELS[etat]}`)
                  .join(", ")}
                .
              </p>
              {data.calendrier.length > 0 && (
                <DataTable
                  caption={`Calendrier de fermeture du cuivre par année — ${quarter}`}
                  columns={[
                    { header: "Année", rowHeader: true, cell: (row) => String(row.annee) },
                    {
                      header: "Communes en fermeture commerciale",
                      numeric: true,
                      cell: (row) => formatInteger(row.communesFermetureCommerciale),
                    },
                    {
                      header: "Communes en fermeture technique",
                      numeric: true,
                      cell: (row) => formatInteger(row.communesFermetureTechnique),
                    },
                    {
                      header: "Locaux concernés par la fermeture technique",
                      numeric: true,
                      cell: (row) => formatInteger(row.locauxFermetureTechnique),
                    },
                  ]}
                  rows={data.calendrier}
                  rowKey={(row) => String(row.annee)}
                />
              )}
              {scheduled === 0 ? (
                <p>Aucune fermeture du réseau cuivre n'est programmée sur ce territoire au {quarter}.</p>
              ) : (
                <TableDisclosure title="Calendrier par commune">
                  <PagedTable
                    caption={`Fermeture du cuivre par commune — ${quarter}`}
                    columns={[
                      { header: "Commune", rowHeader: true, cell: (row) => row.nom },
                      { header: "Lot", cell: (row) => row.lot ?? "—" },
                      {
                        header: "Fermeture commerciale",
                        cell: (row) => formatDate(row.fermetureCommerciale, "non fixée"),
                      },
                      { header: "Fermeture technique", cell: (row) => formatDate(row.fermetureTechnique, "non fixée") },
                      { header: "État", cell: (row) => STATE_LABELS[row.etat] },
                      {
                        header: "Part raccordable à la fibre",
                        numeric: true,
                        cell: (row) => formatPercent(row.ftthPart),
                      },
                    ]}
                    rows={data.communes.filter((c) => c.etat !== "non_programmee")}
                    rowKey={(row) => row.code}
                    exports={
                      <ExportLinks
                        url={(format) => observatoryApi.url("fermeture-cuivre", niveau, code, { trimestre, format })}
                        context={`fermeture du cuivre, ${quarter}`}
                      />
                    }
                  />
                </TableDisclosure>
              )}
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
