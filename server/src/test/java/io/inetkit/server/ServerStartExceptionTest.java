package io.inetkit.server;

import io.inetkit.server.ServerStartException.BindFailure;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Errors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.UnknownHostException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** How a failed bind is classified: by the errno or by the facts, never by the message text. */
class ServerStartExceptionTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void theErrnoNamesTheCause() {
        assertThat(ServerStartException.byErrno(ServerStartException.EADDRINUSE)).contains(BindFailure.IN_USE);
        assertThat(ServerStartException.byErrno(ServerStartException.EACCES)).contains(BindFailure.NO_PERMISSION);
        assertThat(ServerStartException.byErrno(ServerStartException.EADDRNOTAVAIL)).contains(BindFailure.NOT_LOCAL);
        assertThat(ServerStartException.byErrno(22)).as("EINVAL is none of the three").isEmpty();
    }

    /** Netty's native exception carries the errno negated; its message is not read at all. */
    @Test
    void aNativeBindFailureIsReadByItsErrno() {
        assumeTrue(Epoll.isAvailable(), "the native library is needed to build Netty's exception");
        Errors.NativeIoException inUse = new Errors.NativeIoException("bind", -ServerStartException.EADDRINUSE);
        assertThat(ServerStartException.classify(inUse, LOOPBACK, 5005)).contains(BindFailure.IN_USE);
        Errors.NativeIoException denied = new Errors.NativeIoException("bind", -ServerStartException.EACCES);
        assertThat(ServerStartException.classify(denied, LOOPBACK, 80)).contains(BindFailure.NO_PERMISSION);
    }

    /** The JDK's BindException says nothing but text: the misleading text here must not matter. */
    @Test
    void aJdkBindFailureIsReadFromTheFacts() throws UnknownHostException {
        BindException misleading = new BindException("Permission denied");
        assertThat(ServerStartException.classify(misleading, LOOPBACK, 5005)).contains(BindFailure.IN_USE);
        assertThat(ServerStartException.classify(misleading, InetAddress.getByName("192.0.2.1"), 5005))
                .contains(BindFailure.NOT_LOCAL);
    }

    @Test
    void anotherFailureKeepsItsOwnMessage() {
        IOException other = new IOException("something else");
        assertThat(ServerStartException.classify(other, LOOPBACK, 5005)).isEmpty();
        assertThat(ServerStartException.bindFailed("tcp", LOOPBACK, 5005, other))
                .hasMessage("cannot listen on tcp 127.0.0.1:5005: something else");
    }
}
