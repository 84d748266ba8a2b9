import type { Niveau, ObservatoireZoneFibree } from "../../app/api-types.ts";
import { formatInteger } from "../../app/format.ts";
import { ExportLinks } from "./ExportLinks.tsx";
import { observatoryApi } from "./observatory-api.ts";
import { formatPercent, quarterLabel } from "./observatory-format.ts";
import { PagedTable } from "./PagedTable.tsx";
import { Loaded, useObservatory } from "./use-observatory.tsx";

/** Communes meeting the measurable conditions of the « zone fibrée » status, and why the others do not. */
export function ZoneFibreeSection({ niveau, code, trimestre }: { niveau: Niveau; code: string; trimestre: string }) {
  const state = useObservatory<ObservatoireZoneFibree>("zone-fibree", niveau, code, { trimestre });
  return (
    <section aria-labelledby="titre-zone-fibree">
      <h2 id="titre-zone-fibree">Zone fibrée</h2>
      <p>
        Le statut de « zone fibrée » (article L. 33-11 du code des postes et des communications électroniques) suppose
        un déploiement de la fibre suffisamment avancé. Le tableau indique, pour chaque commune, si les conditions
        mesurables sont remplies et sinon pourquoi.
      </p>
      <Loaded state={state} what="Les communes en zone fibrée">
        {(data) => (
          <>
            <p>
              <strong>
                {formatInteger(data.synthese.communesZoneFibree)} commune
                {data.synthese.communesZoneFibree > 1 ? "s" : ""} sur {formatInteger(data.synthese.communes)}
              </strong>{" "}
              remplissent les conditions mesurables au {quarterLabel(data.trimestre.code)} (
              {formatInteger(data.synthese.locauxZoneFibree)} locaux sur {formatInteger(data.synthese.locaux)}).
            </p>
            <ul>
              {data.conditions.map((c) => (
                <li key={c.condition}>{c.libelle}</li>
              ))}
            </ul>
            {data.nonMesurables.length > 0 && (
              <p className="texte-discret">Non mesuré ici : {data.nonMesurables.join(" ; ")}.</p>
            )}
            <PagedTable
              caption={`Zone fibrée : conditions par commune — ${quarterLabel(data.trimestre.code)}`}
              columns={[
                { header: "Commune", rowHeader: true, cell: (row) => row.nom },
                { header: "Code", cell: (row) => row.code },
                {
                  header: "Locaux",
                  numeric: true,
                  cell: (row) => (row.locaux === null ? "—" : formatInteger(row.locaux)),
                },
                {
                  header: "Raccordables (y compris à la demande)",
                  numeric: true,
                  cell: (row) => formatPercent(row.couverture),
                },
                {
                  header: "Conditions remplies",
                  cell: (row) =>
                    row.zoneFibree ? (
                      <span className="etiquette etiquette--succes">oui</span>
                    ) : (
                      <span className="etiquette etiquette--neutre">non</span>
                    ),
                },
                { header: "Motif", cell: (row) => (row.motifs.length > 0 ? row.motifs.join(" ; ") : "—") },
              ]}
              rows={data.communes}
              rowKey={(row) => row.code}
              exports={
                <ExportLinks
                  url={(format) => observatoryApi.url("zone-fibree", niveau, code, { trimestre, format })}
                  context={`zone fibrée, ${quarterLabel(data.trimestre.code)}`}
                />
              }
            />
          </>
        )}
      </Loaded>
    </section>
  );
}
