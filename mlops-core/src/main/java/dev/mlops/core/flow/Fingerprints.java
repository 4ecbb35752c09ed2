package dev.mlops.core.flow;

import dev.mlops.core.Fingerprint;
import dev.mlops.core.table.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Content fingerprints of task inputs for cache keys. Built in: {@link Fingerprint}, {@link String},
 * {@link Long}, {@link Integer}, {@link Double}, {@link Boolean}, {@link Instant}, enums, {@code byte[]},
 * {@code double[]}, {@link Table} (its content fingerprint), {@link Path} to a regular file (its bytes),
 * and {@link List}s of those; more through {@link FlowEngine.Builder#fingerprinter}. Anything else has no
 * fingerprint, which turns caching off for that call (fail closed).
 */
final class Fingerprints {

    private final Map<Class<?>, Function<Object, Fingerprint>> custom;

    Fingerprints(Map<Class<?>, Function<Object, Fingerprint>> custom) {
        this.custom = new LinkedHashMap<>(custom);
    }

    /** A thrown exception carrying why a value has no fingerprint. */
    static final class Unfingerprintable extends Exception {
        Unfingerprintable(String why) {
            super(why, null, false, false);
        }
    }

    Fingerprint of(Object v) throws Unfingerprintable {
        if (v == null) {
            return Fingerprint.hasher().putNull().finish();
        }
        Function<Object, Fingerprint> f = custom.get(v.getClass());
        if (f == null) {
            for (Map.Entry<Class<?>, Function<Object, Fingerprint>> e : custom.entrySet()) {
                if (e.getKey().isInstance(v)) {
                    f = e.getValue();
                    break;
                }
            }
        }
        if (f != null) {
            try {
                Fingerprint fp = f.apply(v);
                if (fp == null) {
                    throw new Unfingerprintable("the fingerprinter for " + v.getClass().getName() + " returned null");
                }
                return fp;
            } catch (RuntimeException e) {
                throw new Unfingerprintable("the fingerprinter for " + v.getClass().getName() + " threw " + e);
            }
        }
        return switch (v) {
            case Fingerprint fp -> fp;
            case String s -> Fingerprint.hasher().putString(s).finish();
            case Long l -> Fingerprint.hasher().putLong(l).finish();
            case Integer i -> Fingerprint.hasher().putInt(i).finish();
            case Double d -> Fingerprint.hasher().putDouble(d).finish();
            case Boolean b -> Fingerprint.hasher().putBoolean(b).finish();
            case Instant t -> Fingerprint.hasher().putInstant(t).finish();
            case Enum<?> e -> Fingerprint.hasher().putString(e.getDeclaringClass().getName()).putString(e.name())
                    .finish();
            case byte[] bytes -> Fingerprint.hasher().putBytes(bytes).finish();
            case double[] ds -> {
                Fingerprint.Hasher h = Fingerprint.hasher().putInt(ds.length);
                for (double d : ds) {
                    h.putDouble(d);
                }
                yield h.finish();
            }
            case Table table -> table.fingerprint();
            case Path path -> {
                if (!Files.isRegularFile(path)) {
                    throw new Unfingerprintable("path " + path + " is not a regular file");
                }
                try {
                    yield Fingerprint.of(path);
                } catch (RuntimeException e) {
                    throw new Unfingerprintable("file " + path + " could not be fingerprinted (" + e + ")");
                }
            }
            case List<?> list -> {
                Fingerprint.Hasher h = Fingerprint.hasher().putInt(list.size());
                for (Object o : list) {
                    h.putFingerprint(of(o));
                }
                yield h.finish();
            }
            default -> throw new Unfingerprintable("a " + v.getClass().getName() + " has no fingerprint; register "
                    + "one with FlowEngine.builder().fingerprinter(" + v.getClass().getSimpleName()
                    + ".class, ...)");
        };
    }
}
