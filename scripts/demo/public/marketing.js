// The demo's marketing script. The page holds it as
//   <script type="text/plain" data-consent="marketing" src="/demo/marketing.js">
// and Akkoord runs it only once the visitor has granted "marketing": then it
// turns the badge at the top of the page into "Marketing script ran".
{
  const status = document.getElementById('marketing-status');
  if (status) {
    let texts = {};
    try {
      texts = JSON.parse(document.getElementById('demo-texts')?.textContent ?? '{}').texts ?? {};
    } catch {
      // The badge still changes, in English.
    }
    status.dataset.t = 'marketing.ran';
    status.textContent = texts[document.documentElement.lang]?.['marketing.ran'] ?? 'Marketing script ran';
    status.classList.add('ran');
  }
}
