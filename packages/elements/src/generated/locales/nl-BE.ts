
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'banner.gpc': `Uw browser stuurt een Global Privacy Control-signaal. Daarom hebben wij marketing uitgeschakeld. U kan het nog altijd zelf inschakelen.`,
'notice.dpo': `Functionaris voor gegevensbescherming (DPO)`,
'prefs.intro': `U kiest per doel. Niets staat aan tot u het zelf inschakelt, en u kan het op elk moment weer uitschakelen.`,
'notice.basis.consent': `With your consent`,
'notice.basis.contract': `Legal basis: a contract with you`,
'notice.basis.legal-obligation': `Legal basis: a legal obligation`,
'notice.basis.vital-interests': `Legal basis: vital interests`,
'notice.basis.public-task': `Legal basis: a task in the public interest`,
'notice.basis.legitimate-interests': `Legal basis: legitimate interests`,
'prefs.title': `Your choices`,
'prefs.none': `This website asks no consent: every purpose rests on another legal basis.`,
'prefs.others': `Without a choice: purposes on another legal basis`,
'prefs.save': `Save choices`,
'consent.accept-all': `Accept all`,
'consent.reject-all': `Reject all`,
'prefs.saved': `Your choices have been saved.`,
'banner.title': `Your privacy`,
'banner.controller': `Responsible:`,
'banner.representative': `representative in the EU:`,
'banner.rights': `Your rights`,
'banner.full-notice': `Full privacy notice`,
'banner.choose': `Choose`,
'banner.settings': `Privacy settings`,
'banner.close': `Close`,
'notice.loading': `Loading the privacy notice…`,
'notice.summary': `In short`,
'notice.controller': `Who is responsible for your data`,
'notice.representative': `Representative in the EU`,
'notice.joint-controllers': `Joint controllers`,
'notice.purposes': `What your data is used for`,
'notice.legitimate-interest': `Interest pursued:`,
'notice.notable': `Good to know`,
'notice.withdrawal': `Withdrawing your consent`,
'notice.rights': `Your rights`,
'notice.rights-link': `How to use your rights`,
'notice.full-link': `Read the full privacy notice`,
'notice.full': `Full privacy notice`,
'notice.version': `Version`,
'notice.error.fetch': `The privacy notice could not be loaded.`,
'notice.error.invalid': `The privacy notice could not be shown because it contains errors.`,
'notice.error.hint': `Please try again later, or contact the owner of this website.`,
'notice.error.retry': `Try again`,
'notice.error.details': `Details for developers`,
    };
  