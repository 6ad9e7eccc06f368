
    // Do not modify this file by hand!
    // Re-generate this file by running lit-localize

    
    

    /* eslint-disable no-irregular-whitespace */
    /* eslint-disable @typescript-eslint/no-explicit-any */

    export const templates = {
      'notice.dpo': `Functionaris voor gegevensbescherming (DPO)`,
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
'notice.basis.consent': `With your consent`,
'notice.basis.contract': `Legal basis: a contract with you`,
'notice.basis.legal-obligation': `Legal basis: a legal obligation`,
'notice.basis.vital-interests': `Legal basis: vital interests`,
'notice.basis.public-task': `Legal basis: a task in the public interest`,
'notice.basis.legitimate-interests': `Legal basis: legitimate interests`,
    };
  