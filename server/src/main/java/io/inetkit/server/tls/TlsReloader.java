package io.inetkit.server.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the certificate files of the TLS listeners and reloads when one changed: every
 * {@link TlsSettings#reloadCheck()} it compares each file's modification time, size and file key (a
 * Kubernetes secret's symlink swap changes the key), on a thread of its own so no event loop reads files.
 * A change seen while a rotation is still being written (new certificate, old key) fails the reload, which
 * keeps the old certificates; the next check, after the key is written too, succeeds.
 */
public final class TlsReloader implements AutoCloseable {

    private final List<Path> files;
    private final Runnable reload;
    private final ScheduledExecutorService timer;
    private List<Object> seen;

    private TlsReloader(List<Path> files, Runnable reload, ScheduledExecutorService timer) {
        this.files = files;
        this.reload = reload;
        this.timer = timer;
        this.seen = stamps();
    }

    /** Checks the files of {@code settings} until closed; null when there is nothing to watch. */
    public static TlsReloader start(TlsSettings settings, Runnable reload) {
        if (settings.files().isEmpty() || settings.reloadCheck().isZero()) {
            return null;
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "inetkit-tls-reload");
            t.setDaemon(true);
            return t;
        });
        TlsReloader watcher = new TlsReloader(new ArrayList<>(settings.files()), reload, timer);
        long every = settings.reloadCheck().toMillis();
        timer.scheduleWithFixedDelay(watcher::check, every, every, TimeUnit.MILLISECONDS);
        return watcher;
    }

    private void check() {
        List<Object> now = stamps();
        if (!now.equals(seen)) {
            seen = now;
            reload.run();
        }
    }

    private List<Object> stamps() {
        List<Object> stamps = new ArrayList<>();
        for (Path f : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                stamps.add(List.of(a.lastModifiedTime(), a.size(), Objects.toString(a.fileKey())));
            } catch (IOException e) {
                stamps.add("missing");
            }
        }
        return stamps;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
