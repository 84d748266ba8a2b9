import { useId } from "react";

export interface LegendItem {
  color: string;
  label: string;
}

/** HTML legend for a map, so the colour classes are readable without the canvas. */
export function MapLegend({ title, items }: { title: string; items: LegendItem[] }) {
  const titleId = useId();
  return (
    <div className="legende">
      <p className="legende__titre" id={titleId}>
        {title}
      </p>
      <ul className="legende__classes" aria-labelledby={titleId}>
        {items.map((item) => (
          <li key={item.label}>
            <span className="legende__pastille" style={{ backgroundColor: item.color }} aria-hidden="true" />
            {item.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
