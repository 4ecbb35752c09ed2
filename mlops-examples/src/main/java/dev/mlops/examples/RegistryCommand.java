package dev.mlops.examples;

import dev.mlops.registry.AliasChange;
import dev.mlops.registry.FilterSyntaxException;
import dev.mlops.registry.ModelRegistry;
import dev.mlops.registry.ModelVersion;
import dev.mlops.registry.PromotionDecision;
import dev.mlops.registry.PromotionPolicy;
import dev.mlops.registry.RegisteredModel;
import dev.mlops.registry.RunInfo;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mlops registry list|show|promote|rollback --home DIR ...}: the model registry of a home directory from the
 * command line (the demo's is {@code <demo home>/registry}). Changes are written to the registry's audit log with
 * the operating-system user as principal.
 */
@Command(name = "registry", description = "Model registry: list models, show a model or version, promote through a "
        + "gate, roll an alias back.",
        subcommands = {RegistryCommand.ListModels.class, RegistryCommand.Show.class, RegistryCommand.Promote.class,
                RegistryCommand.Rollback.class})
final class RegistryCommand extends CliCommand.Group {

    RegistryCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    /** The {@code --home} option and opening the registry it names. */
    abstract static class WithHome extends CliCommand {
        @Option(names = "--home", required = true, paramLabel = "DIR",
                description = "The registry home (the demo's is <demo home>/registry).")
        Path home;

        WithHome(PrintStream out, PrintStream err) {
            super(out, err);
        }

        /** Opens the registry; a home that does not hold one is a usage error (nothing is created). */
        ModelRegistry open() {
            if (!Files.isDirectory(home)) {
                throw usage("--home " + home + " is not a directory; pass a registry home (the demo's is "
                        + "<demo home>/registry)");
            }
            try (var entries = Files.list(home)) {
                if (entries.findAny().isEmpty()) {
                    throw usage("--home " + home + " is empty: no registry there");
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot list " + home, e);
            }
            return ModelRegistry.builder().home(home).build();
        }
    }

    @Command(name = "list", description = "List the registered models with their versions and aliases.")
    static final class ListModels extends WithHome {
        ListModels(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        public Integer call() {
            try (ModelRegistry registry = open()) {
                List<RegisteredModel> models = registry.models();
                if (models.isEmpty()) {
                    out.println("no models in " + home);
                    return 0;
                }
                out.printf("%-24s %8s  %s%n", "model", "versions", "aliases");
                for (RegisteredModel m : models) {
                    out.printf("%-24s %8d  %s%n", m.name(), registry.versions(m.name()).size(), new TreeMap<>(m.aliases()));
                }
            }
            return 0;
        }
    }

    @Command(name = "show", description = "Show a model (versions, aliases, alias history) or one version (run, metrics).")
    static final class Show extends WithHome {
        @Parameters(index = "0", paramLabel = "MODEL[/VERSION]", description = "A model name, or name/version.")
        String target;

        Show(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        public Integer call() {
            int slash = target.lastIndexOf('/');
            String model = slash < 0 ? target : target.substring(0, slash);
            Integer version = null;
            if (slash >= 0) {
                try {
                    version = Integer.valueOf(target.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw usage("MODEL/VERSION needs a whole version number, got '" + target + "'");
                }
            }
            try (ModelRegistry registry = open()) {
                if (version == null) {
                    showModel(registry, model);
                } else {
                    showVersion(registry, registry.version(model, version));
                }
            }
            return 0;
        }

        private void showModel(ModelRegistry registry, String name) {
            RegisteredModel m = registry.model(name);
            out.printf("model %s (created %s), aliases %s%n", m.name(), m.created(), new TreeMap<>(m.aliases()));
            for (ModelVersion v : registry.versions(name)) {
                out.printf("  version %-3d %-8s run %s  %s  %s%n", v.version(), v.stage(), v.runId(), v.created(),
                        v.description() == null ? "" : v.description());
            }
            for (String alias : new TreeMap<>(m.aliases()).keySet()) {
                for (AliasChange c : registry.aliasHistory(name, alias)) {
                    out.printf("  @%s: %s -> %s at %s by %s (%s)%n", alias, c.fromVersion(), c.toVersion(), c.at(),
                            c.principal(), c.reason());
                }
            }
        }

        private void showVersion(ModelRegistry registry, ModelVersion v) {
            out.printf("%s version %d: %s, flavor %s, stage %s, aliases %s, created %s%n", v.model(), v.version(),
                    v.description() == null ? "" : v.description(), v.flavor(), v.stage(), v.aliases(), v.created());
            out.println("  tags " + new TreeMap<>(v.tags()));
            RunInfo run = registry.run(v.runId());
            out.printf("  run %s (%s) %s%n", run.runId(), run.name(), run.status());
            out.println("  datasets " + new TreeMap<>(run.datasets()));
            Map<String, Double> metrics = new TreeMap<>();
            run.metrics().keySet().forEach(k -> metrics.put(k, run.metric(k).orElse(Double.NaN)));
            metrics.forEach((k, value) -> out.printf(Locale.ROOT, "  metric %-32s %.6g%n", k, value));
        }
    }

    @Command(name = "promote", description = "Move an alias to a version if it passes a gate; exit 1 when the gate denies it.")
    static final class Promote extends WithHome {
        @Parameters(index = "0", paramLabel = "MODEL") String model;
        @Parameters(index = "1", paramLabel = "VERSION") int version;
        @Option(names = "--alias", defaultValue = "champion", description = "The alias to move (default: ${DEFAULT-VALUE}).")
        String alias;
        @Option(names = "--gate", paramLabel = "EXPR",
                description = "A gate over the candidate's metrics and the alias holder's (champion.<metric>), e.g. "
                        + "\"test.accuracy >= 0.95 and test.accuracy >= champion.test.accuracy\" (default: none, "
                        + "approves everything).")
        String gate;
        @Option(names = "--same-dataset", paramLabel = "NAME",
                description = "Require both versions' runs to be evaluated on the same logged dataset.")
        String sameDataset;
        @Option(names = "--reason", defaultValue = "promoted from the command line", description = "Recorded in the audit log.")
        String reason;

        Promote(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        public Integer call() {
            PromotionPolicy policy;
            try {
                PromotionPolicy.Builder b = PromotionPolicy.builder().gate(gate == null ? "" : gate);
                if (sameDataset != null) {
                    b.sameDataset(sameDataset);
                }
                policy = b.build();
            } catch (FilterSyntaxException | IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            try (ModelRegistry registry = open()) {
                PromotionDecision d = registry.promote(model, version, alias, policy, reason);
                out.printf("%s version %d to @%s: %s%n", model, version, alias, d.approved() ? "approved" : "denied");
                d.reasons().forEach(r -> out.println("  " + r));
                if (!d.approved()) {
                    err.println("mlops registry promote: the gate denied version " + version + " of " + model);
                    return Main.EXIT_FAILURE;
                }
            }
            return 0;
        }
    }

    @Command(name = "rollback", description = "Move an alias back to the version it held before its last change.")
    static final class Rollback extends WithHome {
        @Parameters(index = "0", paramLabel = "MODEL") String model;
        @Option(names = "--alias", defaultValue = "champion", description = "The alias (default: ${DEFAULT-VALUE}).")
        String alias;
        @Option(names = "--reason", defaultValue = "rolled back from the command line", description = "Recorded in the audit log.")
        String reason;

        Rollback(PrintStream out, PrintStream err) {
            super(out, err);
        }

        @Override
        public Integer call() {
            try (ModelRegistry registry = open()) {
                Integer before = registry.model(model).aliases().get(alias);
                ModelVersion back = registry.rollback(model, alias, reason);
                out.printf("%s @%s: version %s -> %d%n", model, alias, before, back.version());
            }
            return 0;
        }
    }
}
