-- wrk script for the soak: a fixed mix of good and bad requests; counts status classes
-- per thread and reports them, with any 5xx, when the run ends.
local paths = {
  "/v1/measures?limit=50",
  "/v1/measures?role=lead&facet=agency",
  "/v1/measures/yubei-2020-online-economy-plan--p3.s4.i1",
  "/v1/agencies?facet=kind",
  "/v1/documents/hongkou-2020-online-new-economy-opinions",
  "/v1/goals?year=2018",
  "/v1/themes/online-healthcare",
  "/v1/references",
  "/v1/measures?q=%E5%8C%BB%E7%96%97",
  "/health",
  -- bad requests: unknown parameter, bad values, bad cursor, unknown id and route,
  -- invalid percent-encoding, hostile search syntax
  "/v1/measures?colour=red",
  "/v1/measures?limit=0",
  "/v1/measures?limit=abc",
  "/v1/measures?cursor=%%%%",
  "/v1/measures?cursor=bm90LWEtY3Vyc29y",
  "/v1/measures/no-such-measure",
  "/v1/nowhere",
  "/v1/measures?q=%22unbalanced",
  "/v1/measures?q=%FF%FE",
  "/v1/measures?role=boss",
  "/v1/documents/%00",
}
local counter = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counts = { ["2xx"] = 0, ["3xx"] = 0, ["4xx"] = 0, ["5xx"] = 0 }
  first_5xx = ""
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end

function response(status, headers, body)
  local class = tostring(math.floor(status / 100)) .. "xx"
  counts[class] = (counts[class] or 0) + 1
  if status >= 500 and first_5xx == "" then
    first_5xx = tostring(status) .. " " .. body
  end
end

function done(summary, latency, requests)
  local total = { ["2xx"] = 0, ["3xx"] = 0, ["4xx"] = 0, ["5xx"] = 0 }
  local example = ""
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for k, v in pairs(c) do total[k] = (total[k] or 0) + v end
    local f = thread:get("first_5xx")
    if f ~= "" then example = f end
  end
  io.write(string.format("status 2xx=%d 3xx=%d 4xx=%d 5xx=%d\n", total["2xx"], total["3xx"], total["4xx"], total["5xx"]))
  io.write(string.format("socket errors connect=%d read=%d write=%d timeout=%d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
  io.write(string.format("requests=%d p50_ms=%.2f p99_ms=%.2f\n", summary.requests,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
  if example ~= "" then io.write("first 5xx: " .. example .. "\n") end
end
