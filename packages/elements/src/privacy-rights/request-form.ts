/**
 * The request form of `<privacy-rights>`: what it holds, how it is checked
 * before a letter, an e-mail or an online request is made from it, and how
 * it renders. One form for every channel the notice declares; its buttons
 * are those channels (`formActions`).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { LocalizedNotice } from '@akkoord/core/notice';
import { ARTICLE_OF_RIGHT, REQUESTABLE_RIGHTS, applicableRights, type RequestableRight } from '@akkoord/core/rights';
import { msg } from '../localization.js';
import { heading } from '../shared/blocks.js';
import type { RequestChannelType } from './events.js';
import { articleLabel, rightName } from './rights-text.js';

export type Field = 'right' | 'name' | 'email' | 'customerNumber' | 'street' | 'postalCode' | 'locality' | 'country' | 'message';
export type Values = Record<Field, string>;
export const EMPTY: Values = { right: '', name: '', email: '', customerNumber: '', street: '', postalCode: '', locality: '', country: '', message: '' };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What is wrong with a field; the message is looked up when rendering, in the element's language. */
export type FieldError = 'required' | 'right' | 'email';
export type FieldErrors = Partial<Record<Field, FieldError>>;

export const isRequestable = (right: string): right is RequestableRight => (REQUESTABLE_RIGHTS as readonly string[]).includes(right);

/** The rights a request can be made for: those that apply to at least one purpose. */
export function requestableRights(view: LocalizedNotice): RequestableRight[] {
  return applicableRights(view.purposes).filter(isRequestable);
}

/**
 * The form's actions: the channels that take a request made here. Online
 * only where the notice declares it AND `online` says the host gave a
 * receiver and a signed-in customer.
 */
export function formActions(view: LocalizedNotice, online: boolean): RequestChannelType[] {
  const actions: RequestChannelType[] = [];
  for (const channel of view.requestChannels) {
    if (channel.type === 'postal' || channel.type === 'email') actions.push(channel.type);
    else if (channel.type === 'online' && online) actions.push('online');
  }
  return [...new Set(actions)];
}

/** The fields that need attention before `action`: a letter also needs the postal address. */
export function validate(v: Values, action: RequestChannelType): FieldErrors {
  const errors: FieldErrors = {};
  if (!v.right) errors.right = 'right';
  if (!v.name.trim()) errors.name = 'required';
  if (!v.email.trim()) errors.email = 'required';
  else if (!EMAIL.test(v.email.trim())) errors.email = 'email';
  if (action === 'postal') {
    if (!v.street.trim()) errors.street = 'required';
    if (!v.locality.trim()) errors.locality = 'required';
    if (!v.country.trim()) errors.country = 'required';
  }
  return errors;
}

/** `errors` without `field`'s: the person has changed it. */
export function withoutError(errors: FieldErrors, field: Field): FieldErrors {
  if (!errors[field]) return errors;
  const { [field]: _fixed, ...rest } = errors;
  return rest;
}

/** What the form renders from: the element's state and its handlers. */
export interface FormView {
  view: LocalizedNotice;
  actions: RequestChannelType[];
  level: number;
  values: Values;
  errors: FieldErrors;
  /** An online request is on its way: its button waits. */
  sending: boolean;
  onInput: (event: Event) => void;
  onSubmit: (event: SubmitEvent) => void;
}

