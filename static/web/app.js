/* Shared helpers for the pages: CSRF-protected calls to the JSON API with the
 * HttpOnly access cookie (JavaScript never sees a token), renewal of that
 * cookie, and the energy gauge. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  async function api(method, url, body) {
    var options = {
      method: method,
      credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": csrfToken()}
    };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    var response = await fetch(url, options);
    var data = null;
    if (response.status !== 204) {
      data = await response.json().catch(function () { return null; });
    }
    return {ok: response.ok, status: response.status, data: data};
  }

  function refresh() {
    return api("POST", "/api/auth/refresh", {});
  }

  function updateGauge(balance, max, unlimited) {
    document.querySelectorAll("[data-gauge]").forEach(function (gauge) {
      var card = gauge.closest(".gauge-card") || document;
      var limit = max || parseInt(gauge.getAttribute("aria-valuemax"), 10) || 100;
      gauge.setAttribute("aria-valuenow", balance);
      var fill = card.querySelector("[data-gauge-fill]");
      if (fill) fill.style.width = Math.min(100, Math.round(balance * 100 / limit)) + "%";
      var figure = card.querySelector("[data-balance]");
      if (figure) figure.textContent = balance;
    });
  }

  async function reloadGauge() {
    var result = await api("GET", "/api/energy");
    if (result.ok) updateGauge(result.data.balance, result.data.max, result.data.unlimited);
    return result;
  }

  // On the login page: a visitor whose access cookie expired may still hold
  // a live refresh cookie; renew it silently and go where they were going.
  async function resumeSession() {
    var form = document.getElementById("login-form");
    var next = form && form.dataset.next;
    if (!next) return;
    var result = await refresh();
    if (result.ok) window.location.assign(next);
  }

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) node.className = className;
    return node;
  }

  async function loadDashboard(labels) {
    var goals = await api("GET", "/api/luna/goals");
    var list = goals.ok && (goals.data.results || goals.data);
    if (Array.isArray(list) && list.length) {
      var goal = list.find(function (g) { return g.is_primary; }) ||
        list.find(function (g) { return g.status === "active"; }) || list[0];
      var box = document.querySelector("[data-luna-goal]");
      box.querySelector("[data-goal-title]").textContent = goal.title;
      var progress = Math.max(0, Math.min(100, Math.round(goal.progress || 0)));
      box.querySelector("[data-goal-bar]").style.width = progress + "%";
      box.querySelector(".progress").setAttribute("aria-valuenow", progress);
      box.hidden = false;
    }
    var journal = await api("GET", "/api/luna/journal");
    var steps = journal.ok && journal.data.narrative && journal.data.narrative.next_steps;
    if (Array.isArray(steps) && steps.length) {
      var stepList = document.querySelector("[data-steps-list]");
      steps.forEach(function (step) {
        var cost = step.cost || 0;
        var label = (step.expected_gain || step.action) + " — " +
          (cost ? cost + " " + labels.energy : labels.free);
        stepList.appendChild(text("li", label));
      });
      document.querySelector("[data-luna-steps]").hidden = false;
    }
  }

  async function loadGoals(labels) {
    var section = document.querySelector("[data-goals]");
    if (!section) return;
    var list = section.querySelector("[data-goals-list]");
    var errorBox = section.querySelector("[data-goal-error]");
    async function render() {
      var result = await api("GET", "/api/luna/goals");
      if (!result.ok) return false;
      var goals = result.data.results || result.data;
      list.replaceChildren();
      goals.forEach(function (goal) {
        var li = document.createElement("li");
        li.dataset.goal = goal.id;
        li.appendChild(text("strong", goal.title));
        var label = document.createElement("label");
        label.textContent = " " + labels.progress + " ";
        var input = document.createElement("input");
        input.type = "number"; input.min = 0; input.max = 100;
        input.value = Math.round(goal.progress || 0);
        label.appendChild(input);
        li.appendChild(label);
        var save = text("button", labels.save, "small secondary");
        save.type = "button";
        save.addEventListener("click", async function () {
          var r = await api("PATCH", "/api/luna/goals/" + goal.id, {progress: parseInt(input.value, 10)});
          errorBox.textContent = r.ok ? "" : (r.data && r.data.error ? r.data.error.message : "");
        });
        var remove = text("button", labels.remove, "small secondary");
        remove.type = "button";
        remove.addEventListener("click", async function () {
          await api("DELETE", "/api/luna/goals/" + goal.id);
          render();
        });
        li.append(" ", save, " ", remove);
        list.appendChild(li);
      });
      return true;
    }
    if (!(await render())) return;  // Luna's goals are not served here
    section.hidden = false;
    section.querySelector("[data-goal-form]").addEventListener("submit", async function (event) {
      event.preventDefault();
      var form = event.target;
      var body = {title: form.title.value};
      if (form.why.value) body.why = form.why.value;
      var result = await api("POST", "/api/luna/goals", body);
      if (result.ok) { form.reset(); errorBox.textContent = ""; render(); }
      else errorBox.textContent = result.data && result.data.error ? result.data.error.message : "";
    });
  }

  // Keep the access cookie alive while a signed-in page stays open.
  if (document.body.dataset.signedIn === "1") {
    var every = parseInt(document.body.dataset.refreshMs, 10) || 600000;
    setInterval(refresh, every);
  }

  window.PhoenixWeb = {
    api: api, refresh: refresh, updateGauge: updateGauge, reloadGauge: reloadGauge,
    resumeSession: resumeSession, loadDashboard: loadDashboard, loadGoals: loadGoals,
    text: text
  };
})();
