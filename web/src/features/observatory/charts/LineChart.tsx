import { AxisBottom, AxisLeft } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleLinear, scalePoint } from "@visx/scale";
import { LinePath } from "@visx/shape";

export interface LineSeries {
  key: string;
  label: string;
  /** Points in percent (0–100) per quarter code (« 2018T1 »). */
  points: { trimestre: string; valeur: number }[];
  /** Dashed for forecasts. */
  dashed?: boolean;
}

export interface ChartMarker {
  key: string;
  trimestre: string;
  valeur: number;
  label: string;
}

interface LineChartProps {
  /** Accessible name of the chart image, starting with « Graphique ». */
  label: string;
  series: LineSeries[];
  /** Targets, drawn as labelled diamonds. */
  markers?: ChartMarker[];
}

const WIDTH = 720;
const HEIGHT = 340;
const MARGIN = { top: 16, right: 24, bottom: 40, left: 52 };
const LINE_CLASSES = ["graphique__ligne--1", "graphique__ligne--2", "graphique__ligne--3", "graphique__ligne--4"];

/** Every quarter from `first` to `last` (« 2017T4 », « 2018T1 »…), so that time is spaced evenly. */
export function quartersBetween(first: string, last: string): string[] {
  const toIndex = (code: string) => Number(code.slice(0, 4)) * 4 + Number(code.slice(5)) - 1;
  const result: string[] = [];
  for (let i = toIndex(first); i <= toIndex(last); i++) result.push(`${Math.floor(i / 4)}T${(i % 4) + 1}`);
  return result;
}

/**
 * Line chart of shares over quarters, with target markers; forecasts are dashed. One labelled
 * picture for assistive technologies: its figures must also be given in a table next to it.
 */
export function LineChart({ label, series, markers = [] }: LineChartProps) {
  const codes = [...series.flatMap((s) => s.points.map((p) => p.trimestre)), ...markers.map((m) => m.trimestre)].sort();
  const first = codes[0];
  const last = codes[codes.length - 1];
  const domain = first && last ? quartersBetween(first, last) : [];
  const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
  const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = scalePoint<string>({ domain, range: [0, innerWidth] });
  const y = scaleLinear<number>({ domain: [0, 100], range: [innerHeight, 0] });
  const yearTicks = domain.filter((code) => code.endsWith("T1"));
  const tickEvery = Math.max(1, Math.ceil(yearTicks.length / 10));

  return (
    <div className="graphique">
      <ul className="graphique__legende" aria-hidden="true">
        {series.map((serie, index) => (
          <li key={serie.key}>
            <svg width="32" height="14" aria-hidden="true" focusable="false">
              <line
                className={`graphique__ligne ${LINE_CLASSES[index % LINE_CLASSES.length]}${serie.dashed ? " graphique__ligne--pointillee" : ""}`}
                x1="2"
                x2="30"
                y1="7"
                y2="7"
              />
            </svg>
            {serie.label}
          </li>
        ))}
        {markers.length > 0 && (
          <li>
            <svg width="32" height="14" aria-hidden="true" focusable="false">
              <path className="graphique__objectif" d="M16 1 L22 7 L16 13 L10 7 Z" />
            </svg>
            Objectif
          </li>
        )}
      </ul>
      <svg
        className="graphique__image"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={label}
        preserveAspectRatio="xMinYMin meet"
      >
        <Group left={MARGIN.left} top={MARGIN.top}>
          {y.ticks(5).map((tick) => (
            <line key={tick} className="graphique__grille" x1={0} x2={innerWidth} y1={y(tick)} y2={y(tick)} />
          ))}
          {series.map((serie, index) => (
            <g key={serie.key}>
              <LinePath
                data={serie.points}
                x={(point) => x(point.trimestre) ?? 0}
                y={(point) => y(point.valeur)}
                className={`graphique__ligne ${LINE_CLASSES[index % LINE_CLASSES.length]}${serie.dashed ? " graphique__ligne--pointillee" : ""}`}
              />
              {!serie.dashed &&
                serie.points.map((point) => (
                  <circle
                    key={point.trimestre}
                    className={`graphique__point ${LINE_CLASSES[index % LINE_CLASSES.length]}`}
                    cx={x(point.trimestre) ?? 0}
                    cy={y(point.valeur)}
                    r={3}
                  />
                ))}
            </g>
          ))}
          {markers.map((marker) => {
            const cx = x(marker.trimestre) ?? 0;
            const cy = y(marker.valeur);
            return (
              <g key={marker.key}>
                <path
                  className="graphique__objectif"
                  d={`M${cx} ${cy - 8} L${cx + 8} ${cy} L${cx} ${cy + 8} L${cx - 8} ${cy} Z`}
                />
                <text className="graphique__texte" x={cx - 10} y={cy + (cy < 24 ? 22 : -12)} textAnchor="end">
                  {marker.label}
                </text>
              </g>
            );
          })}
          <AxisLeft
            scale={y}
            numTicks={5}
            tickFormat={(value) => `${value} %`}
            axisClassName="graphique__axe"
            tickLabelProps={{ className: "graphique__texte", fontSize: 13, textAnchor: "end", dx: -4, dy: 4 }}
          />
          <AxisBottom
            top={innerHeight}
            scale={x}
            tickValues={yearTicks.filter((_, index) => index % tickEvery === 0)}
            tickFormat={(code) => String(code).slice(0, 4)}
            axisClassName="graphique__axe"
            tickLabelProps={{ className: "graphique__texte", fontSize: 13, textAnchor: "middle" }}
          />
        </Group>
      </svg>
    </div>
  );
}
