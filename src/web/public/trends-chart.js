// Draws the trends chart from the figures the page already holds (the figure's
// data-trends-chart attribute, made from the same answer as the table). The table is the
// content; this only adds a picture of it, so any failure leaves the chart hidden.
(function () {
  const figure = document.querySelector('[data-trends-chart]');
  if (!figure || typeof window.Chart !== 'function') return;
  let data;
  try {
    data = JSON.parse(figure.dataset.trendsChart);
  } catch {
    return;
  }
  const canvas = figure.querySelector('canvas');
  if (!canvas || !Array.isArray(data.labels) || !Array.isArray(data.datasets)) return;

  // NHS colours; each line also has its own point shape and dash, so colour is never the only cue.
  const colours = ['#005eb8', '#d5281b', '#007f3b', '#330072', '#ed8b00', '#425563'];
  const points = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot'];
  const dashes = [[], [8, 4], [2, 3], [12, 4, 2, 4], [4, 4], [14, 3]];
  const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  figure.hidden = false;
  new window.Chart(canvas, {
    type: 'line',
    data: {
      labels: data.labels,
      datasets: data.datasets.map((d, i) => ({
        label: d.label,
        data: d.data,
        borderColor: colours[i % colours.length],
        backgroundColor: colours[i % colours.length],
        pointStyle: points[i % points.length],
        pointRadius: 5,
        pointHoverRadius: 7,
        borderDash: dashes[i % dashes.length],
        borderWidth: 2,
        spanGaps: false,
        tension: 0,
      })),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: reduceMotion ? false : { duration: 400 },
      plugins: {
        legend: { position: 'bottom', labels: { usePointStyle: true, color: '#212b32' } },
      },
      scales: {
        x: { ticks: { color: '#212b32' } },
        y: {
          beginAtZero: true,
          ticks: { precision: 0, color: '#212b32' },
          title: { display: true, text: 'Comments', color: '#212b32' },
        },
      },
    },
  });
})();
