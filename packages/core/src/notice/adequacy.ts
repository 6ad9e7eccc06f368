/**
 * The Commission's adequacy decisions under GDPR art. 45(3) (and those of
 * Directive 95/46/EC that art. 45(9) keeps in force), by country. `lintNotice`
 * uses them to catch a notice that says a country has none.
 *
 * Not every decision is here: a country missing from this table only means
 * no warning. Add a decision with its number and date when a notice needs it.
 */
export interface AdequacyDecision {
  /** The decision's number, as the Official Journal cites it. */
  decision: string;
  /** The day it was adopted (ISO 8601). */
  adopted: string;
  /** Set when the decision covers only some recipients in that country. */
  scope?: string;
}

const ADEQUACY: Readonly<Record<string, AdequacyDecision>> = {
  AD: { decision: 'Decision 2010/625/EU', adopted: '2010-10-19' },
  AR: { decision: 'Decision 2003/490/EC', adopted: '2003-06-30' },
  CA: { decision: 'Decision 2002/2/EC', adopted: '2001-12-20', scope: 'organisations subject to PIPEDA' },
  CH: { decision: 'Decision 2000/518/EC', adopted: '2000-07-26' },
  FO: { decision: 'Decision 2010/146/EU', adopted: '2010-03-05' },
  GG: { decision: 'Decision 2003/821/EC', adopted: '2003-11-21' },
  IL: { decision: 'Decision 2011/61/EU', adopted: '2011-01-31' },
  IM: { decision: 'Decision 2004/411/EC', adopted: '2004-04-28' },
  JE: { decision: 'Decision 2008/393/EC', adopted: '2008-05-08' },
  JP: { decision: 'Implementing Decision (EU) 2019/419', adopted: '2019-01-23' },
  KR: { decision: 'Implementing Decision (EU) 2022/254', adopted: '2021-12-17' },
  NZ: { decision: 'Decision 2013/65/EU', adopted: '2012-12-19' },
  US: {
    decision: 'Implementing Decision (EU) 2023/1795 (the EU-US Data Privacy Framework)',
    adopted: '2023-07-10',
    scope: 'organisations certified under the Data Privacy Framework',
  },
  UY: { decision: 'Decision 2012/484/EU', adopted: '2012-08-21' },
};

export function adequacyDecision(countryCode: string): AdequacyDecision | undefined {
  return ADEQUACY[countryCode];
}
