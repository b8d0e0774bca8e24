// Live progress on a batch's page. Without this script the page works by being refreshed; with
// it, the counts and the bar follow `GET /api/v1/batches/:id` (the session cookie signs the
// request in) every 1.5 seconds until the batch is finished.
const POLL_MS = 1500;
const MAX_FAILURES = 5;

const root = document.getElementById('batch-progress');

function parse(json, fallback) {
  try {
    return JSON.parse(json);
  } catch {
    return fallback;
  }
}

function field(name) {
  return root.querySelector(`[data-batch-field="${name}"]`);
}

function formatNumber(n) {
  return typeof n === 'number' ? n.toLocaleString('en-GB') : '';
}

/** "1 row rejected", "2 rows rejected". */
function counted(n, one, many) {
  return `${formatNumber(n ?? 0)} ${n === 1 ? one : many}`;
}

// The parts of the page the server words (how the columns were read, processing notes, the file
// layout) are taken from a fresh copy of this page, so they read exactly as after a reload.
async function refreshSections() {
  try {
    const res = await fetch(window.location.pathname, {
      headers: { Accept: 'text/html' },
      credentials: 'same-origin',
      cache: 'no-store',
    });
    if (!res.ok) return;
    const fresh = new window.DOMParser().parseFromString(await res.text(), 'text/html');
    for (const section of document.querySelectorAll('[data-batch-section]')) {
      const copy = fresh.getElementById(section.id);
      if (copy)
        section.replaceChildren(
          ...Array.from(copy.childNodes, (n) => document.importNode(n, true)),
        );
    }
  } catch {
    // The sections stay as they were; reloading the page shows them.
  }
}

function start() {
  const url = root.dataset.statusUrl;
  const phases = parse(root.dataset.phases, {});
  const terminal = parse(root.dataset.terminalStatuses, []);
  const bar = document.getElementById('batch-progress-bar');
  const refresh = root.querySelector('[data-batch-refresh]');
  const note = root.querySelector('[data-batch-refresh-note]');
  let status = root.dataset.status;
  let failures = 0;

  if (note) note.textContent = 'The file is still being processed. This page updates by itself.';

  function render(batch) {
    const phase = phases[batch.status] || batch.status;
    const percent =
      batch.progress && typeof batch.progress.percent === 'number' ? batch.progress.percent : 0;
    bar.value = percent;
    bar.textContent = `${percent}%`;
    field('percent').textContent = String(percent);
    field('phase').textContent = phase;
    const tag = field('statusTag').querySelector('.nhsuk-tag');
    if (tag) tag.textContent = phase;
    for (const [name, n] of Object.entries(batch.counts || {})) {
      const el = root.querySelector(`[data-batch-count="${name}"]`);
      if (el) el.textContent = formatNumber(n);
    }
    if (batch.errorMessage) {
      field('errorMessage').textContent = batch.errorMessage;
      field('error').hidden = false;
    }
    const done = terminal.includes(batch.status);
    if (batch.status !== status) {
      status = batch.status;
      const counts = batch.counts || {};
      field('announce').textContent = done
        ? `${phase}: ${counted(counts.accepted, 'comment', 'comments')} accepted, ${counts.updated ? `${counted(counts.updated, 'comment', 'comments')} corrected, ` : ''}${counted(counts.rejected, 'row', 'rows')} rejected, ${counted(counts.duplicates, 'duplicate', 'duplicates')}.`
        : `${phase}.`;
      void refreshSections().then(() => {
        if (done) root.dataset.sectionsRefreshed = 'true';
      });
    }
    if (done) {
      root.dataset.status = batch.status;
      for (const el of root.querySelectorAll('[data-batch-when-done]')) el.hidden = false;
      if (refresh) refresh.hidden = true;
      if (tag) {
        tag.className = 'nhsuk-tag';
        if (batch.status === 'complete') tag.classList.add('nhsuk-tag--green');
        else if (batch.status === 'failed') tag.classList.add('nhsuk-tag--red');
        else tag.classList.add('nhsuk-tag--orange');
      }
    }
    return done;
  }

  async function poll() {
    try {
      const res = await fetch(url, {
        headers: { Accept: 'application/json' },
        credentials: 'same-origin',
        cache: 'no-store',
      });
      if (!res.ok) throw new Error(`status ${res.status}`);
      failures = 0;
      if (render(await res.json())) return;
    } catch {
      failures += 1;
      if (failures >= MAX_FAILURES) {
        // Back to refreshing by hand, which always works.
        if (note)
          note.textContent =
            'The progress could not be updated automatically. Refresh the page to see it.';
        return;
      }
    }
    window.setTimeout(poll, POLL_MS);
  }

  window.setTimeout(poll, POLL_MS);
}

if (root && root.dataset.statusUrl) start();
