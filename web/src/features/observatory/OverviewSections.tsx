import type { Niveau, Observatoire } from "../../app/api-types.ts";
import { formatInteger } from "../../app/format.ts";
import { DataTable } from "../../ui/DataTable.tsx";
import { BarChart } from "./charts/BarChart.tsx";
import { ExportLinks } from "./ExportLinks.tsx";
import { observatoryApi } from "./observatory-api.ts";
import { formatPercent, quarterLabel, VARIANT_LABELS, type Variant } from "./observatory-format.ts";
import { Loaded, useObservatory } from "./use-observatory.tsx";

interface OverviewProps {
  niveau: Niveau;
  code: string;
  trimestre: string;
  variante: Variant;
}

type ClassFigure = NonNullable<Observatoire["variantes"]["toutes"]>["classes"][number];

/** Key figures, speed classes, technologies and infrastructure operators of one territory and quarter. */
export function OverviewSections({ niveau, code, trimestre, variante }: OverviewProps) {
  const state = useObservatory<Observatoire>("", niveau, code, { trimestre });
  // The export holds every variant (one column says which), so it does not depend on the switch.
  const exportUrl = (format: "csv" | "geojson" | "xlsx") => observatoryApi.url("", niveau, code, { trimestre, format });
  return (
    <>
      <section aria-labelledby="titre-chiffres">
        <h2 id="titre-chiffres">Chiffres clés</h2>
        <Loaded state={state} what="Les chiffres clés">
          {(data) => <KeyFigures data={data} variante={variante} />}
        </Loaded>
      </section>

      <section aria-labelledby="titre-debits">
        <h2 id="titre-debits">Débits accessibles</h2>
        <Loaded state={state} what="Les débits">
          {(data) => {
            const figures = data.variantes[variante];
            const nom = data.territoire.nom;
            const quarter = quarterLabel(data.trimestre.code);
            const context = `${nom}, ${quarter}, ${VARIANT_LABELS[variante].toLowerCase()}`;
            return (
              <>
                {figures === null ? (
                  <p className="avis">
                    Les classes de débit ne sont pas connues pour ce territoire au {quarter} (la source de ce trimestre
                    ne donne que les locaux raccordables à la fibre).
                  </p>
                ) : (
                  <>
                    <figure className="figure-graphique">
                      <BarChart
                        label={`Graphique : part des locaux par classe de débit, ${context}`}
                        categories={figures.classes.map((c) => ({ key: c.classe, label: c.libelle }))}
                        series={[
                          {
                            key: "part",
                            label: "Part des locaux",
                            values: Object.fromEntries(figures.classes.map((c) => [c.classe, c.part])),
                          },
                        ]}
                      />
                      <figcaption className="figure-carte__legende">
                        {speedSummary(figures.classes, figures.thd.part)} Le tableau suivant donne les mêmes chiffres.
                      </figcaption>
                    </figure>
                    <DataTable
                      caption={`Locaux par classe de débit descendant — ${context}`}
                      columns={[
                        { header: "Classe de débit", rowHeader: true, cell: (row) => row.libelle },
                        { header: "Locaux", numeric: true, cell: (row) => formatInteger(row.locaux) },
                        { header: "Part des locaux", numeric: true, cell: (row) => formatPercent(row.part) },
                      ]}
                      rows={figures.classes}
                      rowKey={(row) => row.classe}
                      footer={
                        <ExportLinks
                          url={exportUrl}
                          context={`débits, technologies et opérateurs, ${nom}, ${quarter}`}
                        />
                      }
                    />
                  </>
                )}

                <h3>Par technologie</h3>
                <DataTable
                  caption={`Locaux éligibles par technologie — ${nom}, ${quarter}`}
                  columns={[
                    { header: "Technologie", rowHeader: true, cell: (row) => row.libelle },
                    { header: "Locaux éligibles", numeric: true, cell: (row) => formatInteger(row.locaux) },
                    { header: "Part des locaux", numeric: true, cell: (row) => formatPercent(row.part) },
                  ]}
                  rows={data.technologies}
                  rowKey={(row) => row.technologie}
                  footer={<ExportLinks url={exportUrl} context={`locaux par technologie, ${nom}, ${quarter}`} />}
                />
                <p className="texte-discret">Un local éligible à plusieurs technologies compte pour chacune.</p>

                <h3>Par opérateur d'infrastructure</h3>
                {data.operateursInfrastructure.length === 0 ? (
                  <p>Aucun opérateur d'infrastructure n'est connu sur ce territoire pour ce trimestre.</p>
                ) : (
                  <DataTable
                    caption={`Locaux raccordables à la fibre par opérateur d'infrastructure — ${nom}, ${quarter}`}
                    columns={[
                      {
                        header: "Opérateur d'infrastructure",
                        rowHeader: true,
                        cell: (row) => row.nom ?? row.operateur,
                      },
                      { header: "Locaux raccordables", numeric: true, cell: (row) => formatInteger(row.raccordables) },
                      { header: "Part des raccordables", numeric: true, cell: (row) => formatPercent(row.part) },
                    ]}
                    rows={data.operateursInfrastructure}
                    rowKey={(row) => row.operateur}
                    footer={<ExportLinks url={exportUrl} context={`opérateurs d'infrastructure, ${nom}, ${quarter}`} />}
                  />
                )}
              </>
            );
          }}
        </Loaded>
      </section>
    </>
  );
}

function KeyFigures({ data, variante }: { data: Observatoire; variante: Variant }) {
  const thd = data.variantes[variante]?.thd ?? null;
  const figures = [
    {
      id: "part-thd",
      term: "Locaux en très haut débit (30 Mbit/s ou plus)",
      value: formatPercent(thd?.part),
      detail: thd ? `${formatInteger(thd.locaux)} locaux, ${VARIANT_LABELS[variante].toLowerCase()}` : null,
    },
    {
      id: "part-ftth",
      term: "Locaux raccordables à la fibre (FttH)",
      value: formatPercent(data.ftth.part),
      detail: data.ftth.raccordables === null ? null : `${formatInteger(data.ftth.raccordables)} locaux`,
    },
    { id: "locaux", term: "Locaux (logements et établissements)", value: formatInteger(data.locaux), detail: null },
  ];
  return (
    <>
      <p className="texte-discret">
        {quarterLabel(data.trimestre.code)} · {VARIANT_LABELS[variante]} · {formatInteger(data.communes.avecDonnees)}{" "}
        commune{data.communes.avecDonnees > 1 ? "s" : ""} avec des données sur {formatInteger(data.communes.total)}
      </p>
      <dl className="chiffres-cles">
        {figures.map((figure) => (
          <div key={figure.id} className="chiffres-cles__carte" data-chiffre={figure.id}>
            <dt>{figure.term}</dt>
            <dd>
              <span className="chiffres-cles__valeur">{figure.value}</span>
              {figure.detail && <span className="chiffres-cles__detail">{figure.detail}</span>}
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}

/** One-sentence text alternative of the speed-class chart. */
function speedSummary(classes: ClassFigure[], thd: number | null): string {
  let largest: ClassFigure | undefined;
  for (const figure of classes) if (!largest || (figure.part ?? 0) > (largest.part ?? 0)) largest = figure;
  const most = largest
    ? ` ; la classe la plus fréquente est « ${largest.libelle.toLowerCase()} » (${formatPercent(largest.part)})`
    : "";
  return `${formatPercent(thd)} des locaux ont accès au très haut débit (30 Mbit/s ou plus)${most}.`;
}
