-- wrk -s bench/percentiles.lua: prints the latency percentiles wrk's --latency leaves out (p95 among them),
-- one per line as "percentile <P> <microseconds>", for bench/run.py to read.
done = function(summary, latency, requests)
  for _, p in ipairs({50, 90, 95, 99}) do
    io.write(string.format("percentile %d %d\n", p, latency:percentile(p)))
  end
end
