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

  // Dev-server error overlays: Vite's <vite-error-overlay>, and the error dialogs inside
  // Next.js's <nextjs-portal> (which is always there in development: it also holds the dev
  // tools button, so the portal itself is not an error). Each is reported once, with the
  // text a person sees (the shadow root's <style> rules are not part of it).
  var reportedOverlays = typeof WeakSet !== "undefined" ? new WeakSet() : null;
  var observedRoots = typeof WeakSet !== "undefined" ? new WeakSet() : null;
  var hiddenTags = { STYLE: true, SCRIPT: true, TEMPLATE: true, NOSCRIPT: true };
  function visibleText(node) {
    if (node.nodeType === 3) return node.nodeValue || "";
    if (node.nodeType !== 1 && node.nodeType !== 11) return "";
    if (node.nodeType === 1 && hiddenTags[node.tagName]) return "";
    var out = "";
    for (var child = node.firstChild; child; child = child.nextSibling) out += " " + visibleText(child);
    return out;
  }
  function errorOverlays() {
    var found = [];
    var vite = document.querySelectorAll("vite-error-overlay");
    for (var i = 0; i < vite.length; i++) found.push({ kind: "vite", el: vite[i], root: vite[i].shadowRoot || vite[i] });
    var portals = document.querySelectorAll("nextjs-portal");
    for (var j = 0; j < portals.length; j++) {
      var shadow = portals[j].shadowRoot;
      if (!shadow) continue;
      if (observedRoots && !observedRoots.has(shadow)) {
        observedRoots.add(shadow);
        overlayObserver.observe(shadow, { childList: true, subtree: true });
      }
      var dialogs = shadow.querySelectorAll("[data-nextjs-dialog]");
      for (var k = 0; k < dialogs.length; k++) found.push({ kind: "nextjs", el: dialogs[k], root: dialogs[k] });
    }
    return found;
  }
  function checkOverlays() {
    var found = errorOverlays();
    for (var i = 0; i < found.length; i++) {
      if (reportedOverlays && reportedOverlays.has(found[i].el)) continue;
      var text = visibleText(found[i].root).replace(/\s+/g, " ").trim().slice(0, 5000);
      if (!text) continue;
      if (reportedOverlays) reportedOverlays.add(found[i].el);
      post("overlay", { kind: found[i].kind, text: text });
    }
  }
  var overlayTimer = 0;
  var overlayObserver = new MutationObserver(function () {
    // Overlays fill their shadow DOM after insertion: read them a moment later.
    clearTimeout(overlayTimer);
    overlayTimer = setTimeout(checkOverlays, 300);
  });
  overlayObserver.observe(document.documentElement, { childList: true, subtree: true });

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

  // Screenshot: the page draws itself. The document is cloned with every element's computed
  // style inlined, serialised as XHTML in an SVG <foreignObject> the size of the viewport,
  // loaded as a data: URL image (which Chromium does not count as cross-origin) and drawn
  // onto a canvas. An SVG image loads nothing external: same-origin images and canvases are
  // inlined as data: URLs; cross-origin ones are left blank.
  function inlineStyles(from, to) {
    var computed = getComputedStyle(from);
    if (computed.cssText) { to.style.cssText = computed.cssText; return; }
    for (var i = 0; i < computed.length; i++) {
      var name = computed[i];
      to.style.setProperty(name, computed.getPropertyValue(name), computed.getPropertyPriority(name));
    }
  }
  function asDataUrl(source, width, height) {
    try {
      var canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      canvas.getContext("2d").drawImage(source, 0, 0, width, height);
      return canvas.toDataURL("image/png");
    } catch (e) {
      return ""; // a cross-origin image taints the canvas: leave it out
    }
  }
  function screenshot(id) {
    function reply(data) { data.id = id; post("screenshot", data); }
    function fail(error) { reply({ ok: false, error: String(error && error.message || error) }); }
    try {
      var root = document.documentElement;
      var width = root.clientWidth || window.innerWidth;
      var height = window.innerHeight || root.clientHeight;
      var clone = root.cloneNode(true);
      var originals = root.querySelectorAll("*");
      var copies = clone.querySelectorAll("*");
      inlineStyles(root, clone);
      var drop = [];
      for (var i = 0; i < originals.length; i++) {
        var el = originals[i];
        var copy = copies[i];
        var tag = el.tagName.toLowerCase();
        if (tag === "script" || tag === "style" || tag === "noscript" || (tag === "link" && /stylesheet/i.test(el.rel))) {
          drop.push(copy);
          continue;
        }
        inlineStyles(el, copy);
        if (tag === "img" && el.complete && el.naturalWidth) {
          var src = el.currentSrc || el.src;
          if (src.indexOf("data:") !== 0) copy.setAttribute("src", asDataUrl(el, el.naturalWidth, el.naturalHeight));
          copy.removeAttribute("srcset");
        } else if (tag === "canvas") {
          var img = document.createElement("img");
          img.setAttribute("src", asDataUrl(el, el.width, el.height));
          img.style.cssText = copy.style.cssText;
          copy.parentNode.replaceChild(img, copy);
        } else if (tag === "input" && el.type !== "password" && el.type !== "file") {
          if (el.type === "checkbox" || el.type === "radio") { if (el.checked) copy.setAttribute("checked", ""); else copy.removeAttribute("checked"); }
          else copy.setAttribute("value", el.value);
        } else if (tag === "textarea") {
          copy.textContent = el.value;
        }
      }
      for (var j = 0; j < drop.length; j++) if (drop[j].parentNode) drop[j].parentNode.removeChild(drop[j]);
      // Show what the viewport shows: the document shifted by the scroll offset.
      clone.style.width = width + "px";
      clone.style.transform = "translate(" + -window.scrollX + "px," + -window.scrollY + "px)";
      clone.style.transformOrigin = "0 0";
      clone.style.minHeight = height + "px";
      // The body's background paints the whole canvas when the root has none (CSS
      // background propagation), which the clone, not being a document root, would lose.
      var rootStyle = getComputedStyle(root);
      if (document.body && rootStyle.backgroundColor === "rgba(0, 0, 0, 0)" && rootStyle.backgroundImage === "none") {
        var bodyStyle = getComputedStyle(document.body);
        clone.style.backgroundColor = bodyStyle.backgroundColor;
        clone.style.backgroundImage = bodyStyle.backgroundImage;
      }
      var svg = '<svg xmlns="http://www.w3.org/2000/svg" width="' + width + '" height="' + height + '">' +
        '<foreignObject x="0" y="0" width="100%" height="100%">' + new XMLSerializer().serializeToString(clone) +
        "</foreignObject></svg>";
      var image = new Image();
      image.onload = function () {
        try {
          var canvas = document.createElement("canvas");
          canvas.width = width;
          canvas.height = height;
          var context = canvas.getContext("2d");
          context.fillStyle = "#fff";
          context.fillRect(0, 0, width, height);
          context.drawImage(image, 0, 0);
          reply({ ok: true, dataUrl: canvas.toDataURL("image/png"), width: width, height: height });
        } catch (e) {
          fail(e); // e.g. SecurityError: the canvas is tainted
        }
      };
      image.onerror = function () { fail("The page could not be rendered as an image (blocked by its Content-Security-Policy?)"); };
      image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
    } catch (e) {
      fail(e);
    }
  }

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
    else if (command.type === "screenshot" && typeof command.id === "string" && command.id.length <= 100) screenshot(command.id);
  });

  post("ready", { title: document.title });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { navigated("load"); checkOverlays(); });
  } else {
    navigated("load");
  }
})();
