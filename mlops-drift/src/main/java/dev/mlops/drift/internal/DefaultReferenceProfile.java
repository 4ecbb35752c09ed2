package dev.mlops.drift.internal;

import dev.mlops.core.NotFoundException;
import dev.mlops.core.ResourceUnavailableException;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.StoreCorruptedException;
import dev.mlops.core.table.Column;
import dev.mlops.core.table.Table;
import dev.mlops.drift.ColumnKind;
import dev.mlops.drift.ReferenceProfile;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;

/** The {@link ReferenceProfile} of {@link ReferenceProfile#of}. */
public final class DefaultReferenceProfile implements ReferenceProfile {

    private static final int MAGIC = 0x4D4C4450; // "MLDP"
    /** Written by this release; version 1 (exact columns only) is still read. */
    private static final int VERSION = 2;
    private static final byte SORTED = 0;
    private static final byte COUNTS = 1;
    private static final byte SKETCH = 2;

    private final long rows;
    private final Map<String, ColumnProfile> columns;

    private DefaultReferenceProfile(long rows, Map<String, ColumnProfile> columns) {
        this.rows = rows;
        this.columns = columns;
    }

    public static DefaultReferenceProfile of(Table reference, Collection<String> categorical) {
        return of(reference, categorical, 0, Runnable::run);
    }

    /**
     * The profile of {@code reference}: numeric columns exact ({@code sketchK == 0}) or as quantile sketches of
     * size {@code sketchK}; columns are profiled in parallel by the calling thread and up to (cores - 1) tasks
     * on {@code executor}.
     */
    public static DefaultReferenceProfile of(Table reference, Collection<String> categorical, int sketchK, Executor executor) {
        Set<String> cat = Set.copyOf(categorical);
        for (String c : cat) {
            reference.schema().position(c); // throws ColumnNotFoundException listing the columns
        }
        List<Column> cols = new ArrayList<>();
        List<ColumnKind> kinds = new ArrayList<>();
        for (Column c : reference.columns()) {
            ColumnKind kind = cat.contains(c.name()) ? ColumnKind.CATEGORICAL : switch (c.type()) {
                case DOUBLE, LONG -> ColumnKind.NUMERIC;
                case STRING, BOOLEAN -> ColumnKind.CATEGORICAL;
                case TIMESTAMP -> null;
            };
            if (kind != null) {
                cols.add(c);
                kinds.add(kind);
            }
        }
        ColumnProfile[] done = new ColumnProfile[cols.size()];
        Parallel.forEach(cols.size(), executor, i -> {
            Column c = cols.get(i);
            done[i] = sketchK > 0 && kinds.get(i) == ColumnKind.NUMERIC ? Samples.sketchProfile(c.name(), c, sketchK)
                    : Samples.profile(c.name(), kinds.get(i), c);
        });
        Map<String, ColumnProfile> out = new LinkedHashMap<>();
        for (ColumnProfile p : done) {
            out.put(p.name(), p);
        }
        return new DefaultReferenceProfile(reference.rowCount(), out);
    }

    /** The profile of one column, or {@code null}. */
    public ColumnProfile column(String name) {
        return columns.get(name);
    }

    @Override
    public long rows() {
        return rows;
    }

    @Override
    public List<String> columns() {
        return List.copyOf(columns.keySet());
    }

    @Override
    public ColumnKind kind(String column) {
        ColumnProfile p = columns.get(column);
        if (p == null) {
            throw new NotFoundException("profiled column", column, columns.keySet());
        }
        return p.kind();
    }

    @Override
    public long rankErrorBound(String column) {
        ColumnProfile p = columns.get(column);
        if (p == null) {
            throw new NotFoundException("profiled column", column, columns.keySet());
        }
        return p.rankErrorBound();
    }

