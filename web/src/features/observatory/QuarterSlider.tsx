import { useLayoutEffect, useRef } from "react";
import { Label, Slider, SliderOutput, SliderThumb, SliderTrack } from "react-aria-components";
import { quarterLabel, quarterLongLabel } from "./observatory-format.ts";

interface QuarterSliderProps {
  /** Published quarters, oldest first (« 2018T1 »). */
  quarters: string[];
  value: string;
  onChange: (quarter: string) => void;
  /** Quarters whose figures are simulated: said in the announced value. */
  simulated?: ReadonlySet<string>;
}

/**
 * Slider over the published quarters: arrows move one quarter, Home/End go to the first/last one,
 * and the value is announced as « 1er trimestre 2018 » rather than as the quarter's index.
 */
export function QuarterSlider({ quarters, value, onChange, simulated }: QuarterSliderProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const index = Math.max(0, quarters.indexOf(value));
  const spoken = (code: string) => `${quarterLongLabel(code)}${simulated?.has(code) ? " (données simulées)" : ""}`;
  const current = quarters[index] ?? value;

  // React Aria announces the slider's number; the index of a quarter means nothing to a listener,
  // so the hidden range input gets the quarter's words instead (after each render, which resets it).
  useLayoutEffect(() => {
    inputRef.current?.setAttribute("aria-valuetext", spoken(current));
  });

  const first = quarters[0];
  const last = quarters[quarters.length - 1];
  return (
    <Slider
      className="curseur-trimestre"
      minValue={0}
      maxValue={Math.max(0, quarters.length - 1)}
      step={1}
      value={index}
      isDisabled={quarters.length < 2}
      onChange={(next) => {
        const quarter = quarters[next];
        if (quarter && quarter !== value) onChange(quarter);
      }}
    >
      <div className="curseur-trimestre__entete">
        <Label className="curseur-trimestre__libelle">Trimestre</Label>
        <SliderOutput className="curseur-trimestre__valeur">{() => quarterLabel(current)}</SliderOutput>
      </div>
      <SliderTrack className="curseur-trimestre__piste">
        {({ state }) => (
          <>
            <div className="curseur-trimestre__rail" />
            <div className="curseur-trimestre__rempli" style={{ width: `${state.getThumbPercent(0) * 100}%` }} />
            <SliderThumb className="curseur-trimestre__poignee" inputRef={inputRef} />
          </>
        )}
      </SliderTrack>
      {first && last && (
        <div className="curseur-trimestre__bornes" aria-hidden="true">
          <span>{quarterLabel(first)}</span>
          <span>{quarterLabel(last)}</span>
        </div>
      )}
    </Slider>
  );
}
