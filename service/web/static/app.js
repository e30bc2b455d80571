/* precheck reviewer pages: plain JavaScript, no build step, nothing from outside. Every change goes
   through the JSON API with the session cookie and the page's CSRF token. */
(function () {
  "use strict";

  var VERDICTS = { pass: "通过", fail: "不通过", needs_review: "需人工复核" };
  var JOB_STATES = { queued: "排队中", running: "检查中", done: "已完成", failed: "失败" };
  var STAGES = { parse: "读取文件", understand: "识别字段", judge: "判定", evidence: "截取证据", done: "完成" };

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  function csrf() {
    var meta = $('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function toLogin() {
    location.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
  }

  /* A request to the API; resolves with the JSON answer, rejects with the problem's Chinese detail. */
  function api(method, url, body) {
    var headers = { "Accept": "application/json", "X-CSRF-Token": csrf() };
    var payload = body;
    if (body !== undefined && !(body instanceof FormData)) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
    return fetch(url, { method: method, headers: headers, body: payload, credentials: "same-origin" })
      .then(function (response) {
        var type = response.headers.get("content-type") || "";
        var read = type.indexOf("json") >= 0 ? response.json() : Promise.resolve(null);
        return read.then(function (data) {
          if (response.status === 401) { toLogin(); }
          if (!response.ok) { throw new Error((data && data.detail) || ("请求失败（" + response.status + "）")); }
          return data;
        });
      });
  }

  var flashTimer = null;
  function flash(text, bad) {
    var box = $("#flash");
    if (!box) { return; }
    box.textContent = text;
    box.className = "flash" + (bad ? " bad" : "");
    box.hidden = false;
    clearTimeout(flashTimer);
    flashTimer = setTimeout(function () { box.hidden = true; }, bad ? 6000 : 3000);
  }
  function failed(error) { flash(error.message || String(error), true); }

  function make(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function show(value) {
    if (value === null || value === undefined || value === "") { return "—"; }
    if (value === true) { return "有"; }
    if (value === false) { return "无"; }
    if (Array.isArray(value)) { return value.map(show).join("、"); }
    return String(value);
  }

  function seconds(s) {
    s = Math.max(0, Math.round(s));
    return s >= 60 ? Math.floor(s / 60) + " 分 " + (s % 60) + " 秒" : s + " 秒";
  }

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  /* ---------- upload ---------- */

  /* One bundle's check as its job's events tell it: files, pages, stage, time left from pages/s. */
  function JobCard(host, label, accepted) {
    this.bundleId = accepted.bundle_id;
    this.jobId = accepted.job_id;
    this.started = null;
    this.progress = {};
    this.state = "queued";
    this.node = make("div", { "class": "job", "data-job": accepted.job_id, "data-bundle": accepted.bundle_id });
    var head = make("div", { "class": "j-head" });
    head.appendChild(make("b", { title: label }, label));
    this.stateNode = make("span", { "class": "badge j-state state-queued" }, JOB_STATES.queued);
    head.appendChild(this.stateNode);
    this.node.appendChild(head);
    var bar = make("div", { "class": "bar" });
    this.bar = make("i", { style: "width:2%" });
    bar.appendChild(this.bar);
    this.node.appendChild(bar);
    this.detail = make("div", { "class": "j-detail" }, "等待检查进程…");
    this.node.appendChild(this.detail);
    this.link = make("a", { "class": "j-link", href: "/bundles/" + accepted.bundle_id, hidden: "" }, "查看报告");
    this.node.appendChild(this.link);
    host.appendChild(this.node);
    this.listen();
    var card = this;
    this.ticker = setInterval(function () { card.draw(); }, 1000);
  }

  JobCard.prototype.listen = function () {
    var card = this;
    var source = new EventSource("/api/jobs/" + encodeURIComponent(this.jobId) + "/events");
    ["queued", "running", "done", "failed"].forEach(function (name) {
      source.addEventListener(name, function (event) {
        card.update(JSON.parse(event.data));
        if (name === "done" || name === "failed") { source.close(); }
      });
    });
    source.addEventListener("gone", function () { source.close(); card.update({ state: "failed", error: "任务已不存在" }); });
    this.source = source;
  };

  JobCard.prototype.update = function (view) {
    if (view.state === "running" && this.started === null) { this.started = Date.now(); }
    this.state = view.state;
    this.progress = view.progress || {};
    this.error = view.error;
    this.draw();
    if (view.state === "done" || view.state === "failed") { clearInterval(this.ticker); }
  };

  JobCard.prototype.draw = function () {
    var p = this.progress, state = this.state;
    this.node.className = "job " + state;
    this.stateNode.className = "badge j-state state-" + state;
    this.stateNode.textContent = JOB_STATES[state] || state;
    var filesTotal = p.files_total || 0, filesDone = p.files_done || 0, pagesDone = p.pages_done || 0;
    var share = { understand: 85, judge: 90, evidence: 95, done: 100 }[p.stage];
    var percent = state === "done" ? 100 : share || (filesTotal ? 5 + 75 * filesDone / filesTotal : 3);
    this.bar.style.width = percent + "%";
    var parts = [];
    if (filesTotal) { parts.push("文件 " + filesDone + "/" + filesTotal); }
    parts.push("已读 " + pagesDone + " 页");
    if (p.stage) { parts.push("阶段：" + (STAGES[p.stage] || p.stage)); }
    if (p.current && state === "running") { parts.push("正在读：" + p.current); }
    if (this.started !== null) {
      var elapsed = (Date.now() - this.started) / 1000;
      parts.push("已用 " + seconds(elapsed));
      if (state === "running") { parts.push(this.timeLeft(elapsed)); }
    }
    if (state === "failed") { parts.push("失败：" + (this.error || "原因未知")); }
    this.detail.textContent = parts.join(" · ");
    this.link.hidden = state !== "done";
  };

  /* Time left from the pages read per second so far, the pages still to read estimated from the pages
     per file so far (the job does not know its page total in advance). */
  JobCard.prototype.timeLeft = function (elapsed) {
    var p = this.progress;
    if (p.stage && p.stage !== "parse") { return "即将完成"; }
    if (!p.pages_done || !p.files_done || elapsed <= 0) { return "剩余时间估算中"; }
    var rate = p.pages_done / elapsed;
    var pagesLeft = (p.pages_done / p.files_done) * ((p.files_total || 0) - p.files_done);
    return "约 " + rate.toFixed(1) + " 页/秒，剩余约 " + seconds(pagesLeft / rate);
  };

  function initUpload() {
    var form = $("#upload-form");
    if (!form) { return; }
    var input = $("#files"), drop = $("#drop"), chosenList = $("#chosen"), status = $("#upload-status");
    var jobs = $("#jobs");
    var chosen = [];

    function list() {
      $("#picked").textContent = chosen.length ? "已选 " + chosen.length + " 个文件" : "未选择文件";
      chosenList.textContent = "";
      chosen.forEach(function (file) {
        chosenList.appendChild(make("li", {}, file.name + "（" + Math.max(1, Math.round(file.size / 1024)) + " KB）"));
      });
    }
    input.addEventListener("change", function () { chosen = Array.prototype.slice.call(input.files); list(); });
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      chosen = Array.prototype.slice.call(event.dataTransfer.files);
      list();
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!chosen.length) { flash("请先选择或拖入文件", true); return; }
      var campaign = $("#campaign").value, asOf = $("#as-of").value, name = $("#bundle-name").value.trim();
      var single = chosen.length === 1 ? chosen[0].name.toLowerCase() : "";
      var batch = chosen.length === 1 && (/\.mbox$/.test(single) || $("#batch").checked);
      var data = new FormData();
      data.append("campaign", campaign);
      if (asOf) { data.append("as_of", asOf); }
      if (batch) {
        data.append("file", chosen[0], chosen[0].name);
      } else {
        chosen.forEach(function (file) { data.append("files", file, file.name); });
        if (name) { data.append("name", name); }
      }
      var label = name || (chosen.length === 1 ? chosen[0].name : chosen[0].name + " 等 " + chosen.length + " 个文件");
      var button = $("#upload-button");
      button.disabled = true;
      var xhr = new XMLHttpRequest();
      xhr.open("POST", batch ? "/api/batches" : "/api/bundles");
      xhr.setRequestHeader("X-CSRF-Token", csrf());
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { status.textContent = "上传中 " + Math.round(100 * e.loaded / e.total) + "%"; }
      });
      xhr.addEventListener("load", function () {
        button.disabled = false;
        var answer = null;
        try { answer = JSON.parse(xhr.responseText); } catch (ignored) { answer = null; }
        if (xhr.status === 401) { toLogin(); return; }
        if (xhr.status >= 300 || !answer) {
          status.textContent = "";
          flash((answer && answer.detail) || "上传失败（" + xhr.status + "）", true);
          return;
        }
        if (batch) {
          status.textContent = "已上传：" + answer.bundles.length + " 个申报材料包" +
            (answer.refused.length ? "，" + answer.refused.length + " 个未受理" : "");
          answer.bundles.forEach(function (b) { new JobCard(jobs, b.label, b); });
          answer.refused.forEach(function (r) { flash("未受理：" + r.label + "（" + r.reason + "）", true); });
        } else {
          status.textContent = "已上传，正在检查";
          new JobCard(jobs, label, answer);
        }
        chosen = [];
        input.value = "";
        list();
      });
      xhr.addEventListener("error", function () { button.disabled = false; flash("上传中断（网络错误）", true); });
      status.textContent = "上传中…";
      xhr.send(data);
    });
  }

  function initPending() {
    var box = $("#pending");
    if (!box || !box.dataset.job || !$("#pending-state")) { return; }
    var source = new EventSource("/api/jobs/" + encodeURIComponent(box.dataset.job) + "/events");
    ["queued", "running", "done", "failed"].forEach(function (name) {
      source.addEventListener(name, function (event) {
        var view = JSON.parse(event.data), p = view.progress || {};
        $("#pending-state").textContent = JOB_STATES[view.state] || view.state;
        $("#pending-detail").textContent = (p.files_total ? "文件 " + (p.files_done || 0) + "/" + p.files_total + " · " : "") +
          "已读 " + (p.pages_done || 0) + " 页" + (p.stage ? " · " + (STAGES[p.stage] || p.stage) : "");
        $("#pending-bar").style.width = (view.state === "done" ? 100 : p.files_total ? 5 + 80 * (p.files_done || 0) / p.files_total : 5) + "%";
        if (name === "done" || name === "failed") { source.close(); location.reload(); }
      });
    });
  }

  /* ---------- list ---------- */

  function initBundles() {
    var picks = $$("input.pick"), all = $("#select-all"), exportLink = $("#export"), count = $("#selected-count");
    function refresh() {
      var ids = picks.filter(function (p) { return p.checked; }).map(function (p) { return p.value; });
      exportLink.classList.toggle("disabled", ids.length === 0);
      exportLink.setAttribute("aria-disabled", ids.length === 0 ? "true" : "false");
      exportLink.setAttribute("href", "/api/summary.xlsx?ids=" + encodeURIComponent(ids.join(",")));
      count.textContent = ids.length ? "已选 " + ids.length + " 个" : "未选择";
    }
    picks.forEach(function (p) { p.addEventListener("change", refresh); });
    if (all) {
      all.addEventListener("change", function () {
        picks.forEach(function (p) { p.checked = all.checked; });
        refresh();
      });
    }
    ["#f-campaign", "#f-verdict", "#f-review"].forEach(function (id) {
      var select = $(id);
      if (select) { select.addEventListener("change", function () { $("#filters").submit(); }); }
    });
    refresh();
  }

  /* ---------- one bundle: review ---------- */

  function initBundle() {
    var review = readJson("review-data");
    var pageUrl = readJson("page-url");
    var labels = readJson("labels");
    var bundleId = review.bundle_id;
    var base = "/api/bundles/" + encodeURIComponent(bundleId);
    var cards = $$("article.finding");
    var selected = -1;

    function applyReview(next) {
      review = next;
      var effective = $("#effective-verdict");
      effective.textContent = VERDICTS[next.effective_verdict] || next.effective_verdict;
      effective.className = "badge verdict-" + next.effective_verdict;
      Object.keys(next.counts).forEach(function (severity) {
        var node = $('[data-count="' + severity + '"]');
        if (node) { node.textContent = next.counts[severity]; }
      });
      var state = $("#review-state");
      state.textContent = next.state_label || "未审";
      state.className = "badge review-" + (next.state || "none");
      $("#decided-by").textContent = next.decided_by ? "（" + next.decided_by + "）" : "";
      $("#notice-link").hidden = next.state !== "needs_fix";
      next.findings.forEach(function (f) {
        var card = $('article.finding[data-key="' + f.key + '"]');
        if (!card) { return; }
        var d = f.decision;
        $("[data-decision]", card).textContent = d ?
          (d.action === "confirm" ? "已确认" : "已驳回") + "（" + d.user + "）" + (d.reason ? "：" + d.reason : "") : "";
        card.classList.toggle("dismissed", !!d && d.action === "dismiss");
      });
      next.documents.forEach(function (doc) {
        Object.keys(doc.fields).forEach(function (key) {
          var row = $('tr[data-field="' + doc.index + "/" + key + '"]');
          var c = doc.fields[key].corrected;
          if (!row) { return; }
          $("[data-corrected]", row).textContent = c ? "→ " + show(c.value) + "（" + c.user + " 更正）" : "";
          $(".value", row).classList.toggle("replaced", !!c);
        });
      });
    }

    function select(index) {
      if (!cards.length) { return; }
      selected = Math.max(0, Math.min(cards.length - 1, index));
      cards.forEach(function (card, i) { card.classList.toggle("selected", i === selected); });
      cards[selected].scrollIntoView({ block: "nearest" });
    }

    function decide(card, action, reason) {
      return api("POST", base + "/findings/" + encodeURIComponent(card.dataset.key) + "/decision",
        { action: action, reason: reason || null })
        .then(function (next) {
          applyReview(next);
          flash(action === "confirm" ? "已确认该问题" : "已驳回该问题");
        });
    }

    function openDismiss(card) {
      var form = $(".dismiss-form", card);
      form.hidden = false;
      $("input", form).focus();
    }

    cards.forEach(function (card, index) {
      card.addEventListener("click", function () { selected = index; select(index); });
      var form = $(".dismiss-form", card);
      card.addEventListener("click", function (event) {
        var act = event.target.getAttribute && event.target.getAttribute("data-act");
        if (act === "confirm") { decide(card, "confirm").catch(failed); }
        if (act === "dismiss") { openDismiss(card); }
        if (act === "cancel") { form.hidden = true; }
      });
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var reason = $("input", form).value.trim();
        if (!reason) { flash("驳回须写明理由", true); $("input", form).focus(); return; }
        decide(card, "dismiss", reason).then(function () { form.hidden = true; $("input", form).value = ""; }).catch(failed);
      });
    });

    $$(".decide [data-state]").forEach(function (button) {
      button.addEventListener("click", function () {
        var state = button.dataset.state, reason = $("#bundle-reason").value.trim();
        if (state === "rejected" && !reason) { flash("不通过须写明理由", true); $("#bundle-reason").focus(); return; }
        api("POST", base + "/decision", { state: state, reason: reason || null }).then(function (next) {
          applyReview(next);
          flash("已记录：" + (next.state_label || state));
        }).catch(failed);
      });
    });

    /* field corrections */
    $("#documents").addEventListener("click", function (event) {
      var target = event.target;
      if (!target.getAttribute || target.getAttribute("data-act") !== "correct") { return; }
      var row = target.closest("tr");
      var next = row.nextElementSibling;
      if (next && next.classList.contains("correct-form")) { next.remove(); return; }
      var parts = row.dataset.field.split("/"), docIndex = Number(parts[0]), key = parts.slice(1).join("/");
      var field = review.documents[docIndex].fields[key];
      var current = field.corrected ? field.corrected.value : field.value;
      var formRow = make("tr", { "class": "correct-form" });
      var cell = make("td", { colspan: "4" });
      var value = make("input", { name: "value", placeholder: "正确的值（留空表示材料上没有）", size: "28" });
      value.value = Array.isArray(current) ? current.join("、") : (current === null || current === undefined ? "" : String(current));
      var reason = make("input", { name: "reason", placeholder: "理由（可选）", size: "18", maxlength: "2000" });
      var save = make("button", { type: "button", "class": "small primary" }, "保存更正");
      var cancel = make("button", { type: "button", "class": "small" }, "取消");
      [value, reason, save, cancel].forEach(function (node) { cell.appendChild(node); });
      formRow.appendChild(cell);
      row.parentNode.insertBefore(formRow, row.nextSibling);
      value.focus();
      cancel.addEventListener("click", function () { formRow.remove(); });
      save.addEventListener("click", function () {
        var typed = value.value.trim(), sent = typed;
        if (Array.isArray(field.value)) { sent = typed ? typed.split(/[,，、;；\s]+/).filter(Boolean) : []; }
        else if (typeof field.value === "number" && typed !== "" && isFinite(Number(typed))) { sent = Number(typed); }
        else if (typeof field.value === "boolean") { sent = ["有", "是", "true", "1"].indexOf(typed) >= 0; }
        api("POST", base + "/documents/" + docIndex + "/fields/" + encodeURIComponent(key) + "/correction",
          { value: sent, reason: reason.value.trim() || null })
          .then(function (answer) { applyReview(answer); formRow.remove(); flash("已更正"); })
          .catch(failed);
      });
    });

    /* the page viewer */
    var viewer = $("#viewer"), sheet = $("#v-sheet"), img = $("#v-img"), boxes = $("#v-boxes"), body = $("#v-body");
    var ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];
    var at = { doc: 0, page: 1, zoom: 2, hl: null };

    function sameBox(a, b) {
      if (!a || !b) { return false; }
      for (var i = 0; i < 4; i++) { if (Math.abs(a[i] - b[i]) > 0.0005) { return false; } }
      return true;
    }

    function pageBoxes(docIndex, page) {
      var doc = review.documents[docIndex], found = [], seen = {};
      function add(bbox, kind, label, title) {
        if (!bbox || bbox.length !== 4) { return; }
        var mark = bbox.map(function (v) { return v.toFixed(4); }).join(",");
        var known = seen[mark];
        if (known) {  /* one box per spot: a field that is also a finding's evidence says both */
          if (known.kind.split(" ").indexOf(kind.split(" ")[0]) < 0) { known.kind += " " + kind; }
          if (known.labels.indexOf(label) < 0) { known.labels.push(label); }
          if (known.title.indexOf(title) < 0) { known.title += "\n" + title; }
          return;
        }
        seen[mark] = { bbox: bbox, kind: kind, labels: [label], title: title };
        found.push(seen[mark]);
      }
      Object.keys(doc.fields).forEach(function (key) {
        var f = doc.fields[key], label = labels.fields[key] || key;
        f.evidence.forEach(function (e) {
          if (e.page === page) {
            add(e.bbox, f.low ? "b-field b-low" : "b-field", label,
              label + "：" + show(f.value) + "（置信度 " + Math.round(f.confidence * 100) + "%）");
          }
        });
      });
      doc.seals.forEach(function (s) {
        if (s.page === page) { add(s.bbox, "b-seal", "印章", "印章（" + (labels.seals[s.kind] || s.kind) + "）：" + (s.text || "未识别文字")); }
      });
      review.findings.forEach(function (f) {
        f.evidence.forEach(function (e) {
          if (e.doc_index === docIndex && e.page === page) { add(e.bbox, "b-finding", "问题", f.message); }
        });
      });
      return found;
    }

    function drawViewer() {
      var doc = review.documents[at.doc];
      $("#v-title").textContent = doc.path;
      $("#v-title").title = doc.path;
      $("#v-page").textContent = "第 " + at.page + " / " + (doc.pages || 1) + " 页";
      $("#v-zoom").textContent = Math.round(ZOOMS[at.zoom] * 100) + "%";
      $("#v-prev").disabled = at.page <= 1;
      $("#v-next").disabled = at.page >= (doc.pages || 1);
      $("#v-out").disabled = at.zoom === 0;
      $("#v-in").disabled = at.zoom === ZOOMS.length - 1;
      var fit = Math.min(body.clientWidth - 24, 900);
      sheet.style.width = Math.round(fit * ZOOMS[at.zoom]) + "px";
      boxes.textContent = "";
      var list = pageBoxes(at.doc, at.page), lit = false;
      list.forEach(function (b) {
        if (!lit && sameBox(b.bbox, at.hl)) { b.kind += " b-hl"; lit = true; }
      });
      if (at.hl && !lit) { list.push({ bbox: at.hl, kind: "b-hl", labels: ["证据"], title: "所点击的证据" }); }
      list.forEach(function (b) {
        var node = make("div", { "class": "box " + b.kind, title: b.title });
        node.style.left = (b.bbox[0] * 100) + "%";
        node.style.top = (b.bbox[1] * 100) + "%";
        node.style.width = ((b.bbox[2] - b.bbox[0]) * 100) + "%";
        node.style.height = ((b.bbox[3] - b.bbox[1]) * 100) + "%";
        node.appendChild(make("span", {}, b.labels.join(" · ")));
        boxes.appendChild(node);
      });
      var src = pageUrl.replace("{doc}", at.doc).replace("{page}", at.page);
      if (img.getAttribute("src") !== src) {
        $("#v-missing").hidden = true;
        sheet.hidden = false;
        img.setAttribute("src", src);
      } else {
        centre();
      }
    }

    function centre() {
      var lit = $(".box.b-hl", boxes);
      if (!lit) { return; }
      body.scrollTop = Math.max(0, lit.offsetTop + sheet.offsetTop - body.clientHeight / 3);
      body.scrollLeft = Math.max(0, lit.offsetLeft + sheet.offsetLeft - body.clientWidth / 3);
    }
    img.addEventListener("load", centre);
    img.addEventListener("error", function () { sheet.hidden = true; $("#v-missing").hidden = false; });

    function openViewer(docIndex, page, bbox) {
      at.doc = docIndex;
      at.page = page;
      at.hl = bbox;
      viewer.hidden = false;
      drawViewer();
    }
    function closeViewer() { viewer.hidden = true; }

    document.addEventListener("click", function (event) {
      var trigger = event.target.closest ? event.target.closest("button.ev") : null;
      if (!trigger) { return; }
      event.stopPropagation();
      var bbox = trigger.dataset.bbox ? trigger.dataset.bbox.split(",").map(Number) : null;
      openViewer(Number(trigger.dataset.doc), Number(trigger.dataset.page), bbox && bbox.length === 4 ? bbox : null);
    }, true);

    function turn(step) {
      var pages = review.documents[at.doc].pages || 1, next = at.page + step;
      if (next < 1 || next > pages) { return; }
      at.page = next;
      at.hl = null;
      drawViewer();
      body.scrollTop = 0;
    }
    function zoom(step) {
      at.zoom = Math.max(0, Math.min(ZOOMS.length - 1, at.zoom + step));
      drawViewer();
    }
    viewer.addEventListener("click", function (event) {
      var v = event.target.getAttribute && event.target.getAttribute("data-v");
      if (v === "prev") { turn(-1); }
      if (v === "next") { turn(1); }
      if (v === "in") { zoom(1); }
      if (v === "out") { zoom(-1); }
      if (v === "close") { closeViewer(); }
    });

    /* keyboard: j/k move through the findings, c/d confirm/dismiss; in the viewer ←/→, +/-, Esc */
    document.addEventListener("keydown", function (event) {
      if (event.ctrlKey || event.metaKey || event.altKey) { return; }
      var tag = (event.target.tagName || "").toLowerCase();
      if (tag === "input" || tag === "textarea" || tag === "select") {
        if (event.key === "Escape") { event.target.blur(); }
        return;
      }
      if (!viewer.hidden) {
        if (event.key === "Escape") { closeViewer(); }
        else if (event.key === "ArrowRight") { turn(1); }
        else if (event.key === "ArrowLeft") { turn(-1); }
        else if (event.key === "+" || event.key === "=") { zoom(1); }
        else if (event.key === "-") { zoom(-1); }
        else { return; }
        event.preventDefault();
        return;
      }
      if (event.key === "j") { select(selected + 1); }
      else if (event.key === "k") { select(selected < 0 ? 0 : selected - 1); }
      else if (event.key === "c" && selected >= 0) { decide(cards[selected], "confirm").catch(failed); }
      else if (event.key === "d" && selected >= 0) { openDismiss(cards[selected]); }
      else { return; }
      event.preventDefault();
    });

    /* who has it open: marked on opening, refreshed every 2 minutes, released on leaving */
    function lock() {
      api("POST", base + "/lock").then(function (answer) {
        var banner = $("#lock-banner"), held = answer && answer.lock;
        if (held && !held.mine) {
          banner.textContent = "审核员 " + held.user + " 正在审阅此申报材料（至 " +
            new Date(held.until).toLocaleTimeString("zh-CN") + "）。您仍可阅读；做决定前请与其协调。";
          banner.hidden = false;
        } else {
          banner.hidden = true;
        }
      }).catch(function () { /* the banner is a courtesy; reading goes on */ });
    }
    lock();
    setInterval(lock, 120000);
    window.addEventListener("pagehide", function () {
      fetch(base + "/lock", { method: "DELETE", keepalive: true, credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf() } });
    });
  }

  /* ---------- admin ---------- */

  function initAdmin() {
    function field(form, name) { return form.elements.namedItem(name); }
    var note = sessionStorage.getItem("precheck-admin-note");
    if (note) {
      sessionStorage.removeItem("precheck-admin-note");
      var box = $("#token-box");
      box.textContent = note;
      box.hidden = false;
    }
    $("#new-user").addEventListener("submit", function (event) {
      event.preventDefault();
      var form = event.target;
      var campaigns = $$('input[name="campaigns"]:checked', form).map(function (c) { return c.value; });
      var body = { name: field(form, "name").value.trim(), role: field(form, "role").value, campaigns: campaigns,
        password: field(form, "password").value || null };
      api("POST", "/api/admin/users", body).then(function (made) {
        sessionStorage.setItem("precheck-admin-note", "已创建用户 " + made.name + "。其 API 令牌（只显示这一次，请妥善保存）：" + made.token);
        location.reload();
      }).catch(failed);
    });
    $("#new-campaign").addEventListener("submit", function (event) {
      event.preventDefault();
      var form = event.target;
      api("POST", "/api/admin/campaigns", { name: field(form, "name").value.trim(), profile: field(form, "profile").value,
        as_of: field(form, "as_of").value || null }).then(function (made) {
        sessionStorage.setItem("precheck-admin-note", "已创建活动 " + made.name + "（" + made.profile + "）");
        location.reload();
      }).catch(failed);
    });
    $$('[data-act="save-reviewers"]').forEach(function (button) {
      button.addEventListener("click", function () {
        var row = button.closest("tr"), name = row.dataset.campaign;
        var users = $$("input:checked", row).map(function (c) { return c.value; });
        api("PUT", "/api/admin/campaigns/" + encodeURIComponent(name) + "/reviewers", { users: users })
          .then(function (answer) { flash("已保存 " + answer.name + " 的审核员：" + (answer.reviewers.join("、") || "无")); })
          .catch(failed);
      });
    });
  }

  var inits = { upload: initUpload, pending: initPending, bundles: initBundles, bundle: initBundle, admin: initAdmin };
  var page = document.body.getAttribute("data-page");
  if (inits[page]) { inits[page](); }
})();
