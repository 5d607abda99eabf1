-- Each request is a distinct Suricata alert (own flow id and source address), as a SIEM forwards them.
local counter = 0
local thread_id = 0
function setup(thread) thread:set("id", thread_id); thread_id = thread_id + 1 end
function init(args) counter = id * 100000000 end
request = function()
  counter = counter + 1
  local body = string.format('{"timestamp":"2026-11-25T10:00:00.000000+0000","flow_id":%d,"event_type":"alert","src_ip":"198.51.%d.%d","src_port":4904,"dest_ip":"10.0.0.2","dest_port":22,"proto":"TCP","alert":{"action":"allowed","gid":1,"signature_id":2001219,"rev":1,"signature":"ET SCAN Potential SSH Scan","category":"Attempted Information Leak","severity":2}}',
    counter, math.floor(counter / 250) % 250, counter % 250 + 1)
  return wrk.format("POST", "/api/v1/webhooks/suricata", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. os.getenv("INGEST_KEY")}, body)
end
