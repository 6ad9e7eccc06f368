/**
 * The rights of `<privacy-rights>`: every right that applies to at least
 * one purpose, explained in plain words with the notice's own text, its
 * article and the purposes it applies to; the right to object first and
 * apart (art. 21(4)); the supervisory authorities with the complaint; and
 * which rights each purpose has, following its legal basis.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { str } from '@lit/localize';
import type { LocalizedNotice, RightId } from '@akkoord/core/notice';
import { ARTICLE_OF_RIGHT, applicableRights, purposesWithRight, rightsForBasis, type RequestableRight } from '@akkoord/core/rights';
import { msg } from '../localization.js';
import { addressLines, heading, lines } from '../shared/blocks.js';
import { basisLabel } from '../shared/legal-basis.js';
import { link, richText } from '../shared/rich-text.js';
import { isRequestable } from './request-form.js';
import { articleLabel, rightExplanation, rightName } from './rights-text.js';

/** Where the EU's data protection authorities are listed: a person may complain where they live or work (art. 77). */
const EDPB_MEMBERS = 'https://www.edpb.europa.eu/about-edpb/about-edpb/members_en';

/** Whether a right offers a request (some channel takes one), and what its button does. */
export interface RequestStart {
  possible: boolean;
  choose: (right: RequestableRight) => void;
}

export function renderRights(view: LocalizedNotice, level: number, requests: RequestStart): TemplateResult {
  const applicable = applicableRights(view.purposes);
  const objection = applicable.includes('objection') || view.rights.some((r) => r.right === 'objection');
  const others = applicable.filter((right) => right !== 'objection');
  return html`
    ${heading(level, msg('Your privacy rights', { id: 'rights.title' }), { part: 'heading' })}
    <p part="intro">
      ${msg(
        'Using these rights is free. We answer within one month; for complex requests we may take two months longer, and then we tell you so within the first month.',
        { id: 'rights.intro' },
      )}
    </p>

    ${objection
      ? html`<section part="objection" class="objection" aria-labelledby="right-objection">
          ${renderRight(view, 'objection', level + 1, requests)}
        </section>`
      : nothing}

    <section part="rights" aria-labelledby="other-rights">
      ${heading(level + 1, objection ? msg('Your other rights', { id: 'rights.others' }) : msg('Your rights', { id: 'rights.all' }), {
        id: 'other-rights',
      })}
      ${others.map((right) => html`<div part="right" class="right" data-right=${right}>${renderRight(view, right, level + 2, requests)}</div>`)}
    </section>

    <details part="by-purpose">
      <summary>${msg('Which rights apply to each purpose', { id: 'rights.by-purpose' })}</summary>
      <ul class="purposes">
        ${view.purposes.map(
          (purpose) => html`<li data-purpose=${purpose.id} data-basis=${purpose.legalBasis}>
            <strong>${purpose.title}</strong> <span class="basis">${basisLabel(purpose.legalBasis)}</span>
            <ul class="purpose-rights">
              ${rightsForBasis(purpose.legalBasis).map((right) => html`<li data-right=${right}>${rightName(right)}</li>`)}
            </ul>
          </li>`,
        )}
      </ul>
    </details>
  `;
}

function renderRight(view: LocalizedNotice, right: RightId, level: number, requests: RequestStart): TemplateResult {
  const declared = view.rights.find((r) => r.right === right);
  const titleId = `right-${right}`;
  const purposes = purposesWithRight(view.purposes, right);
  const canRequest = isRequestable(right) && requests.possible;
  const title = right === 'objection' && !declared ? msg('Your right to object', { id: 'rights.objection.title' }) : (declared?.title ?? rightName(right));
  return html`
    ${heading(level, title, { id: titleId, part: 'right-title' })}
    <p part="article" class="article">${articleLabel(ARTICLE_OF_RIGHT[right])}</p>
    <p part="explanation">${rightExplanation(right)}</p>
    ${declared ? html`<p part="notice-text" class="notice-text">${richText(declared.description, view.policyUrl)}</p>` : nothing}
    ${renderScope(view, right, purposes)}
    ${right === 'complaint' ? renderAuthorities(view) : nothing}
    ${canRequest
      ? html`<button part="request-button" class="secondary" type="button" aria-describedby=${titleId} @click=${() => requests.choose(right as RequestableRight)}>
          ${right === 'objection' ? msg('Object', { id: 'rights.object-button' }) : msg('Make a request', { id: 'rights.request-button' })}
        </button>`
      : nothing}
  `;
}

function renderScope(view: LocalizedNotice, right: RightId, purposes: LocalizedNotice['purposes']): unknown {
  if (right === 'complaint') return nothing;
  if (purposes.length === view.purposes.length) {
    return html`<p part="scope">${msg('Applies to everything we use your data for.', { id: 'rights.scope.all' })}</p>`;
  }
  if (right === 'objection') {
    return html`<div part="scope">
      <p>${msg('You can object to our use of your data for:', { id: 'rights.objection.applies' })}</p>
      <ul>
        ${purposes.map((p) => html`<li data-purpose=${p.id}>${p.title}</li>`)}
      </ul>
    </div>`;
  }
  const count = purposes.length;
  const total = view.purposes.length;
  return html`<details part="scope">
    <summary>${msg(str`Applies to ${count} of our ${total} purposes`, { id: 'rights.scope.some' })}</summary>
    <ul>
      ${purposes.map((p) => html`<li data-purpose=${p.id}>${p.title}</li>`)}
    </ul>
  </details>`;
}

function renderAuthorities(view: LocalizedNotice): TemplateResult {
  return html`
    ${view.supervisoryAuthorities.map(
      (authority) => html`<address part="authority" data-country=${authority.country}>
        <strong>${authority.name}</strong><br />
        ${authority.address ? html`${lines(addressLines(authority.address, view.locale))}<br />` : nothing}
        ${lines(
          [authority.email ? link(authority.email, `mailto:${authority.email}`) : undefined, link(authority.url, authority.url)].filter(
            (item) => item !== undefined,
          ),
        )}
      </address>`,
    )}
    <p>
      ${msg('You may also complain to the authority of the EU country where you live, where you work, or where the infringement took place.', {
        id: 'rights.complaint.where',
      })}
      ${link(msg('All data protection authorities in the EU', { id: 'rights.complaint.list' }), EDPB_MEMBERS)}
    </p>
  `;
}
