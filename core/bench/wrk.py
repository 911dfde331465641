"""wrk, the HTTP load tool: the Lua script that makes it report what the bench needs, and
the parser of that report.

wrk's own summary has no 95th percentile and counts only 4xx/5xx as errors; the script's
`done` prints one JSON line with the percentiles (microseconds), the requests, the bytes and
every response that was not a 2xx (a redirect to the sign-in page is an error here).
"""

import json
import shlex
from dataclasses import dataclass

MARKER = "BENCH-RESULT "

LUA_SCRIPT = r"""
-- Counts responses that are not 2xx per thread; `done` adds them up.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    not2xx = not2xx + 1
  end
end

function done(summary, latency, requests)
  local errors = 0
  for _, thread in ipairs(threads) do
    errors = errors + thread:get("not2xx")
  end
  local socket_errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format(
    'BENCH-RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "not_2xx": %d, '
    .. '"socket_errors": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, summary.bytes, errors, socket_errors,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


@dataclass(frozen=True)
class LoadResult:
    """What one wrk run measured: times in milliseconds."""

    requests: int
    seconds: float
    bytes: int
    errors: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def bytes_per_request(self) -> int:
        return round(self.bytes / self.requests) if self.requests else 0


def wrk_command(
    *,
    url: str,
    script: str,
    seconds: int,
    connections: int = 8,
    threads: int = 2,
    cookie: str = "",
    timeout_seconds: int = 30,
) -> list[str]:
    """The wrk command line for one page."""
    command = [
        "wrk",
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        f"--timeout={timeout_seconds}s",
        f"--script={script}",
    ]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    return [*command, url]


def parse_wrk(output: str) -> LoadResult:
    """The result line the script prints, read from wrk's whole output."""
    for line in output.splitlines():
        if line.startswith(MARKER):
            data = json.loads(line.removeprefix(MARKER))
            break
    else:
        raise ValueError(f"No result in wrk's output: {shlex.quote(output[-500:])}")
    return LoadResult(
        requests=data["requests"],
        seconds=data["duration_us"] / 1_000_000,
        bytes=data["bytes"],
        errors=data["not_2xx"] + data["socket_errors"],
        p50_ms=data["p50_us"] / 1000,
        p95_ms=data["p95_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        max_ms=data["max_us"] / 1000,
    )
