// The demo's statistics script, standing in for Google Analytics. The page
// holds it as
//   <script type="text/plain" data-consent="analytics" src="/demo/analytics.js">
// and Akkoord runs it only once the visitor has granted "analytics". Then it
// does what Google's tag does with analytics_storage granted: it sets its two
// cookies, _ga (a visitor id) and _ga_<measurement id> (the visit), on the
// highest domain that accepts them (www.duinweg.localhost and
// account.duinweg.localhost share duinweg.localhost), for 13 months as the
// notice declares. It sends nothing anywhere. Akkoord deletes both cookies
// when the visitor refuses or withdraws "analytics".
{
  const MAX_AGE = 13 * 30 * 24 * 60 * 60;
  const now = Math.floor(Date.now() / 1000);
  const has = (name) => document.cookie.split(';').some((part) => part.trim().startsWith(`${name}=`));

  /** Like Google's tag's cookie_domain "auto": from the shortest parent domain down, the first one the browser accepts. */
  function setOnTopDomain(name, value) {
    const labels = location.hostname.split('.');
    for (let i = labels.length - 1; i >= 0; i--) {
      const domain = labels.slice(i).join('.');
      document.cookie = `${name}=${value}; domain=${domain}; path=/; max-age=${MAX_AGE}; samesite=lax`;
      if (has(name)) return;
    }
    document.cookie = `${name}=${value}; path=/; max-age=${MAX_AGE}; samesite=lax`;
  }

  if (!has('_ga')) setOnTopDomain('_ga', `GA1.1.${Math.floor(Math.random() * 2 ** 31)}.${now}`);
  setOnTopDomain('_ga_DW3M0S1TE', `GS1.1.${now}.1.0.${now}.0.0.0`);

  const status = document.getElementById('marketing-status');
  if (status) {
    let texts = {};
    try {
      texts = JSON.parse(document.getElementById('demo-texts')?.textContent ?? '{}').texts ?? {};
    } catch {
      // The badge still changes, in English.
    }
    status.dataset.t = 'marketing.ran';
    status.textContent = texts[document.documentElement.lang]?.['marketing.ran'] ?? 'Statistics script ran';
    status.classList.add('ran');
  }
}
