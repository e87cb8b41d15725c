"""An SMTP server for the tests: aiosmtpd on loopback with STARTTLS and
AUTH PLAIN (user "cleanstation", password "mail-secret"), required before
MAIL; and, on TLS_PORT, the same over TLS from the first byte (smtps). Every accepted message is written as JSON to MAILDIR, named after its
Message-ID; the recipient refuse@… is answered with a 550.
Usage: smtp_server.py PORT TLS_PORT CERT KEY MAILDIR"""
import json, os, ssl, sys, time, uuid
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, tls_port, cert, key, maildir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]


class Handler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse@"):
            return "550 refused for the test"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        content = envelope.content.decode("utf-8", "replace")
        message_id = next((line.split("<", 1)[1].split("@", 1)[0] for line in content.split("\r\n")
                           if line.lower().startswith("message-id:") and "<" in line), str(uuid.uuid4()))
        record = {"from": envelope.mail_from, "rcpt": envelope.rcpt_tos, "content": content,
                  "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None, "auth": session.authenticated}
        path = os.path.join(maildir, f"{message_id}.json")
        with open(path + ".tmp", "w") as file:
            json.dump(record, file)
        os.rename(path + ".tmp", path)
        return "250 Message accepted"


def authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"cleanstation" and auth_data.password == b"mail-secret"
    return AuthResult(success=ok)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
controller = Controller(Handler(), hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                        authenticator=authenticate, auth_required=True, auth_require_tls=True)
controller.start()
# aiosmtpd marks only STARTTLS sessions as encrypted, so its own check is
# off here; the record's "tls" comes from the connection itself.
implicit = Controller(Handler(), hostname="127.0.0.1", port=tls_port, ssl_context=context,
                      authenticator=authenticate, auth_required=True, auth_require_tls=False)
implicit.start()
print("ready", flush=True)
try:
    while True:
        time.sleep(3600)
finally:
    controller.stop()
    implicit.stop()
