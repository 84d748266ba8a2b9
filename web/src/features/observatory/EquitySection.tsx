import type { Niveau, ObservatoireEquite } from "../../app/api-types.ts";
import { formatInteger } from "../../app/format.ts";
import { DataTable } from "../../ui/DataTable.tsx";
import { BarChart } from "./charts/BarChart.tsx";
import { ExportLinks } from "./ExportLinks.tsx";
import { observatoryApi } from "./observatory-api.ts";
import { formatPercent, formatPoints, quarterLabel, VARIANT_LABELS, type Variant } from "./observatory-format.ts";
import { Loaded, useObservatory } from "./use-observatory.tsx";

type Level = ObservatoireEquite["niveaux"][number];

/** The same figures split by the INSEE density level of the communes, and the gap between levels. */
export function EquitySection({
  niveau,
  code,
  trimestre,
  variante,
}: {
  niveau: Niveau;
  code: string;
  trimestre: string;
  variante: Variant;
}) {
  const state = useObservatory<ObservatoireEquite>("equite", niveau, code, { trimestre });
  const context = `${quarterLabel(trimestre)}, ${VARIANT_LABELS[variante].toLowerCase()}`;
  return (
    <section aria-labelledby="titre-equite">
      <h2 id="titre-equite">Équité territoriale</h2>
      <p>Les communes sont regroupées selon la grille communale de densité de l'INSEE (niveaux 1 à 7).</p>
      <Loaded state={state} what="Les chiffres d'équité">
        {(data) => {
          const key = (row: Level) => String(row.niveau ?? "inconnu");
          const thdOf = (row: Level) => row.variantes[variante]?.thd.part ?? null;
          const gapThd = data.ecarts.find((e) => e.indicateur === `thd_${variante}`);
          const gapFtth = data.ecarts.find((e) => e.indicateur === "ftth");
          return (
            <>
              {(gapThd || gapFtth) && (
                <ul className="equite__ecarts" data-testid="ecart-equite">
                  {[gapThd, gapFtth].map(
                    (gap) =>
                      gap && (
                        <li key={gap.indicateur}>
                          {gap.libelle} : écart de <strong>{formatPoints(gap.ecartPoints)}</strong> entre «{" "}
                          {gap.meilleur.libelle} » ({formatPercent(gap.meilleur.part)}) et « {gap.moinsBon.libelle} » (
                          {formatPercent(gap.moinsBon.part)}).
                        </li>
                      ),
                  )}
                </ul>
              )}
              <figure className="figure-graphique">
                <BarChart
                  label={`Graphique : part des locaux en très haut débit et raccordables à la fibre par niveau de densité, ${context}`}
                  categories={data.niveaux.map((row) => ({ key: key(row), label: row.libelle }))}
                  series={[
                    {
                      key: "thd",
                      label: "Très haut débit",
                      values: Object.fromEntries(data.niveaux.map((row) => [key(row), thdOf(row)])),
                    },
                    {
                      key: "ftth",
                      label: "Raccordable à la fibre",
                      values: Object.fromEntries(data.niveaux.map((row) => [key(row), row.ftth.part])),
                    },
                  ]}
                  labelWidth={260}
                />
                <figcaption className="figure-carte__legende">
                  Part des locaux en très haut débit et raccordables à la fibre pour chaque niveau de densité ; le
                  tableau suivant donne les mêmes chiffres.
                </figcaption>
              </figure>
              <DataTable
                caption={`Très haut débit et fibre par niveau de densité — ${context}`}
                columns={[
                  { header: "Niveau de densité", rowHeader: true, cell: (row) => row.libelle },
                  { header: "Communes", numeric: true, cell: (row) => formatInteger(row.communes) },
                  { header: "Locaux", numeric: true, cell: (row) => formatInteger(row.locaux) },
                  { header: "Part en très haut débit", numeric: true, cell: (row) => formatPercent(thdOf(row)) },
                  { header: "Part raccordable à la fibre", numeric: true, cell: (row) => formatPercent(row.ftth.part) },
                ]}
                rows={data.niveaux}
                rowKey={key}
                footer={
                  <ExportLinks
                    url={(format) => observatoryApi.url("equite", niveau, code, { trimestre, format })}
                    context={`équité par niveau de densité, ${context}`}
                  />
                }
              />
            </>
          );
        }}
      </Loaded>
    </section>
  );
}
