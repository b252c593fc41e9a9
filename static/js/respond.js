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
