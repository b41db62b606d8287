package dev.chaosctl.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

/**
 * Follows a control file (docs/control-file.md) and answers "does this call fire?".
 * A missing file means no faults; an invalid, unreadable, oversized or newer-version file
 * keeps the last good state and is reported through {@link #error()}, the error callback and
 * {@code System.Logger} "dev.chaosctl.control". Decisions never throw and read one
 * immutable snapshot through a volatile reference.
 */
public final class ControlReader implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.chaosctl.control");

    /** Options; the defaults are the production ones. */
    public static final class Options {
        long pollIntervalMillis = 1000;
        Long seed;
        boolean watch = true, follow = true;
        LongSupplier clockMillis = System::currentTimeMillis;
        Consumer<ControlFileException> onError;

        public Options pollIntervalMillis(long value) { pollIntervalMillis = Math.max(1, value); return this; }
        /** One SplitMix64 sequence for all flags (flags' own seed fields are then ignored). */
        public Options seed(long value) { seed = value; return this; }
        /** false: polling only (file systems without inotify). */
        public Options watch(boolean value) { watch = value; return this; }
        /** false: load once; {@link #reload()} reads again. */
        public Options follow(boolean value) { follow = value; return this; }
        public Options clockMillis(LongSupplier value) { clockMillis = value; return this; }
        public Options onError(Consumer<ControlFileException> value) { onError = value; return this; }
    }

    private final Path path;
    private final Options options;
    private final boolean readerSeeded;
    private final AtomicLong readerSequence;
    private volatile Document snapshot = Document.EMPTY;
    private volatile ControlFileException error;
    private final Object loadLock = new Object();
    private byte[] lastBytes;
    private Object lastIdentity;
    private WatchService watchService;
    private WatchKey watchKey;
    private volatile boolean stopped;
    private Thread thread;

    public ControlReader(String path) {
        this(path, new Options());
    }

    public ControlReader(String path, Options options) {
        this.path = Path.of(path).toAbsolutePath();
        this.options = options;
        this.readerSeeded = options.seed != null;
        this.readerSequence = new AtomicLong(options.seed == null ? 0 : options.seed);
        if (options.follow && options.watch) {
            try {
                watchService = FileSystems.getDefault().newWatchService();
                ensureWatching();   // before the first read, so no change is missed
            } catch (IOException e) {
                watchService = null;
            }
        }
        reload();
        if (options.follow) {
            thread = new Thread(this::follow, "chaos control watcher");
            thread.setDaemon(true);
            thread.start();
        }
    }

    public long generation() { return snapshot.generation; }

    /** Why the file on disk is not in force, or null. */
    public ControlFileException error() { return error; }

    /** The flag's params in force (empty when absent); numbers are Doubles. */
    public Map<String, Object> params(String name) {
        Document.Flag flag = snapshot.flags.get(name);
        return flag == null ? Collections.emptyMap() : flag.params;
    }

    /** Whether this call of flag {@code name} should inject its fault. No allocation. */
    public boolean fires(String name) {
        Document.Flag flag = snapshot.flags.get(name);
        return flag != null && fireDelay(flag) >= 0;
    }

    /**
     * One call's decision (sections 3.1 and 3.3). Not firing and firing without jitter return
     * shared instances; firing with jitter builds one small record, which the JIT removes when
     * the caller only reads it (escape analysis: decide() is small enough to inline). A caller
     * that keeps the record pays 32 bytes; {@link #fireDelayNanos} never allocates.
     */
    public Decision decide(String name) {
        Document.Flag flag = snapshot.flags.get(name);
        long delay = flag == null ? -1 : fireDelay(flag);
        if (delay < 0) return Decision.NONE;
        return flag.jitterNanos == 0 ? flag.fixed : new Decision(true, delay, flag.mode, flag.severity);
    }

    /**
     * The zero-allocation form of {@link #decide}: the delay in nanoseconds when this call
     * fires, -1 when it does not. The flag's mode and severity are {@link #mode} and {@link #severity}.
     */
    public long fireDelayNanos(String name) {
        Document.Flag flag = snapshot.flags.get(name);
        return flag == null ? -1 : fireDelay(flag);
    }

    /** The flag's mode in force ("fail", "fallback"), or null. */
    public String mode(String name) {
        Document.Flag flag = snapshot.flags.get(name);
        return flag == null ? null : flag.mode;
    }

    /** The flag's severity in force ("soft", "hard"), or null. */
    public String severity(String name) {
        Document.Flag flag = snapshot.flags.get(name);
        return flag == null ? null : flag.severity;
    }

    /**
     * Section 3.1 with 3.3's draw: enabled, not expired, one draw below the threshold, a
     * max_hits hit left; then the delay from that same draw. -1 when the call does not fire.
     */
    private long fireDelay(Document.Flag flag) {
        if (!flag.enabled) return -1;
        if (flag.hasExpiry && options.clockMillis.getAsLong() >= flag.expiresMillis) return -1;
        boolean seeded = readerSeeded || flag.seeded;
        long draw;
        if (readerSeeded) draw = SplitMix.mix(readerSequence.addAndGet(SplitMix.GOLDEN));
        else if (flag.seeded) draw = SplitMix.mix(flag.counters.sequence.addAndGet(SplitMix.GOLDEN));
        else draw = ThreadLocalRandom.current().nextLong();   // unseeded: any uniform source (3.3)
        if (!flag.always && !SplitMix.below(draw, flag.threshold)) return -1;
        if (flag.maxHits != 0 && !countHit(flag.counters.hits, flag.maxHits)) return -1;
        if (seeded || !flag.always || flag.jitterNanos == 0) {
            return SplitMix.delayNanos(draw, flag.latencyNanos, flag.jitterNanos);
        }
        // Unseeded at 100 %: the roll decided nothing, so the draw is the jitter's own
        // independent uniform bits (3.3, unseeded shortcut) and needs no second mix.
        return SplitMix.delayFromBits(draw, flag.latencyNanos, flag.jitterNanos);
    }

    /** Section 3.1 step 4: counts a firing unless max_hits is used up. */
    private static boolean countHit(AtomicLong hits, long maxHits) {
        while (true) {
            long seen = hits.get();
            if (seen >= maxHits) return false;
            if (hits.compareAndSet(seen, seen + 1)) return true;
        }
    }

    /** Reads the file now (e.g. on SIGHUP). Never throws. */
    public void reload() {
        synchronized (loadLock) {
            try {
                byte[] data = read();
                if (data == null) {
                    lastIdentity = null;
                    lastBytes = null;
                    error = null;
                    publish(Document.EMPTY);
                    return;
                }
                lastIdentity = identity();
                if (lastBytes != null && Arrays.equals(data, lastBytes)) return;
                lastBytes = data;
                Document document;
                try {
                    document = Document.parse(data);
                } catch (ControlFileException e) {
                    report(e.at(path.toString()));
                    return;
                }
                error = null;
                publish(document);
            } catch (ControlFileException e) {
                lastIdentity = identity();
                lastBytes = null;
                report(e);
            } catch (RuntimeException e) {
                report(new ControlFileException("cannot be read (" + e + ")", path.toString(), null, null, null));
            }
        }
    }

    private byte[] read() throws ControlFileException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) throw io("is not a regular file");
            long size = channel.size();
            if (size > Document.MAX_FILE_BYTES) {
                throw io("the control file is " + size + " bytes; the limit is " + Document.MAX_FILE_BYTES + " bytes (1 MiB)");
            }
            ByteBuffer buffer = ByteBuffer.allocate(Document.MAX_FILE_BYTES + 1);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // read until end of file or one byte past the limit
            }
            if (buffer.position() > Document.MAX_FILE_BYTES) throw io("the control file grew past the limit while being read");
            return Arrays.copyOf(buffer.array(), buffer.position());
        } catch (NoSuchFileException | NotDirectoryException e) {
            return null;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("Not a directory")) return null;
            throw io("cannot be read (" + e + ")");
        }
    }

    private ControlFileException io(String reason) {
        return new ControlFileException(reason, path.toString(), null, null, null);
    }

    private Object identity() {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            return Arrays.asList(a.fileKey(), a.size(), a.lastModifiedTime(), Files.getAttribute(path, "unix:ctime"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private void report(ControlFileException e) {
        error = e;
        LOG.log(System.Logger.Level.WARNING, "chaos control file ignored: " + e.getMessage());
        if (options.onError != null) {
            try {
                options.onError.accept(e);
            } catch (RuntimeException callbackFailure) {
                LOG.log(System.Logger.Level.WARNING, "chaos control onError failed", callbackFailure);
            }
        }
    }

    /** Flags whose JSON is unchanged keep their counters (max_hits, seed sequence). */
    private void publish(Document document) {
        Document old = snapshot;
        for (Map.Entry<String, Document.Flag> entry : document.flags.entrySet()) {
            Document.Flag previous = old.flags.get(entry.getKey());
            if (previous != null && previous.definition.equals(entry.getValue().definition)) {
                entry.getValue().counters = previous.counters;
            }
        }
        snapshot = document;
    }

    private boolean ensureWatching() {
        if (watchService == null || (watchKey != null && watchKey.isValid())) return false;
        try {
            watchKey = path.getParent().register(watchService, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;   // the directory does not exist yet: polled
        }
    }

    private void follow() {
        String name = path.getFileName().toString();
        long nextPoll = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.pollIntervalMillis);
        long ticks = 0;
        while (!stopped) {
            boolean changed = false;
            long wait = Math.max(0, nextPoll - System.nanoTime());
            try {
                WatchKey key = watchService != null && watchKey != null && watchKey.isValid()
                    ? watchService.poll(wait, TimeUnit.NANOSECONDS) : null;
                if (key == null && (watchService == null || watchKey == null || !watchKey.isValid())) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (key != null) {
                    for (WatchEvent<?> event : key.pollEvents()) {
                        String changedName = Objects.toString(event.context(), "");
                        if (!changedName.startsWith("." + name + ".tmp.") && !changedName.equals("." + name + ".lock")) changed = true;
                    }
                    key.reset();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            if (stopped) return;
            if (System.nanoTime() >= nextPoll) {
                nextPoll = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.pollIntervalMillis);
                ticks++;
                if (ensureWatching()) changed = true;
                Object seen;
                synchronized (loadLock) {
                    seen = lastIdentity;
                }
                if (!Objects.equals(identity(), seen) || ticks % 10 == 0) changed = true;
            }
            if (changed) reload();
        }
    }

    /** Stops following; the state in force stays. Idempotent. */
    @Override
    public void close() {
        stopped = true;
        if (thread != null) thread.interrupt();
        if (watchService != null) {
            try {
                watchService.close();
            } catch (IOException ignored) {
                // closing only releases the inotify descriptor
            }
        }
    }
}
