// The session timeout warning (GOV.UK's timeout pattern), progressive enhancement only:
// the server ends an idle session whether or not this runs (core/sessions.py).
//
// Shortly before the session would end, it asks the server how long is really left (another
// tab may have kept the session going), and if it is nearly over opens the dialog with a
// countdown. "Stay signed in" posts to /session/extend/ without leaving the page. When the
// time runs out it asks once more, and the server's answer sends the person to sign in.
const root = document.getElementById('session-timeout')

if (root) {
  const dialog = root.querySelector('dialog')
  const countdown = root.querySelector('[data-session-countdown]')
  const warnMs = Number(root.dataset.warnSeconds) * 1000
  let deadline = Date.now() + Number(root.dataset.secondsLeft) * 1000
  let timer = null
  let ticker = null

  const words = function (ms) {
    const seconds = Math.max(0, Math.ceil(ms / 1000))
    if (seconds >= 60) {
      const minutes = Math.ceil(seconds / 60)
      return minutes === 1 ? '1 minute' : minutes + ' minutes'
    }
    return seconds === 1 ? '1 second' : seconds + ' seconds'
  }

  const signIn = function () {
    const next = window.location.pathname + window.location.search
    window.location.assign(root.dataset.loginUrl + '?next=' + encodeURIComponent(next))
  }

  const schedule = function () {
    window.clearTimeout(timer)
    timer = window.setTimeout(check, Math.max(0, deadline - warnMs - Date.now()))
  }

  const tick = function () {
    const left = deadline - Date.now()
    countdown.textContent = words(left)
    if (left <= 0) {
      window.clearInterval(ticker)
      check()
    }
  }

  const show = function () {
    if (!dialog.open) dialog.showModal()
    tick()
    window.clearInterval(ticker)
    ticker = window.setInterval(tick, 1000)
  }

  const check = async function () {
    let status
    try {
      const response = await window.fetch(root.dataset.statusUrl, {
        credentials: 'same-origin',
        headers: { Accept: 'application/json' }
      })
      status = await response.json()
    } catch (error) {
      timer = window.setTimeout(check, 10000)
      return
    }
    if (!status.signed_in) {
      signIn()
      return
    }
    deadline = Date.now() + status.seconds_left * 1000
    if (status.seconds_left * 1000 > warnMs) {
      if (dialog.open) dialog.close()
      window.clearInterval(ticker)
      schedule()
    } else {
      show()
    }
  }

  dialog.querySelector('[data-session-extend]').addEventListener('click', async function () {
    try {
      const response = await window.fetch(root.dataset.extendUrl, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { Accept: 'application/json', 'X-CSRFToken': root.dataset.csrfToken }
      })
      const status = await response.json()
      if (!status.signed_in) {
        signIn()
        return
      }
      deadline = Date.now() + status.seconds_left * 1000
    } catch (error) {
      signIn()
      return
    }
    window.clearInterval(ticker)
    dialog.close()
    schedule()
  })

  schedule()
}
