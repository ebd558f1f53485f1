-- wrk script: POST /v1/messages with one message per request, each with a clientMessageId of
-- its own, as a sender does. Used by scripts/wrk-http.sh; the arguments follow wrk's "--":
--
--   wrk ... -s scripts/wrk-submit.lua http://127.0.0.1:8080/v1/messages -- RUN_ID BODY RECIPIENTS
--
-- RUN_ID   starts every clientMessageId, so that no run repeats an earlier run's ids (the
--          gateway would answer those from its idempotency window instead of admitting them)
-- BODY     json (one Message, the proto3 JSON mapping of docs/protocol.md 3.2) or protobuf
--          (a SubmitMessagesRequest of one Message, as the loadtest's HTTP lanes send it)
-- RECIPIENTS  how many recipients `loadtest seed` opted in: +447900000000 upwards
--
-- The key is read from OPTLINE_KEY, not from the command line, where `ps` would show it.
-- Every message is a balance alert (TRANSACTIONAL) to an opted-in recipient, so a gateway
-- must answer every one ACCEPTED; the calling script checks that against the gateway's counters.

local threads = {}

function setup(thread)
   thread:set("tid", #threads + 1)
   table.insert(threads, thread)
end

local prefix, body_kind, recipients, headers
local sent = 0

function init(args)
   local run_id = args[1] or ("wrk" .. os.time())
   body_kind = args[2] or "json"
   recipients = tonumber(args[3] or "10000")
   -- each wrk thread has its own Lua state and counter: the thread number keeps ids apart
   prefix = run_id .. "-" .. tid .. "-"
   local key = os.getenv("OPTLINE_KEY") or "any"
   if body_kind == "protobuf" then
      headers = { ["Content-Type"] = "application/x-protobuf", ["Accept"] = "application/x-protobuf",
                  ["Authorization"] = "Bearer " .. key }
   elseif body_kind == "json" then
      headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }
   else
      error("BODY must be json or protobuf, not " .. body_kind)
   end
end

-- a protobuf length-delimited field whose length fits one byte, which every field here does
local function field(tag, bytes)
   assert(#bytes < 128, "field too long for a one-byte length")
   return string.char(tag, #bytes) .. bytes
end

function request()
   sent = sent + 1
   local id = prefix .. sent
   -- threads start at different recipients, and each walks the seeded range
   local recipient = string.format("+447900%06d", (sent * 7 + tid) % recipients)
   local cents = (sent * 7919) % 1000000
   local text = string.format("Your balance is %d.%02d EUR", math.floor(cents / 100), cents % 100)
   local body
   if body_kind == "protobuf" then
      -- Message: client_message_id = 1, recipient = 2, declared_category = 3 (TRANSACTIONAL = 1), text = 4
      local message = field(0x0A, id) .. field(0x12, recipient) .. string.char(0x18, 0x01) .. field(0x22, text)
      body = field(0x0A, message)
   else
      body = string.format('{"clientMessageId":"%s","recipient":"%s","declaredCategory":"TRANSACTIONAL","text":"%s"}',
         id, recipient, text)
   end
   return wrk.format("POST", nil, headers, body)
end
