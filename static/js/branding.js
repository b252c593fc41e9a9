/* The branding page: the cover preview follows the colour and text fields as they change.
 * The text colour on the main colour is picked as the server picks it (WCAG contrast), so
 * the preview shows what the report will. Nothing is sent anywhere.
 */
(function () {
  "use strict";

  var preview = document.getElementById("brand-preview");
  if (!preview) {
    return;
  }

  function channel(value) {
    var c = value / 255;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }

  function luminance(hex) {
    var r = parseInt(hex.slice(1, 3), 16);
    var g = parseInt(hex.slice(3, 5), 16);
    var b = parseInt(hex.slice(5, 7), 16);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  }

  function contrast(a, b) {
    var x = Math.max(a, b);
    var y = Math.min(a, b);
    return (x + 0.05) / (y + 0.05);
  }

  function textOn(hex) {
    var l = luminance(hex);
    return contrast(l, 1) >= contrast(l, luminance("#1f2933")) ? "#ffffff" : "#1f2933";
  }

  function valid(hex) {
    return /^#[0-9a-fA-F]{6}$/.test(hex);
  }

  function update() {
    document.querySelectorAll("[data-brand-var]").forEach(function (input) {
      if (!valid(input.value)) {
        return;
      }
      preview.style.setProperty("--brand-" + input.dataset.brandVar, input.value);
      if (input.dataset.brandVar === "primary") {
        preview.style.setProperty("--brand-on-primary", textOn(input.value));
      }
    });
    document.querySelectorAll("[data-brand-preview]").forEach(function (target) {
      var input = document.querySelector("[name='" + target.dataset.brandPreview + "']");
      if (input) {
        target.textContent = input.value.trim() || target.dataset.default || "";
      }
    });
  }

  document.querySelectorAll("[data-brand-var], [name='display_name'], [name='contact_line']")
    .forEach(function (input) {
      input.addEventListener("input", update);
    });
  update();
})();
