/* The public survey form: Back, then Send again, is counted once.
 *
 * The server stores one response per submission token. A page left with Back is fetched
 * anew (it is never cached) with a fresh token, so the token this tab sent is kept in
 * sessionStorage (this tab only, never sent anywhere else) and put back into the form
 * when the page is reached through the history. The server then recognises the form and
 * answers "already received". Opening the link anew gets a fresh token, so the next
 * person on a shared device can answer. A page restored from the back-forward cache
 * still holds the token it sent.
 */
(function () {
  "use strict";

  var input = document.querySelector("form input[name='submission_token']");
  if (!input || !input.form) {
    return;
  }
  var key = "cx-submission:" + window.location.pathname;
  var navigation = performance.getEntriesByType
    ? performance.getEntriesByType("navigation")[0]
    : null;

  try {
    if (navigation && navigation.type === "back_forward") {
      var sent = window.sessionStorage.getItem(key);
      if (sent) {
        input.value = sent;
      }
    } else {
      window.sessionStorage.removeItem(key);
    }
  } catch (error) {
    /* storage unavailable: the server still refuses a token sent twice */
  }

  input.form.addEventListener("submit", function () {
    try {
      window.sessionStorage.setItem(key, input.value);
    } catch (error) {
      /* as above */
    }
  });
})();

/* Own questions shown only after an answer (conditions), and one question per screen on
 * phones when the survey asks for it.
 *
 * Each question sits in a ".survey-step" block with data-key (its key: the built-in field
 * name, or the own question's key). An own question's block may wait for the answer to an
 * earlier question: data-condition-on (that key) and data-condition-values (a JSON list of
 * the values, as strings). Until one is given the block is hidden and its inputs disabled,
 * so nothing of it is sent; the server drops such answers anyway. Without JavaScript every
 * question shows.
 */
(function () {
  "use strict";

  var form = document.getElementById("survey-form");
  if (!form) {
    return;
  }
  var steps = Array.prototype.slice.call(form.querySelectorAll(".survey-step"));
  var byKey = {};
  steps.forEach(function (step) {
    byKey[step.getAttribute("data-key")] = step;
  });

  function values(step) {
    if (!step || step.hidden) {
      return [];
    }
    var found = [];
    step.querySelectorAll("input, select, textarea").forEach(function (input) {
      if (input.disabled || input.type === "hidden") {
        return;
      }
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) {
          found.push(input.value);
        }
      } else if (input.value.trim() !== "") {
        found.push(input.value.trim());
      }
    });
    return found;
  }

  function show(step, shown) {
    step.hidden = !shown;
    step.setAttribute("aria-hidden", shown ? "false" : "true");
    step.querySelectorAll("input, select, textarea").forEach(function (input) {
      input.disabled = !shown;
    });
  }

  function applyConditions() {
    /* In page order, so a question waiting for a hidden one is hidden too. */
    steps.forEach(function (step) {
      var on = step.getAttribute("data-condition-on");
      if (!on) {
        return;
      }
      var wanted = [];
      try {
        wanted = JSON.parse(step.getAttribute("data-condition-values") || "[]");
      } catch (error) {
        wanted = [];
      }
      var given = values(byKey[on]);
      show(
        step,
        given.some(function (value) {
          return wanted.indexOf(value) !== -1;
        })
      );
    });
  }

  /* ------------------------------------------------------------- one per screen */

  var card = document.getElementById("survey-card");
  var paged = form.hasAttribute("data-one-per-screen") && window.matchMedia && card;
  var narrow = paged ? window.matchMedia("(max-width: 576px)") : null;
  var send = form.querySelector("[type=submit]");
  var nav = null;
  var current = 0;

  function visibleSteps() {
    return steps.filter(function (step) {
      return !step.hidden;
    });
  }

  function buildNav() {
    nav = document.createElement("div");
    nav.className = "survey-nav d-flex align-items-center gap-2 mt-2";
    var back = document.createElement("button");
    back.type = "button";
    back.className = "btn btn-outline-secondary btn-lg survey-back";
    back.textContent = card.getAttribute("data-back");
    var progress = document.createElement("p");
    progress.className = "survey-progress flex-grow-1 text-center text-muted mb-0";
    progress.setAttribute("aria-live", "polite");
    var next = document.createElement("button");
    next.type = "button";
    next.className = "btn btn-primary btn-lg survey-next";
    next.textContent = card.getAttribute("data-next");
    back.addEventListener("click", function () {
      go(-1);
    });
    next.addEventListener("click", function () {
      go(1);
    });
    nav.appendChild(back);
    nav.appendChild(progress);
    nav.appendChild(next);
    form.appendChild(nav);
  }

  function render(focus) {
    var shown = visibleSteps();
    if (current >= shown.length) {
      current = shown.length - 1;
    }
    if (current < 0) {
      current = 0;
    }
    steps.forEach(function (step) {
      step.classList.toggle("d-none", step !== shown[current]);
    });
    var last = current === shown.length - 1;
    nav.querySelector(".survey-back").disabled = current === 0;
    nav.querySelector(".survey-next").classList.toggle("d-none", last);
    if (send) {
      send.classList.toggle("d-none", !last);
    }
    nav.querySelector(".survey-progress").textContent = card
      .getAttribute("data-progress")
      .replace("{n}", String(current + 1))
      .replace("{total}", String(shown.length));
    if (focus && shown[current]) {
      var target = shown[current].querySelector("legend, label");
      if (target) {
        target.setAttribute("tabindex", "-1");
        target.focus();
      }
    }
  }

  function go(delta) {
    current += delta;
    render(true);
  }

  function layout() {
    if (narrow && narrow.matches) {
      if (!nav) {
        buildNav();
        /* Back from the server with errors: start at the first question refused. */
        var shown = visibleSteps();
        var refused = shown.findIndex(function (step) {
          return step.querySelector(".is-invalid, .invalid-feedback");
        });
        current = refused === -1 ? 0 : refused;
      }
      nav.classList.remove("d-none");
      render(false);
    } else if (nav) {
      nav.classList.add("d-none");
      steps.forEach(function (step) {
        step.classList.remove("d-none");
      });
      if (send) {
        send.classList.remove("d-none");
      }
    }
  }

  applyConditions();
  form.addEventListener("change", function () {
    applyConditions();
    if (nav && narrow.matches) {
      render(false);
    }
  });
  form.addEventListener("input", function () {
    applyConditions();
  });
  if (narrow) {
    layout();
    if (narrow.addEventListener) {
      narrow.addEventListener("change", layout);
    }
  }
})();
