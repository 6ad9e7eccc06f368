// Headless: the consent controller from @akkoord/core, the registrar's own UI.
import { activateGatedScripts, getConsentController } from '@akkoord/core/consent';

const firstLayer = await (await fetch('/akkoord/notices/gmo-registry/first-layer.en.json')).json();
const consent = getConsentController({ notice: firstLayer });
activateGatedScripts(consent); // <script type="text/plain" data-consent="…"> runs once granted
await consent.ready;

const banner = document.getElementById('my-banner');
banner.hidden = !consent.needsDecision;
document.getElementById('yes').addEventListener('click', async () => {
  await consent.grant('marketing', { source: 'user' }); // the other consent purposes are denied
  banner.hidden = true;
});
document.getElementById('no').addEventListener('click', async () => {
  await consent.rejectAll({ source: 'user' });
  banner.hidden = true;
});
