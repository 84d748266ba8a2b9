import { describe, expect, it } from "vitest";
import {
  addQuarters,
  compareQuarters,
  InvalidQuarterError,
  parseQuarter,
  quarterEnd,
  quarterOfDate,
  quarterRange,
  quarterStart,
} from "./quarter-code.ts";

describe("codes de trimestre", () => {
  it("lit les écritures des sources et les normalise en AAAATn", () => {
    expect(parseQuarter("2018T1")).toEqual({ code: "2018T1", annee: 2018, numero: 1 });
    for (const text of ["2018t1", " 2018_T1 ", "T1 2018", "2018 T1"]) expect(parseQuarter(text).code).toBe("2018T1");
  });

  it("refuse un code invalide avec un message en français", () => {
    for (const text of ["2018T5", "2018Q1", "18T1", "", "T0 2018"]) {
      expect(() => parseQuarter(text), text).toThrow(InvalidQuarterError);
    }
    expect(() => parseQuarter("2018T5")).toThrow(/invalide : attendu AAAATn/);
  });

  it("ordonne, compte et date les trimestres", () => {
    expect(compareQuarters("2017T4", "2018T1")).toBeLessThan(0);
    expect(compareQuarters("2018T1", "2018T1")).toBe(0);
    expect(["2018T1", "2016T4", "2017T3"].sort(compareQuarters)).toEqual(["2016T4", "2017T3", "2018T1"]);
    expect(addQuarters("2017T3", 2)).toBe("2018T1");
    expect(addQuarters("2018T1", -1)).toBe("2017T4");
    expect(quarterRange("2016T4", "2017T3")).toEqual(["2016T4", "2017T1", "2017T2", "2017T3"]);
    expect(quarterStart("2018T2")).toBe("2018-04-01");
    expect(quarterEnd("2018T2")).toBe("2018-06-30");
    expect(quarterEnd("2016T4")).toBe("2016-12-31");
    expect(quarterOfDate("2018-08-15")).toBe("2018T3");
  });
});
