// Osano cookieconsent 3.1 as its download wizard writes it: initialise() on window load, an opt-in
// banner ("allow" and "deny"). It has one message and no purposes: the three consent purposes of the
// GMO Registry notice are named in that message, in Dutch.
window.addEventListener('load', function () {
  window.cookieconsent.initialise({
    type: 'opt-in',
    position: 'bottom',
    palette: { popup: { background: '#ffffff', text: '#1f2328' }, button: { background: '#0550ae', text: '#ffffff' } },
    content: {
      header: 'Uw privacy',
      message:
        'GMO Registry, Inc. in Tokio is een registry voor internetdomeinnamen. We gebruiken uw persoonsgegevens om onze diensten te leveren. ' +
        'Met uw toestemming sturen we u ook nieuws en aanbiedingen per e-mail, aankondigingen van seminars en aankondigingen van nieuwe functies. ' +
        'U kunt uw toestemming op elk moment intrekken.',
      allow: 'Alles accepteren',
      deny: 'Alles weigeren',
      link: 'Privacyverklaring',
      href: '/privacy',
      policy: 'Privacy-instellingen',
    },
  });
});
