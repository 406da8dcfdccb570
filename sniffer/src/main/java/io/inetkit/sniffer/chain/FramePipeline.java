package io.inetkit.sniffer.chain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Queue;

/**
 * A chain of named {@link FrameHandler}s with the shape of Netty's {@code ChannelPipeline}, run on the
 * thread that feeds it: {@link #fireRead} enters at the first handler, each handler passes on with its
 * {@link FrameContext}, and handlers are added, replaced and removed by name.
 * <pre>
 *   fireRead(frame) -> [ "ethernet" ] -> [ "vlan" ] -> ... -> [ "output" ] -> tail
 *                                 \ throws
 *                                  +-> exceptionCaught: same handler, then the ones after it -> tail
 * </pre>
 * As in Netty, an exception a handler throws from {@code read} (or {@code readComplete}, {@code event})
 * is given to that handler's {@code exceptionCaught}, which by default passes it down the chain; it is
 * never thrown to the caller. What reaches the tail is kept, like {@code EmbeddedChannel}'s inbound
 * queue, for {@link #readInbound()} and {@link #checkException()}, unless the pipeline was made with
 * {@link Tail#DISCARD}.
 *
 * <p>Not thread-safe: one thread feeds it (or the feeding threads hand over with a happens-before edge).
 *
 * <p>Why not Netty's own pipeline in an {@code EmbeddedChannel}: see the sniffer's README. In short,
 * the frames are immutable records, not buffers, so Netty's channel, allocator and reference counting
 * would only add start-up time and a per-handler cost to a tool measured against tcpdump.
 *
 * <p>Over 300 lines because it is the whole of Netty's pipeline contract in one place (linking by name,
 * the fire/invoke pairs, the tail): split, the one invariant of the linked list would span two files.
 */
public final class FramePipeline {

    /** What happens to messages and exceptions that no handler consumed. */
    public enum Tail {
        /** Kept for {@link #readInbound()} and {@link #checkException()} (tests). */
        KEEP,
        /** Dropped (a capture must not accumulate what it does not print). */
        DISCARD
    }

    private final Tail tailMode;
    private final Context head;
    private final Context tail;
    private final Queue<Object> inbound = new ArrayDeque<>();
    private final List<Object> events = new ArrayList<>();
    private Throwable unhandled;

    /** A pipeline that keeps what reaches its tail. */
    public FramePipeline() {
        this(Tail.KEEP);
    }

    public FramePipeline(Tail tailMode) {
        this.tailMode = Objects.requireNonNull(tailMode, "tailMode");
        this.head = new Context(this, "head", new PassThrough());
        this.tail = new Context(this, "tail", new TailHandler());
        head.next = tail;
        tail.prev = head;
    }

    /** A pipeline of {@code handlers}, named after their classes, that keeps what reaches its tail. */
    public static FramePipeline of(FrameHandler... handlers) {
        FramePipeline p = new FramePipeline();
        for (FrameHandler h : handlers) {
            p.addLast(h.getClass().getSimpleName() + "#" + p.names().size(), h);
        }
        return p;
    }

    public FramePipeline addLast(String name, FrameHandler handler) {
        return link(tail.prev, context(name, handler));
    }

    public FramePipeline addFirst(String name, FrameHandler handler) {
        return link(head, context(name, handler));
    }

    public FramePipeline addBefore(String baseName, String name, FrameHandler handler) {
        return link(find(baseName).prev, context(name, handler));
    }

    public FramePipeline addAfter(String baseName, String name, FrameHandler handler) {
        return link(find(baseName), context(name, handler));
    }

    /** Removes the handler called {@code name} and returns it. */
    public FrameHandler remove(String name) {
        Context c = find(name);
        c.prev.next = c.next;
        c.next.prev = c.prev;
        return c.handler;
    }

    /** Puts {@code handler}, called {@code newName}, where the handler called {@code name} was. */
    public FrameHandler replace(String name, String newName, FrameHandler handler) {
        Context old = find(name);
        if (!name.equals(newName)) {
            checkUnique(newName);
        }
        Context c = new Context(this, newName, handler);
        c.prev = old.prev;
        c.next = old.next;
        old.prev.next = c;
        old.next.prev = c;
        return old.handler;
    }

    /** The handler called {@code name}, or null. */
    public FrameHandler get(String name) {
        for (Context c = head.next; c != tail; c = c.next) {
            if (c.name.equals(name)) {
                return c.handler;
            }
        }
        return null;
    }

