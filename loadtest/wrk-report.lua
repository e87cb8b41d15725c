-- wrk's summary as one JSON line (latencies in ms), for scripts/loadtest.sh.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "errors": %d, "seconds": %.1f, "throughput_rps": %.1f, '
      .. '"latency_ms": {"p50": %.3f, "p95": %.3f, "p99": %.3f, "max": %.3f}}\n',
    summary.requests, errors, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
