// The Optline campaign console. Plain JavaScript, no build step, no library: it calls the
// gateway's campaign API with the business key the marketer enters, and draws its chart in SVG.
'use strict';

(function () {
  const KEY = 'optline.console.key';
  const POLL_MS = 1000;
  const $ = (id) => document.getElementById(id);
  const views = ['sign-in', 'list', 'create', 'detail', 'report'];
  let current = null;       // the campaign shown in the detail view
  let poller = null;
  let shownState = null;    // the state last shown, so that a change seen by polling is announced

  // The outcome groups of the chart; each sums some reasons of the report's counts.
  const SERIES = [
    { name: 'Accepted', color: '#1e7b3c', reasons: ['ACCEPTED'] },
    { name: 'No consent', color: '#d9822b', reasons: ['NOT_OPTED_IN', 'OPTED_OUT', 'BLOCKED'] },
    { name: 'Limits', color: '#7b4fc9', reasons: ['FREQUENCY_CAPPED', 'TIER_LIMIT_REACHED', 'DUPLICATE_CONTENT', 'BUSINESS_PAUSED'] },
    { name: 'Refused content', color: '#b3261e', reasons: ['REJECTED_SPAM', 'INVALID_MESSAGE', 'INVALID_RECIPIENT', 'UNKNOWN_TEMPLATE'] },
    { name: 'Held for quiet hours', color: '#8a94a3', field: 'heldQuietHours' },
  ];

  const REASON_NAMES = {
    ACCEPTED: 'Accepted (queued for delivery)', NOT_OPTED_IN: 'Not opted in', OPTED_OUT: 'Opted out',
    BLOCKED: 'Blocked the business', FREQUENCY_CAPPED: 'Frequency cap reached', TIER_LIMIT_REACHED: 'Tier limit reached',
    DUPLICATE_CONTENT: 'Same text recently', BUSINESS_PAUSED: 'Marketing paused (quality)', REJECTED_SPAM: 'Refused as spam',
    INVALID_MESSAGE: 'Invalid message', INVALID_RECIPIENT: 'Invalid number', UNKNOWN_TEMPLATE: 'Unknown template',
  };

  function show(view) {
    for (const v of views) { $(v).hidden = v !== view; }
    if (view !== 'detail' && poller) { clearInterval(poller); poller = null; }
    $('who').hidden = view === 'sign-in';
    const heading = $(view).querySelector('h2');
    // The new view's heading takes the focus, so keyboard and screen-reader users start there.
    if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus({ preventScroll: true }); }
    window.scrollTo(0, 0);
  }

  function say(text, error) {
    const status = $('status');
    status.textContent = text || '';
    status.classList.toggle('error', !!error);
  }

  function key() { return sessionStorage.getItem(KEY); }

  async function api(method, path, body) {
    const headers = { Authorization: 'Bearer ' + key() };
    if (body !== undefined) { headers['Content-Type'] = 'application/json'; }
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const type = response.headers.get('Content-Type') || '';
    const data = type.startsWith('application/json') ? await response.json() : await response.text();
    if (response.status === 401) { signOut('The key was not accepted. Sign in again.'); throw new Error('unauthenticated'); }
    if (!response.ok) { throw new Error((data && data.detail) || ('HTTP ' + response.status)); }
    return data;
  }

  const n = (value) => Number(value || 0);
  const fmt = (value) => n(value).toLocaleString('en');

  function reasonCount(counts, reason) {
    const found = ((counts && counts.byReason) || []).find((c) => c.reason === reason);
    return found ? n(found.count) : 0;
  }

  // ---- sign in ----

  async function signIn(event) {
    event.preventDefault();
    sessionStorage.setItem(KEY, $('api-key').value.trim());
    $('api-key').value = '';
    try {
      await list();
      say('Signed in.');
    } catch (e) {
      if (e.message !== 'unauthenticated') { say(e.message, true); }
    }
  }

  function signOut(message) {
    sessionStorage.removeItem(KEY);
    current = null;
    show('sign-in');
    say(message || 'Signed out.', !!message);
  }

  // ---- the list ----

  async function list() {
    const data = await api('GET', '/v1/campaigns');
    const campaigns = data.campaigns || [];
    const body = $('campaigns').querySelector('tbody');
    body.replaceChildren();
    for (const c of campaigns) {
      const row = document.createElement('tr');
      const name = document.createElement('td');
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'link';
      open.textContent = c.name;
      open.addEventListener('click', () => openCampaign(c.campaignId));
      name.append(open);
      row.append(name, cell(c.state), cell(fmt(c.audience && c.audience.recipients), true),
        cell(fmt(c.progress.sent), true), cell(fmt(reasonCount(c.progress.counts, 'ACCEPTED')), true),
        cell(fmt(c.progress.remaining), true));
      const bar = document.createElement('td');
      const progress = document.createElement('progress');
      progress.max = 100;
      progress.value = percentDone(c);
      progress.setAttribute('aria-label', c.name + ' progress');
      bar.append(progress);
      row.append(bar);
      body.append(row);
    }
    $('no-campaigns').hidden = campaigns.length > 0;
    show('list');
  }

  function cell(text, number) {
    const td = document.createElement('td');
    td.textContent = text;
    if (number) { td.className = 'num'; }
    return td;
  }

  function percentDone(c) {
    const audience = n(c.audience && c.audience.recipients);
    if (audience === 0) { return 0; }
    return Math.round(100 * (audience - n(c.progress.remaining)) / audience);
  }

  // ---- create ----

  function toInstant(local) { return local ? new Date(local).toISOString() : ''; }

  async function create(event) {
    event.preventDefault();
    const file = $('c-audience').files[0];
    const template = $('c-template').value.trim();
    const body = {
      name: $('c-name').value,
      declaredCategory: $('c-category').value,
      pacePerSecond: Number($('c-pace').value),
      quietHours: { start: $('c-quiet-start').value, end: $('c-quiet-end').value },
    };
    if (template) { body.templateName = template; } else { body.text = $('c-text').value; }
    if ($('c-start').value) { body.startAt = toInstant($('c-start').value); }
    if ($('c-end').value) { body.endAt = toInstant($('c-end').value); }
    $('create-button').disabled = true;
    try {
      const campaign = await api('POST', '/v1/campaigns', body);
      say('Campaign created; uploading the audience…');
      const result = await upload(campaign.campaignId, file);
      $('upload-result').textContent = describeUpload(result);
      say('Audience uploaded: ' + describeUpload(result));
      await openCampaign(campaign.campaignId);
    } catch (e) {
      if (e.message !== 'unauthenticated') { say(e.message, true); }
    } finally {
      $('create-button').disabled = false;
    }
  }

  // XMLHttpRequest, not fetch: it reports upload progress for the bar.
  function upload(campaignId, file) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/v1/campaigns/' + encodeURIComponent(campaignId) + '/audience');
      xhr.setRequestHeader('Authorization', 'Bearer ' + key());
      const csv = /\.csv$/i.test(file.name) || file.type === 'text/csv';
      xhr.setRequestHeader('Content-Type', csv ? 'text/csv' : 'application/x-ndjson');
      xhr.upload.addEventListener('progress', (e) => {
        if (e.lengthComputable) {
          const bar = $('upload-progress');
          bar.value = Math.round(100 * e.loaded / e.total);
          bar.textContent = bar.value + ' %';
        }
      });
      xhr.addEventListener('load', () => {
        let data = null;
        try { data = JSON.parse(xhr.responseText); } catch (ignored) { /* not JSON */ }
        if (xhr.status === 200) {
          $('upload-progress').value = 100;
          resolve(data);
        } else {
          reject(new Error((data && data.detail) || ('upload failed: HTTP ' + xhr.status)));
        }
      });
      xhr.addEventListener('error', () => reject(new Error('the upload failed')));
      xhr.send(file);
    });
  }

  function describeUpload(r) {
    let text = fmt(r.rows) + ' rows: ' + fmt(r.added) + ' added, ' + fmt(r.invalidRows) + ' invalid, '
      + fmt(r.duplicateRows) + ' duplicate' + (n(r.duplicateRows) === 1 ? '' : 's') + '.';
    if (r.invalid && r.invalid.length) {
      text += ' Invalid lines: ' + r.invalid.slice(0, 10).map((i) => i.line + ' (' + i.problem + ')').join(', ')
        + (r.invalid.length > 10 ? ', …' : '') + '.';
    }
    return text;
  }

  // ---- a campaign ----

  async function openCampaign(id) {
    current = id;
    shownState = null;
    show('detail');
    await refresh();
    if (poller) { clearInterval(poller); }
    poller = setInterval(() => refresh().catch((e) => say(e.message, true)), POLL_MS);
  }

  async function refresh() {
    if (!current) { return; }
    const [c, report] = await Promise.all([
      api('GET', '/v1/campaigns/' + encodeURIComponent(current)),
      api('GET', '/v1/campaigns/' + encodeURIComponent(current) + '/report'),
    ]);
    if (c.campaignId !== current) { return; }
    $('detail-title').textContent = c.name;
    const state = $('detail-state');
    state.textContent = c.state;
    state.className = 'badge ' + c.state;
    // The status line must not keep saying "running" once the campaign has completed on its own.
    if (shownState && shownState !== c.state) { say('Campaign ' + c.state.toLowerCase() + '.'); }
    shownState = c.state;
    $('detail-what').textContent = (c.templateName ? 'Template ' + c.templateName : 'Text: ' + c.text)
      + ' · pace ' + c.pacePerSecond + '/s · '
      + (c.quietHours.start === c.quietHours.end ? 'no quiet hours' : 'quiet hours ' + c.quietHours.start + '–' + c.quietHours.end)
      + (c.startAt ? ' · starts ' + new Date(c.startAt).toLocaleString() : '')
      + (c.endAt ? ' · ends ' + new Date(c.endAt).toLocaleString() : '');
    const p = c.progress;
    $('f-audience').textContent = fmt(c.audience.recipients);
    $('f-sent').textContent = fmt(p.sent);
    $('f-accepted').textContent = fmt(reasonCount(p.counts, 'ACCEPTED'));
    $('f-remaining').textContent = fmt(p.remaining);
    $('f-quiet').textContent = fmt(p.waitingQuietHours);
    $('f-rate').textContent = n(p.currentRate).toFixed(1) + '/s';
    // Only a running campaign is given a share of the business's pace.
    $('f-allocated').textContent = c.state === 'RUNNING' ? n(p.allocatedRate).toFixed(1) + '/s' : '–';
    $('f-eta').textContent = p.eta ? new Date(p.eta).toLocaleString() : '–';
    $('detail-progress').value = percentDone(c);
    $('schedule').disabled = c.state !== 'DRAFT';
    $('pause').disabled = c.state !== 'RUNNING';
    $('resume').disabled = c.state !== 'PAUSED';
    $('cancel').disabled = c.state === 'COMPLETED' || c.state === 'CANCELLED';
    outcomes(p.counts);
    chart(report);
  }

  function outcomes(counts) {
    const body = $('outcomes').querySelector('tbody');
    body.replaceChildren();
    for (const reason of Object.keys(REASON_NAMES)) {
      const count = reasonCount(counts, reason);
      if (count > 0) { body.append(row(REASON_NAMES[reason], count)); }
    }
    for (const [field, label] of [['heldQuietHours', 'Held for quiet hours (times)'], ['retried', 'Retried later (times)'],
      ['expired', 'Not sent before the end time'], ['noSendingWindow', 'No hour outside quiet hours']]) {
      if (n(counts[field]) > 0) { body.append(row(label, n(counts[field]))); }
    }
  }

  function row(label, count) {
    const tr = document.createElement('tr');
    tr.append(cell(label), cell(fmt(count), true));
    return tr;
  }

  async function change(action) {
    try {
      const c = await api('POST', '/v1/campaigns/' + encodeURIComponent(current) + '/' + action);
      say('Campaign ' + c.state.toLowerCase() + '.');
      await refresh();
    } catch (e) {
      if (e.message !== 'unauthenticated') { say(e.message, true); }
    }
  }

  // ---- the chart: stacked bars of outcomes per bucket, in SVG ----

  const SVG = 'http://www.w3.org/2000/svg';

  function svg(name, attributes) {
    const element = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attributes || {})) { element.setAttribute(k, v); }
    return element;
  }

  function seriesValue(series, counts) {
    if (series.field) { return n(counts[series.field]); }
    return series.reasons.reduce((sum, reason) => sum + reasonCount(counts, reason), 0);
  }

  function chart(report) {
    const box = $('chart');
    const buckets = report.buckets || [];
    const width = 1000, height = 240, left = 48, bottom = 28, top = 10;
    const root = svg('svg', { viewBox: '0 0 ' + width + ' ' + height, preserveAspectRatio: 'none', focusable: 'false' });
    const totals = buckets.map((b) => SERIES.reduce((sum, s) => sum + seriesValue(s, b.counts), 0));
    // Four whole-number steps up the axis, so that every grid line is a round count.
    const step = Math.max(1, Math.ceil(Math.max(1, ...totals) / 4));
    const max = step * 4;
    const plotWidth = width - left - 10, plotHeight = height - top - bottom;
    for (let i = 0; i <= 4; i++) {
      const y = top + plotHeight - plotHeight * i / 4;
      root.append(svg('line', { x1: left, x2: width - 10, y1: y, y2: y, stroke: '#e3e7ed' }));
      const label = svg('text', { x: left - 6, y: y + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#5a6472' });
      label.textContent = (step * i).toLocaleString('en');
      root.append(label);
    }
    // Bars stand at their time: a pause or a quiet night shows as a gap, not as nothing.
    const seconds = Math.max(1, n(report.bucketSeconds));
    const t0 = buckets.length ? Date.parse(buckets[0].start) : 0;
    const at = (bucket) => Math.round((Date.parse(bucket.start) - t0) / 1000 / seconds);
    const slots = buckets.length ? at(buckets[buckets.length - 1]) + 1 : 1;
    const slot = plotWidth / slots;
    buckets.forEach((bucket) => {
      const i = at(bucket);
      let y = top + plotHeight;
      for (const series of SERIES) {
        const value = seriesValue(series, bucket.counts);
        if (value === 0) { continue; }
        const h = plotHeight * value / max;
        y -= h;
        const bar = svg('rect', { x: left + i * slot + slot * 0.1, y, width: Math.max(slot * 0.8, 1), height: h, fill: series.color });
        const title = svg('title');
        title.textContent = series.name + ': ' + value + ' at ' + new Date(bucket.start).toLocaleTimeString();
        bar.append(title);
        root.append(bar);
      }
    });
    if (buckets.length) {
      for (const bucket of [buckets[0], buckets[buckets.length - 1]]) {
        const i = at(bucket);
        const t = svg('text', { x: left + i * slot + slot / 2, y: height - 8, 'text-anchor': i ? 'end' : 'start', 'font-size': 11, fill: '#5a6472' });
        t.textContent = new Date(bucket.start).toLocaleTimeString();
        root.append(t);
      }
    }
    box.replaceChildren(root);
    box.setAttribute('aria-label', 'Outcomes over time, ' + buckets.length + ' buckets of ' + (report.bucketSeconds || 1)
      + ' s; the table below has the totals');
    const legend = $('legend');
    legend.replaceChildren();
    for (const series of SERIES) {
      const item = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.style.background = series.color;
      item.append(swatch, document.createTextNode(series.name));
      legend.append(item);
    }
  }

  // ---- the report ----

  async function openReport() {
    const report = await api('GET', '/v1/campaigns/' + encodeURIComponent(current) + '/report');
    const c = report.campaign;
    $('report-title').textContent = 'Report: ' + c.name;
    $('report-summary').textContent = c.state + ' · audience ' + fmt(c.audience.recipients) + ' · sent ' + fmt(c.progress.sent)
      + ' · accepted ' + fmt(reasonCount(c.progress.counts, 'ACCEPTED')) + ' · remaining ' + fmt(c.progress.remaining)
      + ' · invalid rows ' + fmt(c.audience.invalidRows) + ' · duplicate rows ' + fmt(c.audience.duplicateRows);
    $('report-caption').textContent = 'Outcomes per ' + (report.bucketSeconds || 1) + ' s';
    const head = $('report-table').querySelector('thead');
    const body = $('report-table').querySelector('tbody');
    const headRow = document.createElement('tr');
    headRow.append(th('Bucket start'), ...SERIES.map((s) => th(s.name, true)));
    head.replaceChildren(headRow);
    body.replaceChildren();
    for (const bucket of report.buckets || []) {
      const tr = document.createElement('tr');
      tr.append(cell(new Date(bucket.start).toLocaleString()), ...SERIES.map((s) => cell(fmt(seriesValue(s, bucket.counts)), true)));
      body.append(tr);
    }
    show('report');
  }

  function th(text, number) {
    const element = document.createElement('th');
    element.scope = 'col';
    element.textContent = text;
    if (number) { element.className = 'num'; }
    return element;
  }

  async function download(format) {
    const path = '/v1/campaigns/' + encodeURIComponent(current) + '/report' + (format === 'csv' ? '?format=csv' : '');
    const response = await fetch(path, { headers: { Authorization: 'Bearer ' + key() } });
    if (!response.ok) { say('The report could not be downloaded: HTTP ' + response.status, true); return; }
    const blob = await response.blob();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = 'campaign-' + current + '.' + format;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    say('Report downloaded as ' + format.toUpperCase() + '.');
  }

  // ---- wiring ----

  document.addEventListener('DOMContentLoaded', () => {
    $('sign-in-form').addEventListener('submit', signIn);
    $('sign-out').addEventListener('click', () => signOut());
    $('new-campaign').addEventListener('click', () => { $('create-form').reset(); $('upload-result').textContent = ''; show('create'); });
    $('create-form').addEventListener('submit', create);
    $('create-cancel').addEventListener('click', () => list().catch((e) => say(e.message, true)));
    $('back').addEventListener('click', () => list().catch((e) => say(e.message, true)));
    $('schedule').addEventListener('click', () => change('schedule'));
    $('pause').addEventListener('click', () => change('pause'));
    $('resume').addEventListener('click', () => change('resume'));
    $('cancel').addEventListener('click', () => {
      if (window.confirm('Cancel this campaign? Whoever was not sent to yet never will be.')) { change('cancel'); }
    });
    $('report-open').addEventListener('click', () => openReport().catch((e) => say(e.message, true)));
    $('report-back').addEventListener('click', () => openCampaign(current));
    $('download-csv').addEventListener('click', () => download('csv'));
    $('download-json').addEventListener('click', () => download('json'));
    if (key()) {
      list().catch(() => show('sign-in'));
    } else {
      show('sign-in');
    }
  });
}());
