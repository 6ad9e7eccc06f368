// The demo's stand-in for Google's tag: what Google Consent Mode told the
// tags on this page, shown in the "Consent Mode" panel. A classic script
// right after /akkoord/consent-mode.min.js in <head>, so it runs before
// anything else: like Google's own tag, it reads the commands already on
// `dataLayer` (the adapter's `default`) and then every later one (an
// `update` per decision) as it is pushed. It loads nothing and sends
// nothing: no Google code runs on the demo and nothing leaves the computer.
(() => {
  const layer = (window.dataLayer ??= []);
  /** Every command so far, oldest first: `[command, action, params]` as gtag() pushed it, and when. */
  const told = [];
  let list;

  function show(entry) {
    if (!list) return;
    const [command, action, params, at] = entry;
    const item = document.createElement('li');
    item.dataset.command = String(command);
    item.dataset.action = String(action);
    const title = document.createElement('strong');
    // "consent default" and "consent update" are what Google's documentation calls them; "set …" for the rest.
    title.textContent = command === 'consent' ? String(action) : `${command} ${action}`;
    const time = document.createElement('span');
    time.className = 'time';
    time.textContent = ` ${at}`;
    item.append(title, time);
    if (params && typeof params === 'object') {
      const values = document.createElement('ul');
      for (const [name, value] of Object.entries(params)) {
        const line = document.createElement('li');
        line.dataset.signal = name;
        line.dataset.value = String(value);
        const code = document.createElement('code');
        code.textContent = `${name}: ${Array.isArray(value) ? value.join(' ') : value}`;
        line.append(code);
        values.append(line);
      }
      item.append(values);
    } else if (params !== undefined) {
      item.append(` ${JSON.stringify(params)}`);
    }
    list.append(item);
    const empty = document.getElementById('consent-mode-empty');
    if (empty) empty.hidden = true;
  }

  const clock = () => new Date().toLocaleTimeString('nl-NL', { hour12: false });

  function record(command) {
    // gtag() pushes its `arguments`; anything else on dataLayer (a plain object) is not a command.
    if (!command || typeof command !== 'object' || Array.isArray(command) || typeof command.length !== 'number') return;
    const entry = [...Array.from(command).slice(0, 3), clock()];
    told.push(entry);
    show(entry);
  }

  for (const command of layer) record(command);
  const push = layer.push;
  layer.push = function (...commands) {
    for (const command of commands) record(command);
    return push.apply(this, commands);
  };

  document.addEventListener('DOMContentLoaded', () => {
    list = document.getElementById('consent-mode-log');
    if (!list) return;
    for (const entry of told) show(entry);
  });
})();
