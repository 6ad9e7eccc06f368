
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'banner.choose': `Zelf kiezen`,
'banner.close': `Sluiten`,
'banner.controller': `Verantwoordelijk:`,
'banner.full-notice': `Volledige privacyverklaring`,
'banner.gpc': `Uw browser stuurt een Global Privacy Control-signaal. Daarom hebben wij marketing uitgezet. U kunt het nog altijd zelf aanzetten.`,
'banner.representative': `vertegenwoordiger in de EU:`,
'banner.rights': `Uw rechten`,
'banner.settings': `Privacy-instellingen`,
'banner.title': `Uw privacy`,
'consent.accept-all': `Alles accepteren`,
'consent.reject-all': `Alles weigeren`,
'notice.basis.consent': `Met uw toestemming`,
'notice.basis.contract': `Grondslag: een overeenkomst met u`,
'notice.basis.legal-obligation': `Grondslag: een wettelijke verplichting`,
'notice.basis.legitimate-interests': `Grondslag: gerechtvaardigde belangen`,
'notice.basis.public-task': `Grondslag: een taak van algemeen belang`,
'notice.basis.vital-interests': `Grondslag: vitale belangen`,
'notice.controller': `Wie is verantwoordelijk voor uw gegevens`,
'notice.dpo': `Functionaris gegevensbescherming`,
'notice.error.details': `Details voor ontwikkelaars`,
'notice.error.fetch': `De privacyverklaring kon niet worden geladen.`,
'notice.error.hint': `Probeer het later opnieuw of neem contact op met de eigenaar van deze website.`,
'notice.error.invalid': `De privacyverklaring kan niet worden getoond, omdat er fouten in staan.`,
'notice.error.retry': `Opnieuw proberen`,
'notice.full': `Volledige privacyverklaring`,
'notice.full-link': `Lees de volledige privacyverklaring`,
'notice.joint-controllers': `Gezamenlijke verwerkingsverantwoordelijken`,
'notice.legitimate-interest': `Nagestreefd belang:`,
'notice.loading': `De privacyverklaring wordt geladen…`,
'notice.notable': `Goed om te weten`,
'notice.purposes': `Waarvoor uw gegevens worden gebruikt`,
'notice.representative': `Vertegenwoordiger in de EU`,
'notice.rights': `Uw rechten`,
'notice.rights-link': `Zo gebruikt u uw rechten`,
'notice.summary': `In het kort`,
'notice.version': `Versie`,
'notice.withdrawal': `Uw toestemming intrekken`,
'prefs.intro': `U kiest per doel. Niets staat aan tot u het zelf aanzet, en u zet het op elk moment weer uit.`,
'prefs.none': `Deze website vraagt geen toestemming: elk doel rust op een andere wettelijke grondslag.`,
'prefs.others': `Zonder keuze: doelen op een andere wettelijke grondslag`,
'prefs.save': `Keuzes opslaan`,
'prefs.saved': `Uw keuzes zijn opgeslagen.`,
'prefs.title': `Uw keuzes`,
    };
  