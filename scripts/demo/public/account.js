// The account page's sign-in, as far as the receiver is concerned. The
// demo's receiver runs with --demo-auth, which admits
// "Authorization: Bearer demo:<subject>" for that subject's records: the
// banner and the preferences read the customer's consent with it (so a
// second browser shows the same choices), the history reads the receiver's
// copy of the receipts with it, and the rights
// would send online requests with it (neither launch notice declares an
// online channel yet). A real site returns its own session's
// token here. (An external script: the pages' CSP allows no inline script.)
// Lit keeps a property set before the element is defined, so this may run
// before the elements' code has loaded.
for (const element of document.querySelectorAll('[subject]:is(consent-banner, consent-preferences, consent-history, privacy-rights)')) {
  const subject = element.getAttribute('subject');
  element.credentials = () => ({ authorization: `Bearer demo:${subject}` });
}
