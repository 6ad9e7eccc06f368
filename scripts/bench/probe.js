// Injected into every benchmark page before its own scripts run (Playwright addInitScript), the same
// for every system. It records, on the page's own clock (performance.now(), 0 = navigation start):
//   visibleAt     the first animation frame in which the system's *accept all* button is in the page
//                 (through open shadow roots), laid out with a non-empty box inside the viewport, and
//                 not hidden (display, visibility, or opacity 0 on it or an ancestor:
//                 Element.checkVisibility). A frame's callbacks run just before it is painted, so this
//                 is when the banner is first painted, to a frame (60 frames a second).
//   longTasks     PerformanceObserver 'longtask' entries: [startTime, duration].
//   clickAt       when the trusted *accept all* click reached the window (capture phase, before the
//                 system's own handlers).
//   persistedAt   when the choice was first seen stored: checked right after every document.cookie
//                 write and localStorage.setItem call, on every frame and every 4 ms after the click,
//                 and, for Akkoord, on its consent-change event (dispatched after the IndexedDB
//                 transaction has completed).
// Nothing else: the page sees no change, except that the document.cookie setter and
// Storage.prototype.setItem are wrapped (they call through, then check).
(function (cfg, persisted) {
  'use strict';
  var now = function () { return performance.now(); };
  var B = (window.__bench = {
    system: cfg.system,
    visibleAt: null,
    frames: 0,
    clickAt: null,
    persistedAt: null,
    persistedBy: null,
    longTasks: [],
    errors: [],
  });
  window.addEventListener('error', function (e) { B.errors.push(String(e.message || e)); });
  window.addEventListener('unhandledrejection', function (e) { B.errors.push('unhandled rejection: ' + String(e.reason && e.reason.message || e.reason)); });
  try {
    new PerformanceObserver(function (list) {
      list.getEntries().forEach(function (e) { B.longTasks.push([e.startTime, e.duration]); });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) {
    B.errors.push('longtask observer: ' + e);
  }

  /** The accept button: a selector per shadow root, outermost first. */
  function acceptButton() {
    var root = document;
    var el = null;
    for (var i = 0; i < cfg.accept.length; i++) {
      el = root && root.querySelector(cfg.accept[i]);
      if (!el) return null;
      root = el.shadowRoot;
    }
    return el;
  }
  function shown(el) {
    if (!el || !el.isConnected) return false;
    var r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    if (r.bottom <= 0 || r.right <= 0 || r.top >= innerHeight || r.left >= innerWidth) return false;
    return el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
  }

  /** Where to click: the middle of the accept button, in viewport coordinates. */
  B.acceptPoint = function () {
    var el = acceptButton();
    if (!el) return null;
    var r = el.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  };

  var resolveVisible;
  B.visible = new Promise(function (resolve) { resolveVisible = resolve; });
  // Checked in animation-frame callbacks only: they run right before the browser's own style, layout
  // and paint for that frame, so the check forces no extra layout (a MutationObserver would force
  // one after every DOM change, and change what is measured).
  function frame() {
    B.frames++;
    if (shown(acceptButton())) {
      B.visibleAt = now();
      resolveVisible(B.visibleAt);
      return;
    }
    requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);

  // Profile runs only (cfg.storageLog): when the page opens IndexedDB, runs its transactions and
  // asks WebCrypto for keys, to see what stands between the data arriving and the banner.
  if (cfg.storageLog) {
    B.storage = [];
    var log = function (what, started) {
      var entry = { what: what, start: started, end: null };
      B.storage.push(entry);
      return function () { entry.end = now(); };
    };
    var open = IDBFactory.prototype.open;
    IDBFactory.prototype.open = function (name) {
      var request = open.apply(this, arguments);
      var done = log('indexedDB.open ' + name, now());
      request.addEventListener('success', done);
      request.addEventListener('error', done);
      return request;
    };
    var transaction = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (stores, mode) {
      var tx = transaction.apply(this, arguments);
      var done = log('transaction ' + (mode || 'readonly') + ' ' + [].concat(stores).join(','), now());
      tx.addEventListener('complete', done);
      tx.addEventListener('abort', done);
      tx.addEventListener('error', done);
      return tx;
    };
    ['generateKey', 'importKey', 'sign', 'verify', 'digest'].forEach(function (method) {
      var original = SubtleCrypto.prototype[method];
      SubtleCrypto.prototype[method] = function () {
        var done = log('crypto.subtle.' + method, now());
        return original.apply(this, arguments).then(function (result) { done(); return result; });
      };
    });
  }

  // Persistence.
  var resolvePersisted;
  B.persisted = new Promise(function (resolve) { resolvePersisted = resolve; });
  function stored(by) {
    if (B.clickAt === null || B.persistedAt !== null) return;
    var ok = false;
    try { ok = persisted(); } catch (e) { ok = false; }
    if (!ok) return;
    B.persistedAt = now();
    B.persistedBy = by;
    resolvePersisted({ clickAt: B.clickAt, persistedAt: B.persistedAt, by: by });
  }
  var cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  Object.defineProperty(Document.prototype, 'cookie', {
    configurable: true,
    enumerable: cookie.enumerable,
    get: cookie.get,
    set: function (value) {
      cookie.set.call(this, value);
      stored('cookie write');
    },
  });
  var setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function () {
    var result = setItem.apply(this, arguments);
    stored('localStorage write');
    return result;
  };
  if (cfg.event) {
    document.addEventListener(cfg.event, function (e) {
      if (B.clickAt === null || B.persistedAt !== null) return;
      B.lastEvent = { type: e.type, source: e.source, method: e.method, decisions: e.decisions };
      if (e.source !== 'user') return;
      B.persistedAt = now();
      B.persistedBy = cfg.event + ' event';
      resolvePersisted({ clickAt: B.clickAt, persistedAt: B.persistedAt, by: B.persistedBy });
    }, true);
  }
  window.addEventListener('click', function (e) {
    if (!e.isTrusted || B.clickAt !== null) return;
    B.clickAt = now();
    var poll = function () {
      stored('poll');
      if (B.persistedAt === null && now() - B.clickAt < 10000) setTimeout(poll, 4);
    };
    var pollFrame = function () {
      stored('poll');
      if (B.persistedAt === null && now() - B.clickAt < 10000) requestAnimationFrame(pollFrame);
    };
    setTimeout(poll, 0);
    requestAnimationFrame(pollFrame);
  }, true);
})
