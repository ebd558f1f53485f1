package org.optline.server.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.optline.proto.v1.Authenticate;
import org.optline.proto.v1.ClientFrame;
import org.optline.proto.v1.ServerFrame;

/**
 * A blocking client of the binary protocol for end-to-end tests: writes frames with
 * {@code writeDelimitedTo}, reads them with {@code parseDelimitedFrom}, and can write raw bytes
 * for the malformed-input tests. Reads time out after ten seconds so a test never hangs.
 */
public final class TestTcpClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private TestTcpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = new BufferedOutputStream(socket.getOutputStream());
    }

    static TestTcpClient connect(int port) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            return new TestTcpClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Authenticates and returns the server's answer. */
    public ServerFrame authenticate(String apiKey) {
        send(ClientFrame.newBuilder().setAuthenticate(Authenticate.newBuilder().setApiKey(apiKey)).build());
        return receive();
    }

    public void send(ClientFrame frame) {
        write(frame);
        flush();
    }

    /** Writes without flushing, to pipeline many frames in one go. */
    public void write(ClientFrame frame) {
        try {
            frame.writeDelimitedTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void writeRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next frame, or null when the server closed the connection. */
    public ServerFrame receive() {
        try {
            return ServerFrame.parseDelimitedFrom(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when the server has closed the connection (the next read sees end of stream). */
    public boolean isClosedByServer() {
        try {
            return in.read() == -1;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a test socket: nothing to do about a failure.
        }
    }
}
