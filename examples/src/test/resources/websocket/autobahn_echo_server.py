#!/usr/bin/env python3
"""A WebSocket echo server on Autobahn|Python (asyncio), for Courier's interop tests.

Usage: autobahn_echo_server.py PORT MODE
  MODE plain        accept no extension
  MODE deflate      accept permessage-deflate as offered (context takeover both ways)
  MODE deflate-lean accept permessage-deflate asking the client for no context takeover, and
                    compress with no context takeover and a 1 KiB window (10 bits)

Echoes every text and binary message as it came. Listens on 127.0.0.1 until killed.
"""
import asyncio
import sys

import txaio

from autobahn.asyncio.websocket import WebSocketServerFactory, WebSocketServerProtocol
from autobahn.websocket.compress import PerMessageDeflateOffer, PerMessageDeflateOfferAccept


class EchoProtocol(WebSocketServerProtocol):
    def onMessage(self, payload, isBinary):
        self.sendMessage(payload, isBinary)


def accept_deflate(lean):
    def accept(offers):
        for offer in offers:
            if isinstance(offer, PerMessageDeflateOffer):
                if lean:
                    return PerMessageDeflateOfferAccept(
                        offer, request_no_context_takeover=True,
                        no_context_takeover=True, window_bits=10)
                return PerMessageDeflateOfferAccept(offer)
        return None
    return accept


def main():
    port = int(sys.argv[1])
    mode = sys.argv[2]
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    txaio.config.loop = loop
    factory = WebSocketServerFactory("ws://127.0.0.1:%d" % port, loop=loop)
    factory.protocol = EchoProtocol
    factory.setProtocolOptions(maxMessagePayloadSize=32 * 1024 * 1024,
                               maxFramePayloadSize=32 * 1024 * 1024)
    if mode == "deflate":
        factory.setProtocolOptions(perMessageCompressionAccept=accept_deflate(False))
    elif mode == "deflate-lean":
        factory.setProtocolOptions(perMessageCompressionAccept=accept_deflate(True))
    elif mode != "plain":
        sys.exit("unknown mode " + mode)
    server = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", port))
    print("listening on 127.0.0.1:%d (%s)" % (port, mode), flush=True)
    try:
        loop.run_forever()
    finally:
        server.close()


if __name__ == "__main__":
    main()
