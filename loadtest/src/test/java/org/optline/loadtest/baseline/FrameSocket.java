package org.optline.loadtest.baseline;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.ServerFrame;

/**
 * A binary-protocol client over a plain socket, framing with protobuf's own varint32 delimiters.
 * Writes are buffered until {@link #flush()}, so that several frames can go in one segment.
 * Reads time out after ten seconds so that a test never hangs.
 */
final class FrameSocket implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private FrameSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    static FrameSocket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(BaselineServerExtension.HOST, port), 5_000);
        socket.setSoTimeout(10_000);
        return new FrameSocket(socket);
    }

    FrameSocket write(ClientFrame frame) throws IOException {
        frame.writeDelimitedTo(out);
        return this;
    }

    /** Bytes as they are, for frames no real client would send. */
    FrameSocket writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        return this;
    }

    FrameSocket flush() throws IOException {
        out.flush();
        return this;
    }

    /** The next frame; null when the server closed the connection. */
    ServerFrame read() throws IOException {
        return ServerFrame.parseDelimitedFrom(in);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