    @Override
    public long rank(String column, double x) {
        ColumnProfile p = columns.get(column);
        if (p == null) {
            throw new NotFoundException("profiled column", column, columns.keySet());
        }
        if (p.kind() != ColumnKind.NUMERIC) {
            throw new IllegalArgumentException("column '" + column + "' is categorical; rank needs a numeric column");
        }
        if (Double.isNaN(x)) {
            throw new IllegalArgumentException("rank of NaN in column '" + column + "'");
        }
        if (p.sketch() != null) {
            return p.sketch().rank(x);
        }
        double[] a = p.sorted();
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public boolean sketched(String column) {
        ColumnProfile p = columns.get(column);
        if (p == null) {
            throw new NotFoundException("profiled column", column, columns.keySet());
        }
        return p.sketch() != null;
    }

    @Override
    public ReferenceProfile merge(ReferenceProfile other) {
        DefaultReferenceProfile o = (DefaultReferenceProfile) other;
        if (!o.columns.keySet().equals(columns.keySet())) {
            throw new SchemaMismatchException(null, "columns " + columns.keySet(), "columns " + o.columns.keySet(),
                    "profile the same columns in every partition");
        }
        Map<String, ColumnProfile> out = new LinkedHashMap<>();
        for (ColumnProfile p : columns.values()) {
            ColumnProfile q = o.columns.get(p.name());
            if (q.kind() != p.kind()) {
                throw new SchemaMismatchException(p.name(), p.kind().id(), q.kind().id(),
                        "list the column as categorical in every partition or in none");
            }
            out.put(p.name(), p.merge(q));
        }
        return new DefaultReferenceProfile(rows + o.rows, out);
    }

    @Override
    public void save(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                OutputStream raw = Channels.newOutputStream(ch);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
                out.writeInt(MAGIC);
                out.writeInt(VERSION);
                out.writeLong(rows);
                out.writeInt(columns.size());
                for (ColumnProfile p : columns.values()) {
                    out.writeUTF(p.name());
                    out.writeByte(p.kind().ordinal());
                    out.writeLong(p.missing());
                    if (p.sketch() != null) {
                        out.writeByte(SKETCH);
                        p.sketch().write(out);
                    } else if (p.kind() == ColumnKind.NUMERIC) {
                        out.writeByte(SORTED);
                        out.writeInt(p.sorted().length);
                        for (double v : p.sorted()) {
                            out.writeDouble(v);
                        }
                    } else {
                        out.writeByte(COUNTS);
                        out.writeInt(p.counts().size());
                        for (Map.Entry<String, Long> e : p.counts().entrySet()) {
                            out.writeUTF(e.getKey());
                            out.writeLong(e.getValue());
                        }
                    }
                }
                out.writeInt(MAGIC); // trailer: a file cut short lacks it
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
            forceDirectory(dir);
        } catch (IOException e) {
            throw new ResourceUnavailableException(file.toString(), "cannot write the reference profile: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; that failure is what the caller sees
                }
            }
        }
    }

    /** Makes the rename durable: fsync of the directory (where the platform allows opening one). */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; the rename itself is atomic there all the same.
        }
    }

    public static DefaultReferenceProfile load(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                throw new StoreCorruptedException(file, "not a drift reference profile (no MLDP magic number)",
                        "point at a file written by ReferenceProfile.save");
            }
            int version = in.readInt();
            if (version != 1 && version != VERSION) {
                throw new StoreCorruptedException(file, "profile format version " + version + ", this library reads " + VERSION,
                        "re-create the profile with this library version");
            }
            long fileSize = Files.size(file);
            long rows = in.readLong();
            int n = in.readInt();
            Map<String, ColumnProfile> cols = new LinkedHashMap<>();
            for (int c = 0; c < n; c++) {
                String name = in.readUTF();
                ColumnKind kind = ColumnKind.values()[in.readByte()];
                long missing = version == 1 ? in.readInt() : in.readLong();
                byte repr = version == 1 ? (kind == ColumnKind.NUMERIC ? SORTED : COUNTS) : in.readByte();
                if (repr == SKETCH) {
                    if (kind != ColumnKind.NUMERIC) {
                        throw new StoreCorruptedException(file, "column '" + name + "' is categorical but holds a quantile sketch",
                                "re-create the profile");
                    }
                    cols.put(name, new ColumnProfile(name, kind, null, null, QuantileSketch.read(in), missing));
                    continue;
                }
                if (repr != SORTED && repr != COUNTS || (repr == SORTED) != (kind == ColumnKind.NUMERIC)) {
                    throw new StoreCorruptedException(file, "column '" + name + "' has representation " + repr
                            + " for a " + kind.id() + " column", "re-create the profile");
                }
                int size = in.readInt();
                if (size < 0 || (long) size * 8 > fileSize) {
                    throw new StoreCorruptedException(file, "column '" + name + "' claims " + size
                            + " values but the file has " + fileSize + " bytes: truncated or damaged", "re-create the profile");
                }
                if (kind == ColumnKind.NUMERIC) {
                    double[] v = new double[size];
                    for (int i = 0; i < size; i++) {
                        v[i] = in.readDouble();
                    }
                    cols.put(name, new ColumnProfile(name, kind, v, null, missing));
                } else {
                    TreeMap<String, Long> counts = new TreeMap<>();
                    for (int i = 0; i < size; i++) {
                        counts.put(in.readUTF(), in.readLong());
                    }
                    cols.put(name, new ColumnProfile(name, kind, null, counts, missing));
                }
            }
            if (in.readInt() != MAGIC || in.read() != -1) {
                throw new StoreCorruptedException(file, "bad trailer or trailing bytes", "re-create the profile");
            }
            return new DefaultReferenceProfile(rows, cols);
        } catch (NoSuchFileException e) {
            throw new NotFoundException("reference profile", file.toString(), List.of());
        } catch (EOFException | ArrayIndexOutOfBoundsException | UTFDataFormatException | NegativeArraySizeException e) {
            throw new StoreCorruptedException(file, "truncated or damaged (" + e.getClass().getSimpleName() + ")",
                    "re-create the profile from the reference data", e);
        } catch (QuantileSketch.SketchFormatException e) {
            throw new StoreCorruptedException(file, "damaged quantile sketch: " + e.getMessage(), "re-create the profile", e);
        } catch (IOException e) {
            throw new ResourceUnavailableException(file.toString(), "cannot read the reference profile: " + e.getMessage(), e);
        }
    }
}
