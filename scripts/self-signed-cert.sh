#!/usr/bin/env bash
# Makes a self-signed certificate for trying TLS locally, and optionally starts the gateway with
# TLS on both listeners using it:
#
#   scripts/self-signed-cert.sh            # writes optline-data/tls/{cert,key}.pem and tls.env
#   scripts/self-signed-cert.sh --start    # the same (if missing), then ./gateway with TLS on
#
# The certificate is for localhost and 127.0.0.1, valid 30 days, ECDSA P-256; the key is
# unencrypted PKCS#8, owner-only. Uses openssl when present, else the JDK's keytool (Java is
# the gateway's one prerequisite). For anything but a local trial, use a certificate from your
# authority: the gateway reads any PEM pair named by tls.certificate and tls.private-key.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${OPTLINE_TLS_DIR:-optline-data/tls}
mkdir -p "$DIR"
umask 077

if [ ! -f "$DIR/cert.pem" ] || [ ! -f "$DIR/key.pem" ]; then
  if command -v openssl >/dev/null 2>&1; then
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
      -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
      -keyout "$DIR/key.pem" -out "$DIR/cert.pem" 2>/dev/null
  else
    store="$DIR/self-signed.p12"
    rm -f "$store"
    keytool -genkeypair -alias optline -keyalg EC -groupname secp256r1 -validity 30 \
      -dname "CN=localhost" -ext "san=dns:localhost,ip:127.0.0.1" \
      -keystore "$store" -storetype PKCS12 -storepass optline-demo -keypass optline-demo >/dev/null
    keytool -exportcert -rfc -alias optline -keystore "$store" -storepass optline-demo > "$DIR/cert.pem"
    # keytool cannot write a private key as PEM: a few lines of Java can (run as a source file).
    exporter=$(mktemp --suffix=.java)
    cat > "$exporter" <<'JAVA'
import java.io.FileInputStream;
import java.security.KeyStore;
import java.util.Base64;
public class ExportKey {
    public static void main(String[] args) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(args[0])) { store.load(in, args[1].toCharArray()); }
        byte[] pkcs8 = store.getKey("optline", args[1].toCharArray()).getEncoded();
        System.out.print("-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n");
    }
}
JAVA
    java "$exporter" "$store" optline-demo > "$DIR/key.pem"
    rm -f "$exporter" "$store"
  fi
  echo "Made a self-signed certificate for localhost: $DIR/cert.pem (key: $DIR/key.pem)" >&2
fi

cat > "$DIR/tls.env" <<ENV
OPTLINE_HTTP_TLS=true
OPTLINE_TCP_TLS=true
OPTLINE_TLS_CERTIFICATE=$DIR/cert.pem
OPTLINE_TLS_PRIVATE_KEY=$DIR/key.pem
ENV

if [ "${1:-}" = "--start" ]; then
  shift
  set -a; . "$DIR/tls.env"; set +a
  echo "Starting with TLS on both listeners; try: curl --cacert $DIR/cert.pem https://localhost:8080/health/live" >&2
  exec ./gateway "$@"
fi
echo "TLS settings in $DIR/tls.env; start with: set -a; . $DIR/tls.env; set +a; ./gateway" >&2