    /** The handlers' names, first to last. */
    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (Context c = head.next; c != tail; c = c.next) {
            names.add(c.name);
        }
        return names;
    }

    /** Runs a message through the handlers. */
    public FramePipeline fireRead(Object msg) {
        head.fireRead(msg);
        return this;
    }

    /** Ends a batch: formatters flush. */
    public FramePipeline fireReadComplete() {
        head.fireReadComplete();
        return this;
    }

    public FramePipeline fireEvent(Object event) {
        head.fireEvent(event);
        return this;
    }

    /** The oldest message that reached the tail, or null (like {@code EmbeddedChannel.readInbound()}). */
    @SuppressWarnings("unchecked")
    public <T> T readInbound() {
        return (T) inbound.poll();
    }

    /** The events that reached the tail. */
    public List<Object> events() {
        return List.copyOf(events);
    }

    /** Throws (and forgets) an exception no handler consumed, as {@code EmbeddedChannel.checkException()}. */
    public void checkException() throws Exception {
        Throwable t = unhandled;
        unhandled = null;
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    private Context context(String name, FrameHandler handler) {
        Objects.requireNonNull(handler, "handler");
        checkUnique(name);
        return new Context(this, name, handler);
    }

    private void checkUnique(String name) {
        Objects.requireNonNull(name, "name");
        if (get(name) != null) {
            throw new IllegalArgumentException("duplicate handler name: " + name);
        }
    }

    private Context find(String name) {
        for (Context c = head.next; c != tail; c = c.next) {
            if (c.name.equals(name)) {
                return c;
            }
        }
        throw new NoSuchElementException("no handler called " + name);
    }

    private FramePipeline link(Context after, Context c) {
        c.prev = after;
        c.next = after.next;
        after.next.prev = c;
        after.next = c;
        return this;
    }

    private static final class PassThrough implements FrameHandler {
        @Override
        public void read(FrameContext ctx, Object msg) {
            ctx.fireRead(msg);
        }
    }

    private final class TailHandler implements FrameHandler {
        @Override
        public void read(FrameContext ctx, Object msg) {
            if (tailMode == Tail.KEEP) {
                inbound.add(msg);
            }
        }

        @Override
        public void readComplete(FrameContext ctx) {
        }

        @Override
        public void event(FrameContext ctx, Object event) {
            if (tailMode == Tail.KEEP) {
                events.add(event);
            }
        }

        @Override
        public void exceptionCaught(FrameContext ctx, Throwable cause) {
            if (tailMode == Tail.KEEP && unhandled == null) {
                unhandled = cause;
            }
        }
    }

    /** A handler's link in the chain. */
    private static final class Context implements FrameContext {
        private final FramePipeline pipeline;
        private final String name;
        private final FrameHandler handler;
        Context prev;
        Context next;

        Context(FramePipeline pipeline, String name, FrameHandler handler) {
            this.pipeline = pipeline;
            this.name = name;
            this.handler = handler;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void fireRead(Object msg) {
            next.invokeRead(msg);
        }

        @Override
        public void fireReadComplete() {
            next.invokeReadComplete();
        }

        @Override
        public void fireEvent(Object event) {
            next.invokeEvent(event);
        }

        @Override
        public void fireExceptionCaught(Throwable cause) {
            next.invokeExceptionCaught(cause);
        }

        void invokeRead(Object msg) {
            try {
                handler.read(this, msg);
            } catch (Throwable t) {
                invokeExceptionCaught(rethrowFatal(t));
            }
        }

        void invokeReadComplete() {
            try {
                handler.readComplete(this);
            } catch (Throwable t) {
                invokeExceptionCaught(rethrowFatal(t));
            }
        }

        void invokeEvent(Object event) {
            try {
                handler.event(this, event);
            } catch (Throwable t) {
                invokeExceptionCaught(rethrowFatal(t));
            }
        }

        void invokeExceptionCaught(Throwable cause) {
            try {
                handler.exceptionCaught(this, cause);
            } catch (Throwable t) {
                // a failing exception handler: hand its failure on rather than lose both
                rethrowFatal(t);
                if (next != null) {
                    next.invokeExceptionCaught(t);
                } else if (pipeline.tailMode == Tail.KEEP && pipeline.unhandled == null) {
                    pipeline.unhandled = t;
                }
            }
        }

        /** Out of memory or stack is not a frame's fault: let it through. */
        private static Throwable rethrowFatal(Throwable t) {
            if (t instanceof VirtualMachineError e) {
                throw e;
            }
            return t;
        }
    }
}
