import type { Niveau, ObservatoireSerie } from "../../app/api-types.ts";
import { formatInteger } from "../../app/format.ts";
import { DataTable } from "../../ui/DataTable.tsx";
import { type ChartMarker, LineChart, type LineSeries } from "./charts/LineChart.tsx";
import { ExportLinks } from "./ExportLinks.tsx";
import { observatoryApi } from "./observatory-api.ts";
import { formatPercent, quarterLabel, quarterLongLabel, VARIANT_LABELS, type Variant } from "./observatory-format.ts";
import { TableDisclosure } from "./TableDisclosure.tsx";
import { Loaded, useObservatory } from "./use-observatory.tsx";

type Projection = ObservatoireSerie["objectifs"][number];

/** THD and FttH shares over every published quarter, with the plan's targets and the forecast. */
export function SeriesSection({ niveau, code, variante }: { niveau: Niveau; code: string; variante: Variant }) {
  const state = useObservatory<ObservatoireSerie>("series", niveau, code, { variante });
  return (
    <section aria-labelledby="titre-evolution">
      <h2 id="titre-evolution">Évolution et objectifs</h2>
      <Loaded state={state} what="Les séries">
        {(data) => <SeriesContent data={data} niveau={niveau} code={code} variante={variante} />}
      </Loaded>
    </section>
  );
}

function reachText(o: Projection): string {
  switch (o.statut) {
    case "deja_atteint":
      return o.atteintLe ? `atteint au ${quarterLabel(o.atteintLe)}` : "atteint";
    case "prevu":
      return o.prevuLe ? `prévu au ${quarterLabel(o.prevuLe)} au rythme actuel` : "prévu";
    case "non_atteint_a_ce_rythme":
      return "non atteint au rythme actuel";
    default:
      return "données insuffisantes pour une prévision";
  }
}

function SeriesContent({
  data,
  niveau,
  code,
  variante,
}: {
  data: ObservatoireSerie;
  niveau: Niveau;
  code: string;
  variante: Variant;
}) {
  const thd = data.points.flatMap((p) =>
    p.thd[variante] === null ? [] : [{ trimestre: p.trimestre.code, valeur: p.thd[variante] ?? 0 }],
  );
  const ftth = data.points.flatMap((p) =>
    p.ftth.part === null ? [] : [{ trimestre: p.trimestre.code, valeur: p.ftth.part }],
  );
  const series: LineSeries[] = [
    { key: "thd", label: `Très haut débit (${VARIANT_LABELS[variante].toLowerCase()})`, points: thd },
    { key: "ftth", label: "Raccordable à la fibre", points: ftth },
  ];
  const last = thd[thd.length - 1];
  const forecast = data.objectifs
    .filter((o) => o.statut === "prevu" && o.prevuLe)
    .map((o) => ({ trimestre: o.prevuLe ?? "", valeur: o.part }))
    .sort((a, b) => a.trimestre.localeCompare(b.trimestre));
  if (last && forecast.length > 0) {
    series.push({ key: "prevision", label: "Prévision au rythme actuel", points: [last, ...forecast], dashed: true });
  }
  const markers: ChartMarker[] = data.objectifs.map((o) => ({
    key: `${o.annee}-${o.part}`,
    trimestre: o.echeance,
    valeur: o.part,
    label: `${formatPercent(o.part).replace(",0 ", " ")} fin ${o.annee}`,
  }));
  const summary = [
    last
      ? `Au ${quarterLongLabel(last.trimestre)}, ${formatPercent(last.valeur)} des locaux ont accès au très haut débit.`
      : "",
    data.rythme.pointsParTrimestre === null
      ? ""
      : `Rythme actuel : ${formatPercent(data.rythme.pointsParTrimestre).replace(" %", "")} point par trimestre.`,
    ...data.objectifs.map((o) => `${o.libelle} : ${reachText(o)}.`),
  ]
    .filter(Boolean)
    .join(" ");

  return (
    <>
      <figure className="figure-graphique">
        <LineChart
          label={`Graphique : évolution de la part des locaux en très haut débit (${VARIANT_LABELS[variante].toLowerCase()}) et raccordables à la fibre, avec les objectifs du plan`}
          series={series}
          markers={markers}
        />
        <figcaption className="figure-carte__legende">{summary}</figcaption>
      </figure>
      <h3>Objectifs et prévision</h3>
      <DataTable
        caption={`Objectifs du plan et date prévue au rythme actuel — ${VARIANT_LABELS[variante].toLowerCase()}`}
        columns={[
          { header: "Objectif", rowHeader: true, cell: (row) => row.libelle },
          { header: "Échéance", cell: (row) => quarterLabel(row.echeance) },
          { header: "Part observée à l'échéance", numeric: true, cell: (row) => formatPercent(row.valeurALEcheance) },
          { header: "Situation", cell: (row) => reachText(row) },
        ]}
        rows={data.objectifs}
        rowKey={(row) => `${row.annee}-${row.part}`}
      />
      <p className="texte-discret">{data.methode}</p>
      <TableDisclosure title="Tableau de l'évolution par trimestre">
        <DataTable
          caption="Part des locaux en très haut débit et raccordables à la fibre, par trimestre"
          columns={[
            {
              header: "Trimestre",
              rowHeader: true,
              cell: (row) => `${quarterLabel(row.trimestre.code)}${row.trimestre.simule ? " (simulé)" : ""}`,
            },
            { header: "Locaux", numeric: true, cell: (row) => formatInteger(row.locaux) },
            { header: "THD filaire", numeric: true, cell: (row) => formatPercent(row.thd.filaire) },
            { header: "THD terrestre", numeric: true, cell: (row) => formatPercent(row.thd.terrestre) },
            { header: "THD toutes technologies", numeric: true, cell: (row) => formatPercent(row.thd.toutes) },
            { header: "Raccordable à la fibre", numeric: true, cell: (row) => formatPercent(row.ftth.part) },
          ]}
          rows={data.points}
          rowKey={(row) => row.trimestre.code}
          footer={
            <ExportLinks
              url={(format) => observatoryApi.url("series", niveau, code, { variante, format })}
              context="évolution par trimestre"
            />
          }
        />
      </TableDisclosure>
    </>
  );
}
