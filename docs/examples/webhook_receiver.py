# A tiny webhook receiver: prints each event and whether its signature verifies.
import hashlib, hmac, http.server, json, os, time

SECRET = os.environ["OPTLINE_WEBHOOK_SECRET"]

def verify(header, body, secret, tolerance=300):
    parts = [p.split("=", 1) for p in header.split(",")]
    t = next((v for k, v in parts if k.strip() == "t"), None)
    if t is None or abs(time.time() - int(t)) > tolerance:
        return False
    expected = hmac.new(secret.encode(), t.encode() + b"." + body, hashlib.sha256).hexdigest()
    return any(k.strip() == "v1" and hmac.compare_digest(expected, v.strip()) for k, v in parts)

class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        ok = verify(self.headers.get("Optline-Signature", ""), body, SECRET)
        for event in json.loads(body)["events"]:
            print("signature", "ok" if ok else "BAD", event["state"], event["messageId"], event["at"], flush=True)
        self.send_response(204 if ok else 401)
        self.end_headers()

    def log_message(self, *args):
        pass

http.server.HTTPServer(("127.0.0.1", 8099), Receiver).serve_forever()
