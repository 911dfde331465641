// The portal's JavaScript: start every GOV.UK Frontend component on the page, and show
// each question that a radio reveals only while that radio is chosen.
//
// Loaded as an ES module, so browsers older than GOV.UK Frontend supports skip it and
// the portal works without JavaScript (every revealed question is then simply shown). Only
// runs when base.html has marked the body `govuk-frontend-supported`.
import { initAll } from './govuk-frontend.min.js'

initAll()

// Conditional reveals. GOV.UK Frontend's radios module sets aria-expanded on each radio,
// which is not valid ARIA for a radio, so axe-core flags it (govuk-frontend issue 979).
// Our radios name what they reveal with data-reveals="<id>", or sit in a
// [data-portal-reveal] group and name it with aria-controls.
const REVEALING =
  'input[type="radio"][data-reveals], [data-portal-reveal] input[type="radio"][aria-controls]'

function revealsSync (name) {
  document.querySelectorAll(REVEALING).forEach(function (input) {
    if (name && input.name !== name) return
    const id = input.getAttribute('data-reveals') || input.getAttribute('aria-controls')
    const target = document.getElementById(id)
    if (target) target.classList.toggle('govuk-radios__conditional--hidden', !input.checked)
  })
}

document.addEventListener('change', function (event) {
  const input = event.target
  if (input instanceof HTMLInputElement && input.matches(REVEALING)) revealsSync(input.name)
})
window.addEventListener('pageshow', function () { revealsSync() })
revealsSync()
