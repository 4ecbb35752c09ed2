-- wrk script for POST /predict: wrk -s mlops-benchmarks/wrk/predict.lua <url> -- <body.json> <token> [delay_ms]
-- The body and token come from ServingBenchmark's serve mode (-Dserving.serve.seconds=N), which prints them.
-- With a delay, each connection waits delay_ms between requests, so -c C with delay D offers about C*1000/D req/s.
local delay_ms = 0
function init(args)
  local f = assert(io.open(args[1], "rb"))
  wrk.body = f:read("*a")
  f:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. args[2]
  delay_ms = tonumber(args[3] or "0")
end
function delay()
  return delay_ms
end
function response(status, headers, body)
  if status ~= 200 then
    print("status " .. status .. ": " .. body)
  end
end
