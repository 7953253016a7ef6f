"""A mail server for the tests of store/mail: Debian's aiosmtpd on loopback.

Usage: smtpd.py PORT DIR [CERT KEY [USER PASSWORD]]

Each message it takes is written to DIR as NAME.eml, with NAME.json beside it
(the envelope, whether the session was TLS and authenticated). With CERT and
KEY it offers STARTTLS and requires it; with USER and PASSWORD it requires
AUTH (PLAIN or LOGIN, over TLS only). A recipient whose address starts with
"refuse" gets a permanent 550 that echoes the address. Prints "ready" once
listening, then serves until killed.
"""
import json
import os
import ssl
import sys
import threading
import time
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, outdir):
        self.outdir = outdir

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse"):
            return "550 5.1.1 <%s>: recipient address rejected" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = "%020d-%s" % (time.time_ns(), uuid.uuid4().hex[:8])
        meta = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "auth": session.authenticated,
        }
        with open(os.path.join(self.outdir, name + ".json"), "w") as f:
            json.dump(meta, f)
        tmp = os.path.join(self.outdir, "." + name)
        with open(tmp, "wb") as f:
            f.write(envelope.original_content)
        os.rename(tmp, os.path.join(self.outdir, name + ".eml"))
        return "250 Message accepted for delivery"


def main():
    port, outdir = int(sys.argv[1]), sys.argv[2]
    kwargs = {}
    if len(sys.argv) >= 5:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(sys.argv[3], sys.argv[4])
        kwargs.update(tls_context=ctx, require_starttls=True)
    if len(sys.argv) >= 7:
        user, password = sys.argv[5].encode(), sys.argv[6].encode()

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login == user and auth_data.password == password
            return AuthResult(success=ok, handled=False, auth_data=auth_data)

        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=True)
    controller = Controller(Handler(outdir), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    print("ready", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
