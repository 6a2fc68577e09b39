// appwright preview instrumentation, injected by the preview gateway into HTML pages.
// Reports console output, errors, dev-server overlays, network requests and navigation
// to the workspace (the parent frame) with postMessage, addressed to the platform origin
// only, and accepts commands only from that origin.
(function () {
  "use strict";
  if (window.__appwrightPreview) return; // one instance even if injected twice
  var PLATFORM_ORIGIN = __PLATFORM_ORIGIN__;
  var SOURCE = "appwright-preview";
  var parentWindow = window.parent !== window ? window.parent : window.opener;
  window.__appwrightPreview = { version: 1 };
  if (!parentWindow) return;

  function serialise(value, depth) {
    depth = depth || 0;
    try {
      if (value instanceof Error) {
        return { __type: "Error", name: value.name, message: value.message, stack: String(value.stack || "") };
      }
      if (value === undefined) return "undefined";
      if (typeof value === "function") return "[Function " + (value.name || "anonymous") + "]";
      if (typeof value === "symbol" || typeof value === "bigint") return String(value);
      if (typeof Element !== "undefined" && value instanceof Element) {
        return "<" + value.tagName.toLowerCase() + (value.id ? "#" + value.id : "") + ">";
      }
      if (value === null || typeof value !== "object") return value;
      if (depth > 3) return "[Object]";
      if (Array.isArray(value)) return value.slice(0, 50).map(function (v) { return serialise(v, depth + 1); });
      var out = {};
      var keys = Object.keys(value).slice(0, 50);
      for (var i = 0; i < keys.length; i++) out[keys[i]] = serialise(value[keys[i]], depth + 1);
      return out;
    } catch (e) {
      return "[Unserialisable]";
    }
  }

  function post(type, data) {
    var message = { source: SOURCE, type: type, url: location.href, time: Date.now() };
    for (var key in data) message[key] = data[key];
    try {
      parentWindow.postMessage(message, PLATFORM_ORIGIN);
    } catch (e) {
      // An unclonable value slipped through: send it as text rather than lose it.
      try { parentWindow.postMessage(JSON.parse(JSON.stringify(message)), PLATFORM_ORIGIN); } catch (e2) { /* give up */ }
    }
  }

  // Console
  ["log", "info", "warn", "error", "debug"].forEach(function (level) {
    var original = console[level];
    console[level] = function () {
      var args = Array.prototype.slice.call(arguments);
      post("console", { level: level, args: args.map(function (a) { return serialise(a); }) });
      return original.apply(console, arguments);
    };
  });

  // Uncaught errors and unhandled rejections
  window.addEventListener("error", function (event) {
    if (event.target && event.target !== window && event.target.tagName) {
      var el = event.target;
      post("resource-error", { tag: el.tagName.toLowerCase(), src: el.src || el.href || "" });
      return;
    }
    post("error", {
      message: String(event.message || (event.error && event.error.message) || "Unknown error"),
      filename: event.filename || "",
      lineno: event.lineno || 0,
      colno: event.colno || 0,
      stack: event.error && event.error.stack ? String(event.error.stack) : "",
    });
  }, true);
  window.addEventListener("unhandledrejection", function (event) {
    var reason = event.reason;
    post("unhandledrejection", {
      message: reason && reason.message ? String(reason.message) : String(reason),
      stack: reason && reason.stack ? String(reason.stack) : "",
    });
  });

  // Dev-server error overlays (Next.js portal, Vite overlay): report their text once each.
  var reportedOverlays = typeof WeakSet !== "undefined" ? new WeakSet() : null;
  function overlayText(el) {
    var root = el.shadowRoot || el;
    return (root.textContent || "").replace(/\s+/g, " ").trim().slice(0, 5000);
  }
  function checkOverlays() {
    var found = document.querySelectorAll("nextjs-portal, vite-error-overlay");
    for (var i = 0; i < found.length; i++) {
      var el = found[i];
      if (reportedOverlays && reportedOverlays.has(el)) continue;
      var text = overlayText(el);
      if (!text) continue;
      if (reportedOverlays) reportedOverlays.add(el);
      post("overlay", { kind: el.tagName.toLowerCase() === "vite-error-overlay" ? "vite" : "nextjs", text: text });
    }
  }
  var overlayTimer = 0;
  new MutationObserver(function () {
    // Overlays fill their shadow DOM after insertion: read them a moment later.
    clearTimeout(overlayTimer);
    overlayTimer = setTimeout(checkOverlays, 300);
  }).observe(document.documentElement, { childList: true, subtree: true });

  // Network: fetch and XMLHttpRequest
  function absolute(url) {
    try { return new URL(url, location.href).href; } catch (e) { return String(url); }
  }
  var ignoredPaths = /\/(__appwright|_next\/webpack-hmr|__livereload|@vite\/client)/;
  if (window.fetch) {
    var originalFetch = window.fetch;
    window.fetch = function (input, init) {
      var started = performance.now();
      var method = (init && init.method) || (input && input.method) || "GET";
      var url = absolute(typeof input === "string" || input instanceof URL ? String(input) : input.url);
      var report = !ignoredPaths.test(url);
      return originalFetch.apply(this, arguments).then(function (response) {
        if (report) post("network", { kind: "fetch", method: method.toUpperCase(), requestUrl: url, status: response.status, ok: response.ok, duration: Math.round(performance.now() - started) });
        return response;
      }, function (error) {
        if (report) post("network", { kind: "fetch", method: method.toUpperCase(), requestUrl: url, status: 0, ok: false, error: String(error && error.message || error), duration: Math.round(performance.now() - started) });
        throw error;
      });
    };
  }
  var xhrOpen = XMLHttpRequest.prototype.open;
  var xhrSend = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.__appwright = { method: String(method).toUpperCase(), url: absolute(url) };
    return xhrOpen.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var xhr = this;
    var info = xhr.__appwright;
    if (info && !ignoredPaths.test(info.url)) {
      var started = performance.now();
      xhr.addEventListener("loadend", function () {
        post("network", { kind: "xhr", method: info.method, requestUrl: info.url, status: xhr.status, ok: xhr.status >= 200 && xhr.status < 400, duration: Math.round(performance.now() - started) });
      });
    }
    return xhrSend.apply(this, arguments);
  };

  // Navigation
  function navigated(how) { post("navigation", { how: how, title: document.title }); }
  ["pushState", "replaceState"].forEach(function (name) {
    var original = history[name];
    history[name] = function () {
      var result = original.apply(this, arguments);
      navigated(name);
      return result;
    };
  });
  window.addEventListener("popstate", function () { navigated("popstate"); });
  window.addEventListener("hashchange", function () { navigated("hashchange"); });

  // Commands from the workspace, accepted only from the platform origin and the parent.
  window.addEventListener("message", function (event) {
    if (event.origin !== PLATFORM_ORIGIN || event.source !== parentWindow) return;
    var command = event.data || {};
    if (command.source !== "appwright-workspace") return;
    if (command.type === "reload") location.reload();
    else if (command.type === "navigate" && typeof command.path === "string" && command.path.charAt(0) === "/") location.assign(command.path);
    else if (command.type === "back") history.back();
    else if (command.type === "forward") history.forward();
    else if (command.type === "ping") post("pong", {});
  });

  post("ready", { title: document.title });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { navigated("load"); checkOverlays(); });
  } else {
    navigated("load");
  }
})();
