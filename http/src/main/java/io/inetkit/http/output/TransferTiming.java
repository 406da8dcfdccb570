package io.inetkit.http.output;

/**
 * The clock of one transfer, for {@code -w}: seconds from its start to each step, as curl counts them.
 * A reused connection has no lookup, connect or TLS step: those times then equal the start.
 */
public final class TransferTiming {

    private final long start = System.nanoTime();
    private long nameLookup;
    private long connect;
    private long appConnect;
    private long preTransfer;
    private long startTransfer;
    private long end;
    private long redirect;

    public long start() {
        return start;
    }

    public void resolved() {
        nameLookup = System.nanoTime();
    }

    public void connected() {
        connect = System.nanoTime();
    }

    public void tlsDone() {
        appConnect = System.nanoTime();
    }

    public void requestSent() {
        preTransfer = System.nanoTime();
    }

    public void firstByte(long nanos) {
        if (startTransfer == 0 && nanos != 0) {
            startTransfer = nanos;
        }
    }

    /** A redirect is being followed: what came before counts as redirect time. */
    public void redirected() {
        redirect = System.nanoTime();
        startTransfer = 0;
    }

    public void ended() {
        end = System.nanoTime();
    }

    /** The steps of a transfer that {@code -w} times, each as seconds from the start ({@code time_connect}...). */
    enum Step { NAME_LOOKUP, CONNECT, APP_CONNECT, PRE_TRANSFER, START_TRANSFER, REDIRECT }

    /** Seconds from the start to the step; zero for a step this transfer did not take. */
    double seconds(Step step) {
        return seconds(switch (step) {
            case NAME_LOOKUP -> nameLookup;
            case CONNECT -> connect;
            case APP_CONNECT -> appConnect;
            case PRE_TRANSFER -> preTransfer;
            case START_TRANSFER -> startTransfer;
            case REDIRECT -> redirect;
        });
    }

    double totalSeconds() {
        return seconds(end == 0 ? System.nanoTime() : end);
    }

    public long elapsedMillis() {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private double seconds(long at) {
        return at == 0 ? 0 : (at - start) / 1e9;
    }
}
