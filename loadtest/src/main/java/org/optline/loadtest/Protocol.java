package org.optline.loadtest;

/** The gateway interface a run sends its messages through. */
enum Protocol {
    /** The binary protocol: varint32-delimited protobuf frames, pipelined. */
    TCP,
    /** {@code POST /v1/messages} with protobuf bodies, one request in flight per connection. */
    HTTP
}
