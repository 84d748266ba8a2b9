import { AxisBottom } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleBand, scaleLinear } from "@visx/scale";
import { Bar } from "@visx/shape";
import { formatPercent } from "../observatory-format.ts";

export interface BarSeries {
  key: string;
  label: string;
  /** Value per category key, in percent (0–100); null when unknown. */
  values: Record<string, number | null>;
}

interface BarChartProps {
  /** Accessible name of the chart image, starting with « Graphique ». */
  label: string;
  categories: { key: string; label: string }[];
  series: BarSeries[];
  /** Width of the category labels column, in SVG units. */
  labelWidth?: number;
}

const WIDTH = 720;
const BAR_HEIGHT = 18;
const MARGIN = { top: 8, right: 64, bottom: 36 };
// Series are told apart by fill and pattern, not by colour alone.
const SERIES_CLASSES = ["graphique__barre--1", "graphique__barre--2", "graphique__barre--3"];

/**
 * Horizontal bar chart of percentages (one bar per category and series), drawn in SVG.
 * The image is one labelled picture for assistive technologies: its figures must also be given
 * in a table next to it.
 */
export function BarChart({ label, categories, series, labelWidth = 220 }: BarChartProps) {
  const rowHeight = BAR_HEIGHT * series.length + 14;
  const innerHeight = rowHeight * categories.length;
  const innerWidth = WIDTH - labelWidth - MARGIN.right;
  const height = innerHeight + MARGIN.top + MARGIN.bottom;
  const y = scaleBand<string>({ domain: categories.map((c) => c.key), range: [0, innerHeight] });
  const x = scaleLinear<number>({ domain: [0, 100], range: [0, innerWidth] });

  return (
    <div className="graphique">
      {series.length > 1 && <SeriesLegend series={series} />}
      <svg
        className="graphique__image"
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-label={label}
        preserveAspectRatio="xMinYMin meet"
      >
        <Group left={labelWidth} top={MARGIN.top}>
          {x.ticks(5).map((tick) => (
            <line key={tick} className="graphique__grille" x1={x(tick)} x2={x(tick)} y1={0} y2={innerHeight} />
          ))}
          {categories.map((category) => {
            const top = y(category.key) ?? 0;
            return (
              <g key={category.key}>
                <text
                  className="graphique__texte"
                  x={-8}
                  y={top + rowHeight / 2}
                  textAnchor="end"
                  dominantBaseline="middle"
                >
                  {category.label}
                </text>
                {series.map((serie, index) => {
                  const value = serie.values[category.key] ?? null;
                  const barTop = top + 7 + index * BAR_HEIGHT;
                  const barWidth = value === null ? 0 : Math.max(0, x(Math.min(100, value)));
                  return (
                    <g key={serie.key}>
                      <Bar
                        className={`graphique__barre ${SERIES_CLASSES[index % SERIES_CLASSES.length]}`}
                        x={0}
                        y={barTop}
                        width={barWidth}
                        height={BAR_HEIGHT - 3}
                      />
                      <text
                        className="graphique__texte graphique__valeur"
                        x={barWidth + 6}
                        y={barTop + (BAR_HEIGHT - 3) / 2}
                        dominantBaseline="middle"
                      >
                        {formatPercent(value)}
                      </text>
                    </g>
                  );
                })}
              </g>
            );
          })}
          <AxisBottom
            top={innerHeight}
            scale={x}
            numTicks={5}
            tickFormat={(value) => `${value} %`}
            axisClassName="graphique__axe"
            tickLabelProps={{ className: "graphique__texte", fontSize: 13, textAnchor: "middle" }}
          />
        </Group>
      </svg>
    </div>
  );
}

/** HTML legend of the series (hidden from assistive technologies: the table says the same). */
export function SeriesLegend({ series }: { series: { key: string; label: string }[] }) {
  return (
    <ul className="graphique__legende" aria-hidden="true">
      {series.map((serie, index) => (
        <li key={serie.key}>
          <svg width="24" height="14" aria-hidden="true" focusable="false">
            <rect
              className={`graphique__barre ${SERIES_CLASSES[index % SERIES_CLASSES.length]}`}
              width="24"
              height="14"
            />
          </svg>
          {serie.label}
        </li>
      ))}
    </ul>
  );
}
