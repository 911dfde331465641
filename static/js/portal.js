// The portal's JavaScript: start every GOV.UK Frontend component on the page.
//
// Loaded as an ES module, so browsers older than GOV.UK Frontend supports skip it and
// the portal works without JavaScript. Only runs when base.html has marked the body
// `govuk-frontend-supported`.
import { initAll } from './govuk-frontend.min.js'

initAll()