export function renderForm(form: FormView): TemplateResult {
  const { view, actions, level, values, errors } = form;
  const postal = actions.includes('postal');
  const addressRequired = postal && actions.length === 1;
  const errorText = (error: FieldError | undefined) => {
    switch (error) {
      case 'required':
        return msg('Fill in this field.', { id: 'form.error.required' });
      case 'right':
        return msg('Choose a right.', { id: 'form.error.right' });
      case 'email':
        return msg('Enter an e-mail address such as name@example.com.', { id: 'form.error.email' });
      default:
        return '';
    }
  };
  const field = (
    name: Field,
    label: string,
    options: { type?: 'text' | 'email'; required?: boolean; autocomplete?: 'off' | 'name' | 'email' | 'street-address' | 'postal-code' | 'address-level2' | 'country-name'; hint?: string } = {},
  ) => {
    const error = errors[name];
    const describedBy = [options.hint ? `hint-${name}` : '', error ? `error-${name}` : ''].filter(Boolean).join(' ');
    return html`<div class="field">
      <label for="field-${name}">${label}${options.required ? html`<span class="required" aria-hidden="true"> *</span>` : nothing}</label>
      ${options.hint ? html`<p class="hint" id="hint-${name}">${options.hint}</p>` : nothing}
      ${name === 'message'
        ? html`<textarea
            id="field-${name}"
            name=${name}
            rows="5"
            aria-invalid=${error ? 'true' : 'false'}
            aria-describedby=${describedBy || nothing}
            .value=${values[name]}
            @input=${form.onInput}
          ></textarea>`
        : html`<input
            id="field-${name}"
            name=${name}
            type=${options.type ?? 'text'}
            autocomplete=${options.autocomplete ?? 'off'}
            ?required=${options.required ?? false}
            aria-invalid=${error ? 'true' : 'false'}
            aria-describedby=${describedBy || nothing}
            .value=${values[name]}
            @input=${form.onInput}
          />`}
      ${error ? html`<p part="field-error" class="field-error" id="error-${name}">${errorText(error)}</p>` : nothing}
    </div>`;
  };
  const rightError = errors.right;
  return html`<form part="request-form" novalidate aria-labelledby="form-title" @submit=${form.onSubmit}>
    ${heading(level, msg('Your request', { id: 'form.title' }), { id: 'form-title' })}
    <p class="hint">${msg('Fields marked with * are required.', { id: 'form.required-note' })}</p>
    ${Object.keys(errors).length
      ? html`<p part="form-error" class="form-error" role="alert">${msg('Check the fields marked below.', { id: 'form.error.summary' })}</p>`
      : nothing}
    <div class="field">
      <label for="field-right">${msg('Which right do you want to use?', { id: 'form.right' })}<span class="required" aria-hidden="true"> *</span></label>
      <select
        id="field-right"
        name="right"
        required
        aria-invalid=${rightError ? 'true' : 'false'}
        aria-describedby=${rightError ? 'error-right' : nothing}
        @change=${form.onInput}
      >
        <option value="" ?selected=${!values.right}>${msg('Choose a right', { id: 'form.right.choose' })}</option>
        ${requestableRights(view).map(
          (right) => html`<option value=${right} ?selected=${values.right === right}>${rightName(right)} (${articleLabel(ARTICLE_OF_RIGHT[right])})</option>`,
        )}
      </select>
      ${rightError ? html`<p part="field-error" class="field-error" id="error-right">${errorText(rightError)}</p>` : nothing}
    </div>
    ${field('name', msg('Your name', { id: 'form.name' }), { required: true, autocomplete: 'name' })}
    ${field('email', msg('Your e-mail address, for the answer', { id: 'form.email' }), { type: 'email', required: true, autocomplete: 'email' })}
    ${field('customerNumber', msg('Customer number (if you have one)', { id: 'form.customer-number' }))}
    ${postal
      ? html`<fieldset>
          <legend>${msg('Your postal address', { id: 'form.address' })}</legend>
          ${addressRequired ? nothing : html`<p class="hint">${msg('Needed for a letter.', { id: 'form.address-note' })}</p>`}
          ${field('street', msg('Street and number', { id: 'form.street' }), { required: addressRequired, autocomplete: 'street-address' })}
          ${field('postalCode', msg('Postal code', { id: 'form.postal-code' }), { autocomplete: 'postal-code' })}
          ${field('locality', msg('Town or city', { id: 'form.locality' }), { required: addressRequired, autocomplete: 'address-level2' })}
          ${field('country', msg('Country', { id: 'form.country' }), { required: addressRequired, autocomplete: 'country-name' })}
        </fieldset>`
      : nothing}
    ${field('message', msg('Your request in your own words (optional)', { id: 'form.message' }), {
      hint: msg('For a correction: what is wrong, and what is right. For an objection: your reasons, if you want to give them.', {
        id: 'form.message-hint',
      }),
    })}
    <div class="actions">
      ${actions.map((action) => {
        const label =
          action === 'postal'
            ? msg('Prepare the letter', { id: 'form.prepare-letter' })
            : action === 'email'
              ? msg('Prepare the e-mail', { id: 'form.prepare-email' })
              : msg('Send the request', { id: 'form.send-online' });
        return html`<button part="action" class="choice" type="submit" name="action" value=${action} data-action=${action}
          ?disabled=${action === 'online' && form.sending}>${label}</button>`;
      })}
    </div>
  </form>`;
}
