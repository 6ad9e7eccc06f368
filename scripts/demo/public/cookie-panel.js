// The "Cookies of this page" panel: what `document.cookie` holds, kept up to
// date, so a visitor sees the statistics script's cookies appear after
// consent and Akkoord delete them after a refusal or withdrawal. It follows
// the Cookie Store's change events where the browser has them, and looks
// again every second otherwise (and at every consent change).
const list = document.getElementById('cookie-list');
const none = document.getElementById('cookies-none');

let shown;
function refresh() {
  const now = document.cookie;
  if (now === shown) return;
  shown = now;
  const cookies = now
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const at = part.indexOf('=');
      return at < 0 ? { name: '', value: part } : { name: part.slice(0, at), value: part.slice(at + 1) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  list.replaceChildren(
    ...cookies.map(({ name, value }) => {
      const item = document.createElement('li');
      item.dataset.cookie = name;
      const code = document.createElement('code');
      code.textContent = `${name}=${value}`;
      item.append(code);
      return item;
    }),
  );
  none.hidden = cookies.length > 0;
}

if (list && none) {
  refresh();
  document.addEventListener('consent-change', () => setTimeout(refresh));
  if (globalThis.cookieStore) cookieStore.addEventListener('change', refresh);
  else setInterval(refresh, 1000);
}
