// A React 19 app: the banner through @akkoord/elements/react.js, its
// consent-change event as a typed prop that updates React state.
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { ConsentBanner } from '@akkoord/elements/react.js';

function App() {
  const [marketing, setMarketing] = useState('not decided');
  return (
    <main>
      <h1>Registrar</h1>
      <p id="status">marketing: {marketing}</p>
      <ConsentBanner
        notice="/akkoord/notices/gmo-registry/manifest.json"
        privacyHref="/privacy"
        onConsentChange={(event) => setMarketing(event.decisions.marketing ?? 'not decided')}
      />
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
