/* The audit answer page: an answer or comment typed just before leaving is not lost.
 *
 * htmx saves an item on change (a comment changes on blur), after a short delay. When the
 * page is hidden or left before that request went out, every form touched since its last
 * save is sent once more with fetch keepalive (sendBeacon as a fallback), carrying its CSRF
 * token in the body and background=1, so the server stores it and leaves no message behind.
 * A form that htmx has saved is replaced by the server's copy, which is no longer "dirty".
 */
(function () {
  "use strict";

  var DIRTY = "cxDirty";

  function itemForm(target) {
    return target && target.closest ? target.closest("form.cx-item-form[action]") : null;
  }

  function markDirty(event) {
    var form = itemForm(event.target);
    if (form) {
      form.dataset[DIRTY] = "1";
    }
  }

  function send(form) {
    var data = new FormData(form);
    data.delete("file");
    data.set("background", "1");
    var token = data.get("csrfmiddlewaretoken") || "";
    try {
      fetch(form.action, {
        method: "POST",
        body: data,
        keepalive: true,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token },
      });
    } catch (error) {
      if (navigator.sendBeacon) {
        navigator.sendBeacon(form.action, data);
      }
    }
  }

  function flush() {
    var forms = document.querySelectorAll("form.cx-item-form[action]");
    for (var i = 0; i < forms.length; i += 1) {
      if (forms[i].dataset[DIRTY] === "1") {
        delete forms[i].dataset[DIRTY];
        send(forms[i]);
      }
    }
  }

  document.addEventListener("input", markDirty, true);
  document.addEventListener("change", markDirty, true);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      flush();
    }
  });
  window.addEventListener("pagehide", flush);
})();
