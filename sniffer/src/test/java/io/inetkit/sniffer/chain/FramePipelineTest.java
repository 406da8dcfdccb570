package io.inetkit.sniffer.chain;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FramePipelineTest {

    /** Appends its name to each String message. */
    record Tag(String tag) implements FrameHandler {
        @Override
        public void read(FrameContext ctx, Object msg) {
            ctx.fireRead(msg + tag);
        }
    }

    @Test
    void messagesFlowFirstToLastAndReachTheTail() {
        FramePipeline p = new FramePipeline().addLast("a", new Tag("a")).addLast("b", new Tag("b"));
        p.fireRead("x");
        assertThat(p.<String>readInbound()).isEqualTo("xab");
        assertThat(p.<String>readInbound()).isNull();
    }

    @Test
    void handlersAreAddedReplacedAndRemovedByName() {
        FramePipeline p = new FramePipeline().addLast("b", new Tag("b")).addFirst("a", new Tag("a"))
                .addAfter("b", "d", new Tag("d")).addBefore("d", "c", new Tag("c"));
        assertThat(p.names()).containsExactly("a", "b", "c", "d");
        p.replace("c", "C", new Tag("C"));
        assertThat(p.remove("a")).isEqualTo(new Tag("a"));
        assertThat(p.names()).containsExactly("b", "C", "d");
        assertThat(p.get("C")).isEqualTo(new Tag("C"));
        assertThat(p.get("a")).isNull();
        p.fireRead("x");
        assertThat(p.<String>readInbound()).isEqualTo("xbCd");
    }

    @Test
    void namesAreUniqueAndMustExist() {
        FramePipeline p = new FramePipeline().addLast("a", new Tag("a"));
        assertThatThrownBy(() -> p.addLast("a", new Tag("z"))).hasMessage("duplicate handler name: a");
        assertThatThrownBy(() -> p.remove("nope")).hasMessage("no handler called nope");
    }

    @Test
    void anExceptionGoesToTheThrowersExceptionCaughtThenDownTheChainNeverToTheCaller() throws Exception {
        List<String> seen = new ArrayList<>();
        FramePipeline p = new FramePipeline()
                .addLast("boom", (ctx, msg) -> {
                    throw new IllegalStateException("bad " + msg);
                })
                .addLast("after", new FrameHandler() {
                    @Override
                    public void read(FrameContext ctx, Object msg) {
                        seen.add("read " + msg);
                    }

                    @Override
                    public void exceptionCaught(FrameContext ctx, Throwable cause) {
                        seen.add("caught " + cause.getMessage());
                        ctx.fireExceptionCaught(cause);
                    }
                });
        p.fireRead("x");
        p.fireRead("y");
        assertThat(seen).containsExactly("caught bad x", "caught bad y");
        assertThatThrownBy(p::checkException).isInstanceOf(IllegalStateException.class).hasMessage("bad x");
        p.checkException(); // forgotten once thrown
    }

    @Test
    void batchEndsAndEventsPassThroughByDefault() {
        List<String> seen = new ArrayList<>();
        FramePipeline p = new FramePipeline().addLast("pass", (ctx, msg) -> ctx.fireRead(msg))
                .addLast("watch", new FrameHandler() {
                    @Override
                    public void read(FrameContext ctx, Object msg) {
                    }

                    @Override
                    public void readComplete(FrameContext ctx) {
                        seen.add("complete");
                    }

                    @Override
                    public void event(FrameContext ctx, Object event) {
                        seen.add("event " + event);
                        ctx.fireEvent(event);
                    }
                });
        p.fireReadComplete().fireEvent(CaptureEnded.INSTANCE);
        assertThat(seen).containsExactly("complete", "event INSTANCE");
        assertThat(p.events()).containsExactly(CaptureEnded.INSTANCE);
    }

    @Test
    void aDiscardingTailKeepsNothing() throws Exception {
        FramePipeline p = new FramePipeline(FramePipeline.Tail.DISCARD)
                .addLast("boom", (ctx, msg) -> {
                    throw new IllegalStateException("x");
                });
        p.fireRead("x");
        p.fireEvent("e");
        assertThat(p.<Object>readInbound()).isNull();
        assertThat(p.events()).isEmpty();
        p.checkException();
    }

    @Test
    void outOfMemoryIsNotAFramesFault() {
        FramePipeline p = new FramePipeline().addLast("oom", (ctx, msg) -> {
            throw new OutOfMemoryError("test");
        });
        assertThatThrownBy(() -> p.fireRead("x")).isInstanceOf(OutOfMemoryError.class);
    }
}
